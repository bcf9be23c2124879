/// The file system seam. Core reaches files only through this protocol.
///
/// Paths are absolute and name files on the machine the implementation stands for: the real OS (possibly
/// rooted at a directory prefix) or a simulated machine. Every call throws an `Errno` on failure, named as
/// the C call would set it. A simulated machine may also throw `ProcessKilled`; Core must let that unwind.
///
/// Directory listings come in an order the implementation chooses; Core sorts when it needs an order.
public protocol FileSystem: AnyObject, Sendable {
    /// `open(2)`. `permissions` applies only when `.create` makes a new file (before the umask).
    func open(_ path: String, _ options: OpenOptions, permissions: FilePermissions) throws -> Descriptor
    /// `close(2)`. Releases the flock of this open file if it was the last reference.
    func close(_ fd: Descriptor) throws

    /// `read(2)` at the file offset, which then advances.
    func read(_ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// `pread(2)`: the file offset does not move.
    func pread(_ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int
    /// `write(2)` at the file offset (or the end with `.append`).
    func write(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer) throws -> Int
    /// `pwrite(2)`.
    func pwrite(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws -> Int
    /// `fsync(2)`: data and metadata of the file, or for a directory its entries, become durable.
    func fsync(_ fd: Descriptor) throws
    /// `fdatasync(2)`.
    func fdatasync(_ fd: Descriptor) throws
    /// `ftruncate(2)`.
    func ftruncate(_ fd: Descriptor, to size: Int64) throws
    /// `fstat(2)`.
    func fstat(_ fd: Descriptor) throws -> FileStatus
    /// `flock(2)`: a whole-file advisory lock owned by the open file. Without `wait`, a conflict is EWOULDBLOCK.
    func flock(_ fd: Descriptor, _ operation: FileLockOperation, wait: Bool) throws
    /// `fcntl(F_OFD_SETLK)`: a byte-range advisory lock owned by the open file description (so two
    /// descriptions in one process conflict, as two processes do), on `length` bytes from `start` (0: to the
    /// end of any file). `.shared` is `F_RDLCK` (needs read access), `.exclusive` `F_WRLCK` (write access),
    /// `.unlock` `F_UNLCK`. A description's own locks over the range are replaced, so a shared lock converts
    /// to exclusive and back. It never waits: a conflict with another description's lock is EWOULDBLOCK.
    /// Closing the description releases its locks. These are the locks of SQLite's unix VFS (the database
    /// file's lock bytes and the WAL index's), so the two interoperate.
    func lockRange(_ fd: Descriptor, _ operation: FileLockOperation, start: Int64, length: Int64) throws
    /// `mmap(2)` with `PROT_READ | PROT_WRITE` and `MAP_SHARED`: `length` bytes of the file from `offset` (a
    /// multiple of 4096), the same memory for every process of the machine that maps that file. `fd` must be
    /// open for reading and writing. The mapping outlives `close(fd)`; `unmapShared` ends it.
    func mapShared(_ fd: Descriptor, offset: Int64, length: Int) throws -> UnsafeMutableRawPointer
    /// `munmap(2)` of a whole mapping that `mapShared` returned.
    func unmapShared(_ address: UnsafeMutableRawPointer, length: Int) throws

    /// `mkdir(2)`.
    func mkdir(_ path: String, permissions: FilePermissions) throws
    /// `rmdir(2)`.
    func rmdir(_ path: String) throws
    /// `unlink(2)`.
    func unlink(_ path: String) throws
    /// `renameat2(2)`; with `noReplace` an existing target is EEXIST (`RENAME_NOREPLACE`).
    func rename(_ source: String, to target: String, noReplace: Bool) throws
    /// `symlink(2)`: creates `path` pointing at `target`.
    func symlink(_ target: String, at path: String) throws
    /// `readlink(2)`.
    func readlink(_ path: String) throws -> String
    /// `link(2)`: a new name `path` for the file at `existing`.
    func link(_ existing: String, at path: String) throws
    /// `stat(2)`, following symbolic links.
    func stat(_ path: String) throws -> FileStatus
    /// `lstat(2)`.
    func lstat(_ path: String) throws -> FileStatus
    /// The entries of a directory (`opendir`/`readdir`), without `.` and `..`.
    func readdir(_ path: String) throws -> [DirectoryEntry]
    /// `chmod(2)`.
    func chmod(_ path: String, permissions: FilePermissions) throws
    /// `chown(2)`.
    func chown(_ path: String, uid: UInt32, gid: UInt32) throws
    /// `lchown(2)`: the owner of a symbolic link itself. `UInt32.max` (-1) leaves uid or gid unchanged.
    func lchown(_ path: String, uid: UInt32, gid: UInt32) throws
    /// `mknod(2)`: a regular file, FIFO, socket, or character or block node whose `st_rdev` is `device`
    /// (before the umask, as `open` applies it). A directory is EPERM, a symbolic link EINVAL.
    func mknod(_ path: String, kind: FileKind, permissions: FilePermissions, device: UInt64) throws
    /// `utimensat(2)`: sets the access and modification times (with nanoseconds) of `path`, or of the
    /// symbolic link itself without `follow` (`AT_SYMLINK_NOFOLLOW`).
    func setTimes(_ path: String, access: TimeChange, modification: TimeChange, follow: Bool) throws
    /// `futimens(3)`.
    func setTimes(_ fd: Descriptor, access: TimeChange, modification: TimeChange) throws
    /// `truncate(2)`.
    func truncate(_ path: String, to size: Int64) throws
    /// `realpath(3)`: the canonical absolute path, every symbolic link resolved.
    func realpath(_ path: String) throws -> String
    /// `faccessat(2)` with the caller's ids: EACCES unless every bit of `mode` is permitted; `follow`
    /// false is `AT_SYMLINK_NOFOLLOW`.
    func access(_ path: String, _ mode: AccessMode, follow: Bool) throws
}

extension FileSystem {
    public func open(_ path: String, _ options: OpenOptions) throws -> Descriptor {
        try open(path, options, permissions: FilePermissions(rawValue: 0o644))
    }

    public func rename(_ source: String, to target: String) throws {
        try rename(source, to: target, noReplace: false)
    }
}
