/// `FileSystem` for one simulated process: its own descriptor table and umask (022), over the world's tree.
/// Each call goes through the world's choke point.
final class SimFileSystem: ProcessSeam, FileSystem {

    func open(_ path: String, _ options: OpenOptions, permissions: FilePermissions) throws -> Descriptor {
        try world.perform(process, .open, path) {
            try world.openFile(path, options, permissions: permissions, for: process)
        }
    }

    func close(_ fd: Descriptor) throws {
        try world.perform(process, .close, fd) { _ in world.closeFile(fd, for: process) }
    }

    func read(_ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try world.perform(process, .read, fd) { try world.readFile($0, into: buffer, at: nil) }
    }

    func pread(_ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        try world.perform(process, .read, fd) { try world.readFile($0, into: buffer, at: offset) }
    }

    func write(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer) throws -> Int {
        try world.perform(process, .write, fd) { try world.writeFile($0, bytes, at: nil) }
    }

    func pwrite(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws -> Int {
        try world.perform(process, .write, fd) { try world.writeFile($0, bytes, at: offset) }
    }

    func fsync(_ fd: Descriptor) throws {
        try world.perform(process, .fsync, fd) { world.syncFile($0) }
    }

    func fdatasync(_ fd: Descriptor) throws {
        try world.perform(process, .fdatasync, fd) { world.syncFile($0) }
    }

    func ftruncate(_ fd: Descriptor, to size: Int64) throws {
        try world.perform(process, .truncate, fd) { file in
            guard file.writable, file.inode.kind == .regular else { throw Errno.invalidArgument }
            try world.truncateFile(file.inode, to: size, always: true, by: process)
        }
    }

    func fstat(_ fd: Descriptor) throws -> FileStatus {
        try world.perform(process, .fstat, fd) { $0.inode.status() }
    }

    func flock(_ fd: Descriptor, _ operation: FileLockOperation, wait: Bool) throws {
        try world.perform(process, .flock, fd) { try world.flockFile($0, operation, wait: wait, for: process) }
    }

    func lockRange(_ fd: Descriptor, _ operation: FileLockOperation, start: Int64, length: Int64) throws {
        try world.perform(process, .lockRange, fd) { try world.lockRange($0, operation, start: start, length: length) }
    }

    func mapShared(_ fd: Descriptor, offset: Int64, length: Int) throws -> UnsafeMutableRawPointer {
        try world.perform(process, .mapShared, fd) { try world.mapShared($0, offset: offset, length: length, for: process) }
    }

    /// Like `munmap` in a process the kernel has killed, a killed process's unmapping is no call: it lets go
    /// of the memory it kept while unwinding (see `MappedMemory`), with no scheduling point and no log.
    func unmapShared(_ address: UnsafeMutableRawPointer, length: Int) throws {
        if world.lock.withLock({ process.killed }) {
            world.lock.withLock { try? world.unmapShared(address, length: length, for: process) }
            return
        }
        try world.perform(process, .unmapShared, world.mappedPath(address, for: process)) {
            try world.unmapShared(address, length: length, for: process)
        }
    }

    func mkdir(_ path: String, permissions: FilePermissions) throws {
        try world.perform(process, .mkdir, path) { try world.makeDirectory(path, permissions: permissions, for: process) }
    }

    func rmdir(_ path: String) throws {
        try world.perform(process, .rmdir, path) { try world.removeDirectory(path, for: process) }
    }

    func unlink(_ path: String) throws {
        try world.perform(process, .unlink, path) { try world.unlinkFile(path, for: process) }
    }

    func rename(_ source: String, to target: String, noReplace: Bool) throws {
        try world.perform(process, .rename, source, target) {
            try world.renameEntry(source, to: target, noReplace: noReplace, for: process)
        }
    }

    func symlink(_ target: String, at path: String) throws {
        try world.perform(process, .symlink, path, target) { try world.makeSymlink(target, at: path, for: process) }
    }

    func readlink(_ path: String) throws -> String {
        try world.perform(process, .readlink, path) {
            let node = try world.existing(path, follow: false, for: process)
            guard node.kind == .symbolicLink else { throw Errno.invalidArgument }
            return node.target
        }
    }

    func link(_ existing: String, at path: String) throws {
        try world.perform(process, .link, existing, path) { try world.makeLink(existing, at: path, for: process) }
    }

    func stat(_ path: String) throws -> FileStatus {
        try world.perform(process, .stat, path) { try world.statPath(path, follow: true, for: process) }
    }

    func lstat(_ path: String) throws -> FileStatus {
        try world.perform(process, .lstat, path) { try world.statPath(path, follow: false, for: process) }
    }

    func readdir(_ path: String) throws -> [DirectoryEntry] {
        try world.perform(process, .readdir, path) { try world.listDirectory(path, for: process) }
    }

    func chmod(_ path: String, permissions: FilePermissions) throws {
        try world.perform(process, .chmod, path) {
            let node = try world.existing(path, follow: true, for: process)
            try world.changeMode(node, to: permissions.rawValue, by: process)
        }
    }

    func chown(_ path: String, uid: UInt32, gid: UInt32) throws {
        try world.perform(process, .chown, path) {
            let node = try world.existing(path, follow: true, for: process)
            try world.changeOwner(node, uid: uid, gid: gid, by: process)
        }
    }

    func lchown(_ path: String, uid: UInt32, gid: UInt32) throws {
        try world.perform(process, .lchown, path) {
            let node = try world.existing(path, follow: false, for: process)
            try world.changeOwner(node, uid: uid, gid: gid, by: process)
        }
    }

    func mknod(_ path: String, kind: FileKind, permissions: FilePermissions, device: UInt64) throws {
        try world.perform(process, .mknod, path) {
            try world.makeNode(path, kind: kind, permissions: permissions, device: device, for: process)
        }
    }

    func setTimes(_ path: String, access: TimeChange, modification: TimeChange, follow: Bool) throws {
        try world.perform(process, .setTimes, path) {
            let node = try world.existing(path, follow: follow, for: process)
            try world.changeTimes(node, access: access, modification: modification, by: process)
        }
    }

    func setTimes(_ fd: Descriptor, access: TimeChange, modification: TimeChange) throws {
        try world.perform(process, .setTimes, fd) {
            try world.changeTimes($0.inode, access: access, modification: modification, by: process)
        }
    }

    func truncate(_ path: String, to size: Int64) throws {
        try world.perform(process, .truncate, path) {
            let node = try world.existing(path, follow: true, for: process)
            // `vfs_truncate`: the type first, then write permission.
            if node.kind == .directory { throw Errno.isDirectory }
            if node.kind != .regular { throw Errno.invalidArgument }
            try world.require(node, .write, by: process)
            try world.truncateFile(node, to: size, always: false, by: process)
        }
    }

    func realpath(_ path: String) throws -> String {
        try world.perform(process, .realpath, path) { try world.realPath(path, for: process) }
    }

    func access(_ path: String, _ mode: AccessMode, follow: Bool) throws {
        try world.perform(process, .access, path) { try world.checkAccess(path, mode, follow: follow, for: process) }
    }
}
