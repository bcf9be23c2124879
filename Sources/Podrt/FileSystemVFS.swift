import Core
import CSQLite

/// The one SQLite VFS of podrt's state database, in both worlds: every file operation goes through one
/// `Machine`'s `FileSystem`, clock and randomness. Over `HostFileSystem` it is production's (rooted with
/// `--machine-root`, or on a FUSE mount); over SimFS the database lives in a simulated machine and sees its
/// crashes, faults and power losses. SQLite's own unix VFS is never used.
///
/// It does what SQLite's unix VFS does on Linux, through the seam: the database file's locks are its byte
/// ranges (FileSystemVFS+Locks.swift), and WAL's shared-memory index is the `-shm` file mapped shared, with
/// its lock bytes (FileSystemVFS+SharedMemory.swift). The seam grew the two POSIX calls this needs,
/// `FileSystem.lockRange` (`F_OFD_SETLK`) and `mapShared` (`mmap`), rather than a shared-memory protocol of
/// its own: the index is a file beside the database, so the file system is what must share it, between the
/// processes of a machine, through a FUSE mount, and with other SQLite programs.
///
/// A protocol error thrown inside a callback (`ProcessKilled` included) is kept and rethrown by `Database`
/// once SQLite returns, since Swift errors cannot cross the C frames.
package final class FileSystemVFS {
    let machine: Machine
    let registration: RegisteredVFS
    package var name: String { registration.name }
    var methods: UnsafeMutablePointer<sqlite3_io_methods> { registration.methods }
    /// The first Swift error a callback met since the last `takeError`.
    private var pendingError: (any Error)?

    /// The historical bugs put back (`RuntimeOptions.injectedBugs`): empty outside the simulation.
    let injectedBugs: InjectedBugs

    package init(machine: Machine, injectedBugs: InjectedBugs = []) {
        self.machine = machine
        self.injectedBugs = injectedBugs
        registration = RegisteredVFS(prefix: "podrt-fs", maxPathname: 1024, io: Self.ioMethods(),
                                     install: Self.installVFSMethods)
        registration.register(owner: self)
    }

    static func from(_ vfs: UnsafeMutablePointer<sqlite3_vfs>?) -> FileSystemVFS {
        RegisteredVFS.owner(vfs, as: FileSystemVFS.self)
    }

    /// Runs a protocol call for SQLite: an error is kept for `Database` and becomes `failure`.
    func attempt(_ failure: Int32, _ body: () throws -> Int32) -> Int32 {
        do {
            return try body()
        } catch {
            if pendingError == nil { pendingError = error }
            return failure
        }
    }

    /// The error a callback hit, if any, cleared. Errno failures SQLite already turned into its own result
    /// codes are dropped; anything else (`ProcessKilled`) must unwind the process.
    func takeError() -> (any Error)? {
        defer { pendingError = nil }
        if pendingError is Errno { return nil }
        return pendingError
    }

    private static func installVFSMethods(_ vfs: UnsafeMutablePointer<sqlite3_vfs>) {
        vfs.pointee.xOpen = { vfs, name, file, flags, outFlags in
            FileSystemVFS.from(vfs).open(name.map { String(cString: $0) }, file!, flags, outFlags)
        }
        vfs.pointee.xDelete = { vfs, name, syncDirectory in
            let me = FileSystemVFS.from(vfs)
            let path = String(cString: name!)
            return me.attempt(IOError.delete) {
                do { try me.machine.fileSystem.unlink(path) } catch Errno.noSuchFileOrDirectory {
                    return IOError.deleteNoent
                }
                if syncDirectory != 0 { try me.syncParent(of: path) }
                return SQLITE_OK
            }
        }
        vfs.pointee.xAccess = { vfs, name, _, result in
            let me = FileSystemVFS.from(vfs)
            let path = String(cString: name!)
            return me.attempt(IOError.access) {
                do {
                    let status = try me.machine.fileSystem.stat(path)
                    result!.pointee = status.kind != .regular || status.size > 0 ? 1 : 0
                } catch Errno.noSuchFileOrDirectory {
                    result!.pointee = 0
                }
                return SQLITE_OK
            }
        }
        vfs.pointee.xRandomness = { vfs, size, out in
            FileSystemVFS.from(vfs).fill(out!, count: Int(size))
            return size
        }
        vfs.pointee.xSleep = { vfs, microseconds in
            let me = FileSystemVFS.from(vfs)
            let clock = me.machine.clock
            _ = me.attempt(0) {
                try clock.sleep(until: clock.monotonicNow().advanced(byNanoseconds: UInt64(microseconds) * 1000))
                return 0
            }
            return microseconds
        }
        vfs.pointee.xCurrentTime = { vfs, out in
            let now = FileSystemVFS.from(vfs).machine.clock.wallNow()
            out!.pointee = 2440587.5 + (Double(now.seconds) + Double(now.nanoseconds) / 1e9) / 86400
            return SQLITE_OK
        }
        vfs.pointee.xGetLastError = { _, _, _ in 0 }
    }

    /// Bytes from the machine's randomness, one draw a byte.
    func fill(_ out: UnsafeMutableRawPointer, count: Int) {
        let random = machine.random
        for index in 0..<count {
            out.storeBytes(of: UInt8(truncatingIfNeeded: random.next()), toByteOffset: index, as: UInt8.self)
        }
    }

    /// SQLite's randomness on a thread while it has a connection through this VFS open (`Database` swaps it
    /// in): SQLite's own PRNG is one per process, seeded from `/dev/urandom`, so in simulation the journal
    /// nonces would depend on the real world and on which worker thread drew first.
    static let randomnessSource: sqlite3_randomness_source = { context, count, out in
        Unmanaged<FileSystemVFS>.fromOpaque(context!).takeUnretainedValue().fill(out!, count: Int(count))
    }

    /// fsyncs the directory holding `path`, so a created or removed entry is durable.
    func syncParent(of path: String) throws {
        let parent = path.lastIndex(of: "/").map { path[..<$0] }.map(String.init) ?? "/"
        let fd = try machine.fileSystem.open(parent.isEmpty ? "/" : parent, [.read, .directory])
        defer { try? machine.fileSystem.close(fd) }
        try machine.fileSystem.fsync(fd)
    }
}

