import CFuse3
import Core
import Glibc

/// The operations on open handles, and setattr.
extension FUSEServer {
    func performOnHandle(_ operation: Operation, _ caller: Caller, _ req: fuse_req_t) throws -> Reply {
        switch operation {
        case .read(_, let size, let offset, let handle):
            let (fs, fd) = try file(handle)
            var buffer = [UInt8](repeating: 0, count: size)
            let count = try buffer.withUnsafeMutableBytes { try fs.pread(fd, into: $0, at: offset) }
            buffer.removeLast(size - count)
            return .data(buffer)
        case .write(let node, let data, let offset, let handle):
            let (fs, fd) = try file(handle)
            if caller.uid != 0, let path = nodes.path(node) { try? dropSetgidOfOutsider(fs, path, caller, req) }
            let count = try data.withUnsafeBytes { try fs.pwrite(fd, $0, at: offset) }
            return .written(count)
        case .flush(_, let handle):
            _ = try file(handle)
            return .ok
        case .release(_, let handle), .releasedir(_, let handle):
            try handles.close(handle)
            return .ok
        case .fsync(_, let dataOnly, let handle):
            let (fs, fd) = try file(handle)
            if dataOnly { try fs.fdatasync(fd) } else { try fs.fsync(fd) }
            return .ok
        case .fsyncdir(_, let dataOnly, let handle):
            guard case .directory(let fs, let path, let entries, var fd)? = handles[handle] else { throw Errno.ioError }
            if fd == nil {
                fd = try fs.open(path, [.read, .directory])
                handles[handle] = .directory(fs: fs, path: path, entries: entries, fd: fd)
            }
            if dataOnly { try fs.fdatasync(fd!) } else { try fs.fsync(fd!) }
            return .ok
        case .readdir(let node, let size, let offset, let handle):
            guard case .directory(_, _, let entries, _)? = handles[handle] else { throw Errno.ioError }
            return .data(listing(node, entries, size: size, offset: offset, req))
        default:
            throw Errno.invalidArgument
        }
    }

    /// An open file's view and descriptor; EIO for a handle of an earlier boot.
    func file(_ handle: UInt64) throws -> (any FileSystem, Descriptor) {
        guard case .file(let fs, let fd)? = handles[handle] else { throw Errno.ioError }
        return (fs, fd)
    }

