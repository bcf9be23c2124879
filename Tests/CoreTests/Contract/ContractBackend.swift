import Core
import Testing

/// One implementation of the machine that the contract suite runs against. Every contract test takes the
/// backend as its argument. Each test target that compiles the suite lists its own backends in
/// `ContractBackend.all` (CoreTests in Backends.swift, SimFUSETests in FUSEContractBackend.swift).
struct ContractBackend: Sendable, CustomTestStringConvertible {
    let name: String
    /// Whether the backend's processes are real programs such as `/bin/sh` (for the cases that spawn them).
    let runsRealPrograms: Bool
    let makeWorld: @Sendable () throws -> ContractWorld

    var testDescription: String { name }

    /// The backends whose processes are real programs (for cases that spawn `/bin/sh` and the like).
    static var realPrograms: [ContractBackend] { all.filter(\.runsRealPrograms) }
}

/// A fresh machine for one test: an empty file system (apart from what the backend needs to exist) where
/// tests work in absolute paths such as `/t/a`, plus the other seams and how to tidy up.
///
/// Umask policy: file modes on create are asserted with a umask of 022. The host backend sets it for the
/// test process; a simulated backend must apply 022 to the modes of files and directories it creates.
final class ContractWorld {
    let fs: any FileSystem
    let clock: any MachineClock
    let mutexes: any MutexSegments
    let processes: any ProcessControl
    /// Makes a directory on a second file system (another mount region) and returns its path, for EXDEV;
    /// nil when the backend has none.
    let secondFileSystem: () throws -> String?
    /// Runs `body` with `fs` acting as uid:gid (and the test process's supplementary groups), then as root
    /// again. The host's: this thread's fsuid and fsgid (`ThreadIdentity`). nil where the backend serves
    /// every caller as root (a FUSE mount of a host directory), so a user's own files would be root's.
    let asUser: ((_ uid: UInt32, _ gid: UInt32, _ body: () throws -> Void) throws -> Void)?
    private let cleanup: () -> Void

    init(
        fs: any FileSystem, clock: any MachineClock, mutexes: any MutexSegments, processes: any ProcessControl,
        secondFileSystem: @escaping () throws -> String?,
        asUser: ((UInt32, UInt32, () throws -> Void) throws -> Void)? = ThreadIdentity.asUser,
        cleanup: @escaping () -> Void
    ) {
        self.asUser = asUser
        self.fs = fs
        self.clock = clock
        self.mutexes = mutexes
        self.processes = processes
        self.secondFileSystem = secondFileSystem
        self.cleanup = cleanup
    }

    /// Removes what the world left behind (temporary directories, mounts).
    func tearDown() { cleanup() }
}
