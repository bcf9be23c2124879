import Core
import Podrt

/// A process's file system as the scheduler hands it out: every call goes to the world's, except that a
/// blocking `flock` becomes try-and-park, so the scheduler (not a condition variable) decides who gets it.
final class ScheduledFileSystem: ScheduledSeam<any FileSystem>, FileSystem {
    var paths: [Descriptor: String] = [:]
    var locked: [Descriptor: String] = [:]

    func open(_ path: String, _ options: OpenOptions, permissions: FilePermissions) throws -> Descriptor {
        let fd = try inner.open(path, options, permissions: permissions)
        paths[fd] = path
        return fd
    }

    func close(_ fd: Descriptor) throws {
        defer {
            paths[fd] = nil
            if let path = locked.removeValue(forKey: fd) { scheduler.released(process, .flock(path)) }
        }
        try inner.close(fd)
    }

    func flock(_ fd: Descriptor, _ operation: FileLockOperation, wait: Bool) throws {
        let key = WaitKey.flock(paths[fd] ?? "fd \(fd.rawValue)")
        if operation == .unlock {
            try inner.flock(fd, .unlock, wait: false)
            if locked.removeValue(forKey: fd) != nil { scheduler.released(process, key) }
            return
        }
        while true {
            do {
                try inner.flock(fd, operation, wait: false)
                if locked[fd] == nil, case let .flock(path) = key {
                    locked[fd] = path
                    scheduler.acquired(process, key)
                }
                return
            } catch Errno.wouldBlock where wait {
                try scheduler.block(process, on: key)
            }
        }
    }

    /// Byte-range locks never wait (SQLite retries through its busy handler), so they pass straight through.
    func lockRange(_ fd: Descriptor, _ operation: FileLockOperation, start: Int64, length: Int64) throws {
        try inner.lockRange(fd, operation, start: start, length: length)
    }
    func mapShared(_ fd: Descriptor, offset: Int64, length: Int) throws -> UnsafeMutableRawPointer {
        try inner.mapShared(fd, offset: offset, length: length)
    }
    func unmapShared(_ address: UnsafeMutableRawPointer, length: Int) throws { try inner.unmapShared(address, length: length) }
    func read(_ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer) throws -> Int { try inner.read(fd, into: buffer) }
    func pread(_ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        try inner.pread(fd, into: buffer, at: offset)
    }
    func write(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer) throws -> Int { try inner.write(fd, bytes) }
    func pwrite(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws -> Int {
        try inner.pwrite(fd, bytes, at: offset)
    }
    func fsync(_ fd: Descriptor) throws { try inner.fsync(fd) }
    func fdatasync(_ fd: Descriptor) throws { try inner.fdatasync(fd) }
    func ftruncate(_ fd: Descriptor, to size: Int64) throws { try inner.ftruncate(fd, to: size) }
    func fstat(_ fd: Descriptor) throws -> FileStatus { try inner.fstat(fd) }
    func mkdir(_ path: String, permissions: FilePermissions) throws { try inner.mkdir(path, permissions: permissions) }
    func rmdir(_ path: String) throws { try inner.rmdir(path) }
    func unlink(_ path: String) throws { try inner.unlink(path) }
    func rename(_ source: String, to target: String, noReplace: Bool) throws {
        try inner.rename(source, to: target, noReplace: noReplace)
    }
    func symlink(_ target: String, at path: String) throws { try inner.symlink(target, at: path) }
    func readlink(_ path: String) throws -> String { try inner.readlink(path) }
    func link(_ existing: String, at path: String) throws { try inner.link(existing, at: path) }
    func stat(_ path: String) throws -> FileStatus { try inner.stat(path) }
    func lstat(_ path: String) throws -> FileStatus { try inner.lstat(path) }
    func readdir(_ path: String) throws -> [DirectoryEntry] { try inner.readdir(path) }
    func chmod(_ path: String, permissions: FilePermissions) throws { try inner.chmod(path, permissions: permissions) }
    func chown(_ path: String, uid: UInt32, gid: UInt32) throws { try inner.chown(path, uid: uid, gid: gid) }
    func lchown(_ path: String, uid: UInt32, gid: UInt32) throws { try inner.lchown(path, uid: uid, gid: gid) }
    func mknod(_ path: String, kind: FileKind, permissions: FilePermissions, device: UInt64) throws {
        try inner.mknod(path, kind: kind, permissions: permissions, device: device)
    }
    func setTimes(_ path: String, access: TimeChange, modification: TimeChange, follow: Bool) throws {
        try inner.setTimes(path, access: access, modification: modification, follow: follow)
    }
    func setTimes(_ fd: Descriptor, access: TimeChange, modification: TimeChange) throws {
        try inner.setTimes(fd, access: access, modification: modification)
    }
    func truncate(_ path: String, to size: Int64) throws { try inner.truncate(path, to: size) }
    func realpath(_ path: String) throws -> String { try inner.realpath(path) }
}

