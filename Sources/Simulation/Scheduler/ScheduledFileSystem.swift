import Core
import Podrt

/// A process's file system as the scheduler hands it out: every call goes to the world's, except that a
/// blocking `flock` becomes try-and-park, so the scheduler (not a condition variable) decides who gets it.
final class ScheduledFileSystem: ScheduledSeam<any FileSystem>, FileSystem {
    var paths: [Descriptor: String] = [:]
    var locked: [Descriptor: String] = [:]
    /// The file each shared mapping shows (for `unmapShared`'s footprint and the process's `mapped` list).
    var mappedPaths: [UnsafeMutableRawPointer: String] = [:]

    func open(_ path: String, _ options: OpenOptions, permissions: FilePermissions) throws -> Descriptor {
        touch(path)
        // An open that may create or truncate changes the file (and its directory's entries).
        if scheduler.tracksFootprints { process.touchingWrites = !options.isDisjoint(with: [.create, .truncate]) }
        let fd = try inner.open(path, options, permissions: permissions)
        paths[fd] = path
        return fd
    }

    func close(_ fd: Descriptor) throws {
        defer {
            paths[fd] = nil
            if let path = locked.removeValue(forKey: fd) { scheduler.released(process, .flock(path)) }
        }
        touch(paths[fd])
        try inner.close(fd)
    }

    func flock(_ fd: Descriptor, _ operation: FileLockOperation, wait: Bool) throws {
        let key = WaitKey.flock(paths[fd] ?? "fd \(fd.rawValue)")
        if operation == .unlock {
            touch(paths[fd])
            try inner.flock(fd, .unlock, wait: false)
            if locked.removeValue(forKey: fd) != nil { scheduler.released(process, key) }
            return
        }
        while true {
            do {
                touch(paths[fd])
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
        touch(paths[fd])
        try inner.lockRange(fd, operation, start: start, length: length)
    }
    func mapShared(_ fd: Descriptor, offset: Int64, length: Int) throws -> UnsafeMutableRawPointer {
        touch(paths[fd])
        let address = try inner.mapShared(fd, offset: offset, length: length)
        if scheduler.tracksFootprints, let path = paths[fd] {
            mappedPaths[address] = path
            process.mapped.append(path)
        }
        return address
    }
    func unmapShared(_ address: UnsafeMutableRawPointer, length: Int) throws {
        touch(mappedPaths[address])
        try inner.unmapShared(address, length: length)
        if let path = mappedPaths.removeValue(forKey: address), let index = process.mapped.firstIndex(of: path) {
            process.mapped.remove(at: index)
        }
    }
    func read(_ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer) throws -> Int { touch(paths[fd]); return try inner.read(fd, into: buffer) }
    func pread(_ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        touch(paths[fd])
        return try inner.pread(fd, into: buffer, at: offset)
    }
    func write(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer) throws -> Int { touch(paths[fd]); return try inner.write(fd, bytes) }
    func pwrite(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws -> Int {
        touch(paths[fd])
        return try inner.pwrite(fd, bytes, at: offset)
    }
    func fsync(_ fd: Descriptor) throws { touch(paths[fd]); try inner.fsync(fd) }
    func fdatasync(_ fd: Descriptor) throws { touch(paths[fd]); try inner.fdatasync(fd) }
    func ftruncate(_ fd: Descriptor, to size: Int64) throws { touch(paths[fd]); try inner.ftruncate(fd, to: size) }
    func fstat(_ fd: Descriptor) throws -> FileStatus { touch(paths[fd]); return try inner.fstat(fd) }
    func mkdir(_ path: String, permissions: FilePermissions) throws { touch(path); try inner.mkdir(path, permissions: permissions) }
    func rmdir(_ path: String) throws { touch(path); try inner.rmdir(path) }
    func unlink(_ path: String) throws { touch(path); try inner.unlink(path) }
    func rename(_ source: String, to target: String, noReplace: Bool) throws {
        touch(source + "\n" + target)
        try inner.rename(source, to: target, noReplace: noReplace)
    }
    func symlink(_ target: String, at path: String) throws { touch(path); try inner.symlink(target, at: path) }
    func readlink(_ path: String) throws -> String { touch(path); return try inner.readlink(path) }
    func link(_ existing: String, at path: String) throws { touch(existing + "\n" + path); try inner.link(existing, at: path) }
    func stat(_ path: String) throws -> FileStatus { touch(path); return try inner.stat(path) }
    func lstat(_ path: String) throws -> FileStatus { touch(path); return try inner.lstat(path) }
    func readdir(_ path: String) throws -> [DirectoryEntry] { touch(path); return try inner.readdir(path) }
    func chmod(_ path: String, permissions: FilePermissions) throws { touch(path); try inner.chmod(path, permissions: permissions) }
    func chown(_ path: String, uid: UInt32, gid: UInt32) throws { touch(path); try inner.chown(path, uid: uid, gid: gid) }
    func lchown(_ path: String, uid: UInt32, gid: UInt32) throws { touch(path); try inner.lchown(path, uid: uid, gid: gid) }
    func mknod(_ path: String, kind: FileKind, permissions: FilePermissions, device: UInt64) throws {
        touch(path); try inner.mknod(path, kind: kind, permissions: permissions, device: device)
    }
    func setTimes(_ path: String, access: TimeChange, modification: TimeChange, follow: Bool) throws {
        touch(path); try inner.setTimes(path, access: access, modification: modification, follow: follow)
    }
    func setTimes(_ fd: Descriptor, access: TimeChange, modification: TimeChange) throws {
        touch(paths[fd]); try inner.setTimes(fd, access: access, modification: modification)
    }
    func truncate(_ path: String, to size: Int64) throws { touch(path); try inner.truncate(path, to: size) }
    func realpath(_ path: String) throws -> String { touch(path); return try inner.realpath(path) }
    func access(_ path: String, _ mode: AccessMode, follow: Bool) throws {
        touch(path); try inner.access(path, mode, follow: follow)
    }
}

