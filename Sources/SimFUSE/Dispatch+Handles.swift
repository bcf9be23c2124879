import CFuse3
import Core
import Glibc

/// The operations on open handles, and setattr.
extension FUSEServer {
    func performOnHandle(_ operation: Operation, _ req: fuse_req_t) throws -> Reply {
        switch operation {
        case .read(_, let size, let offset, let handle):
            let (fs, fd) = try file(handle)
            var buffer = [UInt8](repeating: 0, count: size)
            let count = try buffer.withUnsafeMutableBytes { try fs.pread(fd, into: $0, at: offset) }
            buffer.removeLast(size - count)
            return .data(buffer)
        case .write(_, let data, let offset, let handle):
            let (fs, fd) = try file(handle)
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

    /// setattr: mode, owner, size; times are accepted and ignored (FileSystem has no utimens).
    func setAttributes(_ fs: any FileSystem, _ node: UInt64, _ attributes: stat, _ fields: Int32, _ handle: UInt64?) throws {
        let path = try path(node)
        if fields & FUSE_SET_ATTR_MODE != 0 {
            try fs.chmod(path, permissions: FilePermissions(rawValue: attributes.st_mode & 0o7777))
        }
        if fields & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID) != 0 {
            let current = try fs.lstat(path)
            let uid = fields & FUSE_SET_ATTR_UID != 0 ? attributes.st_uid : current.uid
            let gid = fields & FUSE_SET_ATTR_GID != 0 ? attributes.st_gid : current.gid
            try fs.chown(path, uid: uid, gid: gid)
        }
        if fields & FUSE_SET_ATTR_SIZE != 0 {
            if let handle, case .file(let owner, let fd)? = handles[handle] {
                try owner.ftruncate(fd, to: Int64(attributes.st_size))
            } else {
                try fs.truncate(path, to: Int64(attributes.st_size))
            }
        }
    }
}
