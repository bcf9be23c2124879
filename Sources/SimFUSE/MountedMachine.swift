import Core

/// The real process behind a FUSE request (from `fuse_req_ctx`), with its command name from `/proc/PID/comm`.
public struct Caller: Hashable, Sendable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32
    public var command: String

    public init(pid: Int32, uid: UInt32, gid: UInt32, command: String) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
        self.command = command
    }
}

/// What the FUSE server serves: a file system per calling process, and the machine-level controls that
/// only a simulated machine has. A plain `FileSystem` is served through `FixedMachine`.
public protocol MountedMachine: AnyObject {
    /// The file system as `caller` sees it. Descriptors it returns are only used with the same view.
    func fileSystem(for caller: Caller) -> any FileSystem
    /// Whether the views check each caller's permissions themselves. If not, the mount has the kernel
    /// check them (`default_permissions`).
    var checksPermissions: Bool { get }
    /// Reboots: clean (everything becomes durable) or after a power loss (pending changes dropped or torn).
    /// Open descriptors of the old boot are gone afterwards. `commandLine` is the next boot's, when given.
    func reboot(powerLoss: Bool, commandLine: String?) throws
    /// One-line facts for `bootsim ctl status` (boot id, boot count, …).
    func statusLines() -> [String]
    /// Writes the machine to `path` (for `bootsim unmount` with `--world`).
    func save(to path: String) throws
    /// The run's seed (`bootsim mount --seed`, or a saved world's): the server's fault stream derives from it.
    var seed: UInt64 { get }
}

/// Serves one fixed `FileSystem` (e.g. `HostFileSystem`) to every caller. It cannot reboot.
public final class FixedMachine: MountedMachine {
    let fs: any FileSystem
    public let seed: UInt64

    public init(_ fs: any FileSystem, seed: UInt64 = 1) {
        self.fs = fs
        self.seed = seed
    }

    public func fileSystem(for caller: Caller) -> any FileSystem { fs }
    /// The one file system acts for every caller alike, so the kernel checks permissions.
    public var checksPermissions: Bool { false }
    public func reboot(powerLoss: Bool, commandLine: String?) throws { throw Errno.notSupported }
    public func statusLines() -> [String] { ["machine: fixed file system (no reboots)"] }
    public func save(to path: String) throws { throw Errno.notSupported }
}