/// SQLite's extended I/O error codes (C macros that Swift does not import): `SQLITE_IOERR | (n << 8)`.
enum IOError {
    static let read: Int32 = SQLITE_IOERR | (1 << 8)
    static let shortRead: Int32 = SQLITE_IOERR | (2 << 8)
    static let write: Int32 = SQLITE_IOERR | (3 << 8)
    static let fsync: Int32 = SQLITE_IOERR | (4 << 8)
    static let truncate: Int32 = SQLITE_IOERR | (6 << 8)
    static let fstat: Int32 = SQLITE_IOERR | (7 << 8)
    static let unlock: Int32 = SQLITE_IOERR | (8 << 8)
    static let delete: Int32 = SQLITE_IOERR | (10 << 8)
    static let access: Int32 = SQLITE_IOERR | (13 << 8)
    static let checkreservedlock: Int32 = SQLITE_IOERR | (14 << 8)
    static let lock: Int32 = SQLITE_IOERR | (15 << 8)
    static let close: Int32 = SQLITE_IOERR | (16 << 8)
    static let shmOpen: Int32 = SQLITE_IOERR | (18 << 8)
    static let shmLock: Int32 = SQLITE_IOERR | (20 << 8)
    static let shmMap: Int32 = SQLITE_IOERR | (21 << 8)
    /// `xShmUnmap` has no code of its own.
    static let shmUnmap: Int32 = SQLITE_IOERR
    static let deleteNoent: Int32 = SQLITE_IOERR | (23 << 8)
}
