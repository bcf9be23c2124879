import Core

/// `HostFileSystem` retrying EAGAIN on path calls. `openat2(RESOLVE_IN_ROOT)` gives EAGAIN when a rename
/// (or a dentry move) happens anywhere during a lookup with `..`, and over FUSE with zero entry timeouts the
/// kernel moves directory dentries at every re-lookup. openat2(2) says to retry; until HostFileSystem
/// does, the FUSE contract backends wrap it in this.
final class RetryingFileSystem: FileSystem {
    let base: any FileSystem
    init(_ base: any FileSystem) { self.base = base }

    func retry<T>(_ body: () throws -> T) throws -> T {
        var attempts = 0
        while true {
            do {
                return try body()
            } catch Errno.resourceTemporarilyUnavailable where attempts < 100 {
                attempts += 1
            }
        }
    }

    func open(_ path: String, _ options: OpenOptions, permissions: FilePermissions) throws -> Descriptor {
        try retry { try base.open(path, options, permissions: permissions) }
    }
    func close(_ fd: Descriptor) throws { try base.close(fd) }
    func read(_ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer) throws -> Int { try base.read(fd, into: buffer) }
    func pread(_ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        try base.pread(fd, into: buffer, at: offset)
    }
    func write(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer) throws -> Int { try base.write(fd, bytes) }
    func pwrite(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws -> Int {
        try base.pwrite(fd, bytes, at: offset)
    }
    func fsync(_ fd: Descriptor) throws { try base.fsync(fd) }
    func fdatasync(_ fd: Descriptor) throws { try base.fdatasync(fd) }
    func ftruncate(_ fd: Descriptor, to size: Int64) throws { try base.ftruncate(fd, to: size) }
    func fstat(_ fd: Descriptor) throws -> FileStatus { try base.fstat(fd) }
    func flock(_ fd: Descriptor, _ operation: FileLockOperation, wait: Bool) throws {
        try base.flock(fd, operation, wait: wait)
    }
    func mkdir(_ path: String, permissions: FilePermissions) throws { try retry { try base.mkdir(path, permissions: permissions) } }
    func rmdir(_ path: String) throws { try retry { try base.rmdir(path) } }
    func unlink(_ path: String) throws { try retry { try base.unlink(path) } }
    func rename(_ source: String, to target: String, noReplace: Bool) throws {
        try retry { try base.rename(source, to: target, noReplace: noReplace) }
    }
    func symlink(_ target: String, at path: String) throws { try retry { try base.symlink(target, at: path) } }
    func readlink(_ path: String) throws -> String { try retry { try base.readlink(path) } }
    func link(_ existing: String, at path: String) throws { try retry { try base.link(existing, at: path) } }
    func stat(_ path: String) throws -> FileStatus { try retry { try base.stat(path) } }
    func lstat(_ path: String) throws -> FileStatus { try retry { try base.lstat(path) } }
    func readdir(_ path: String) throws -> [DirectoryEntry] { try retry { try base.readdir(path) } }
    func chmod(_ path: String, permissions: FilePermissions) throws {
        try retry { try base.chmod(path, permissions: permissions) }
    }
    func chown(_ path: String, uid: UInt32, gid: UInt32) throws { try retry { try base.chown(path, uid: uid, gid: gid) } }
    func truncate(_ path: String, to size: Int64) throws { try retry { try base.truncate(path, to: size) } }
    func realpath(_ path: String) throws -> String { try retry { try base.realpath(path) } }
}