    /// A readdir reply: `.`, `..` and the entries from index `offset`, as many as fit in `size` bytes.
    func listing(_ node: UInt64, _ entries: [DirectoryEntry], size: Int, offset: Int64, _ req: fuse_req_t) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: size)
        var used = 0
        var index = Int(offset)
        let total = entries.count + 2
        buffer.withUnsafeMutableBufferPointer { raw in
            let base = UnsafeMutableRawPointer(raw.baseAddress!).assumingMemoryBound(to: CChar.self)
            while index < total {
                var attributes = Glibc.stat()
                let name: String
                switch index {
                case 0:
                    name = "."
                    attributes.st_mode = S_IFDIR
                case 1:
                    name = ".."
                    attributes.st_mode = S_IFDIR
                default:
                    let entry = entries[index - 2]
                    name = entry.name
                    attributes.st_ino = UInt(entry.inode)
                    attributes.st_mode = entry.kind.modeBits
                }
                let needed = fuse_add_direntry(req, base + used, size - used, name, &attributes, off_t(index + 1))
                if needed > size - used { break }
                used += needed
                index += 1
            }
        }
        buffer.removeLast(size - used)
        return buffer
    }

    /// setattr: mode, owner (of the node itself: a symbolic link's own), size, then times, each checked
    /// against the caller by the backend (`setattr_prepare`'s rules; the kernel skips them without
    /// default_permissions). A size change with a time is a truncate, which sets the times itself;
    /// `FUSE_SET_ATTR_CTIME` alone is implied by every change.
    func setAttributes(_ fs: any FileSystem, _ node: UInt64, _ attributes: stat, _ fields: Int32, _ handle: UInt64?,
                       _ caller: Caller, _ req: fuse_req_t) throws {
        let path = try path(node)
        let open = handle.flatMap { handles.openFile($0, node: node) }
        if fields & FUSE_SET_ATTR_MODE != 0 {
            let before = try fs.lstat(path)
            let mode = mode_t(attributes.st_mode & 0o7777)
            try fs.chmod(path, permissions: FilePermissions(rawValue: mode))
            // A directory that not everyone may search any more: the names cached in it must be asked for.
            if before.kind == .directory && before.permissions.rawValue & 0o111 == 0o111 && mode & 0o111 != 0o111 {
                invalidateAfterReply += nodes.cachedNames(in: node)
            }
        }
        if fields & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID) != 0 {
            try dropSetgidOfOutsider(fs, path, caller, req)
            let uid = fields & FUSE_SET_ATTR_UID != 0 ? attributes.st_uid : UInt32.max
            let gid = fields & FUSE_SET_ATTR_GID != 0 ? attributes.st_gid : UInt32.max
            try fs.lchown(path, uid: uid, gid: gid)
        }
        if fields & FUSE_SET_ATTR_SIZE != 0 {
            try dropSetgidOfOutsider(fs, path, caller, req)
            if let (owner, fd) = open {
                try owner.ftruncate(fd, to: Int64(attributes.st_size))
            } else if fields & FUSE_SET_ATTR_MTIME != 0 {
                // ftruncate through a handle the kernel did not pass on, or O_TRUNC: times change anyway,
                // as an ftruncate of a descriptor open for writing sets them (not a utimensat of the caller's).
                let fd = try fs.open(path, .write, permissions: FilePermissions(rawValue: 0))
                defer { try? fs.close(fd) }
                try fs.ftruncate(fd, to: Int64(attributes.st_size))
            } else {
                try fs.truncate(path, to: Int64(attributes.st_size))
            }
            return
        }
        let access = Self.timeChange(fields, FUSE_SET_ATTR_ATIME, FUSE_SET_ATTR_ATIME_NOW, attributes.st_atim)
        let modification = Self.timeChange(fields, FUSE_SET_ATTR_MTIME, FUSE_SET_ATTR_MTIME_NOW, attributes.st_mtim)
        if access != .omit || modification != .omit {
            if let (owner, fd) = open {
                try owner.setTimes(fd, access: access, modification: modification)
            } else {
                try fs.setTimes(path, access: access, modification: modification, follow: false)
            }
        }
    }

    /// FUSE's kernel drops setgid at a chown, write or truncate only with group execute; Linux also drops
    /// it when a caller other than root is not in the file's group (`setattr_should_drop_sgid`), which
    /// needs the caller's groups, so the server does that part.
    func dropSetgidOfOutsider(_ fs: any FileSystem, _ path: String, _ caller: Caller, _ req: fuse_req_t) throws {
        guard caller.uid != 0 else { return }
        let status = try fs.lstat(path)
        guard status.kind != .directory, status.permissions.rawValue & 0o2010 == 0o2000 else { return }
        var groups = [gid_t](repeating: 0, count: 64)
        let count = fuse_req_getgroups(req, Int32(groups.count), &groups)
        let member = caller.gid == status.gid || (count > 0 && groups.prefix(Int(min(count, 64))).contains(status.gid))
        if !member {
            try fs.chmod(path, permissions: FilePermissions(rawValue: status.permissions.rawValue & ~0o2000))
        }
    }

    /// One time of a setattr request.
    static func timeChange(_ fields: Int32, _ set: Int32, _ now: Int32, _ time: timespec) -> TimeChange {
        if fields & now != 0 { return .now }
        if fields & set != 0 { return .to(WallTime(seconds: Int64(time.tv_sec), nanoseconds: Int64(time.tv_nsec))) }
        return .omit
    }
}
