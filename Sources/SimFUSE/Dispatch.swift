import CFuse3
import Core
import Glibc

/// Runs one operation against the caller's view of the machine and says what to answer.
extension FUSEServer {
    func perform(_ operation: Operation, _ caller: Caller, _ req: fuse_req_t) throws -> Reply {
        let fs = machine.fileSystem(for: caller)
        switch operation {
        case .lookup(let parent, let name):
            return try entry(fs, try child(parent, name))
        case .getattr(let node, let handle):
            return .attributes(stat(try status(fs, node, handle)))
        case .setattr(let node, let attributes, let fields, let handle):
            try setAttributes(fs, node, attributes, fields, handle, caller, req)
            return .attributes(stat(try status(fs, node, handle)))
        case .readlink(let node):
            return .link(try fs.readlink(try path(node)))
        case .symlink(let target, let parent, let name):
            let path = try child(parent, name)
            try fs.symlink(target, at: path)
            return try entry(fs, path)
        case .mknod(let parent, let name, let mode, let device):
            let path = try child(parent, name)
            let kind = mode & S_IFMT == 0 ? FileKind.regular : FileKind(modeBits: mode & S_IFMT)
            try fs.mknod(path, kind: kind, permissions: permissions(mode), device: device)
            try keepMode(fs, path, mode)
            return try entry(fs, path)
        case .mkdir(let parent, let name, let mode):
            let path = try child(parent, name)
            try fs.mkdir(path, permissions: permissions(mode))
            try keepMode(fs, path, mode)
            return try entry(fs, path)
        case .unlink(let parent, let name):
            let path = try child(parent, name)
            try fs.unlink(path)
            nodes.removed(path)
            return .ok
        case .rmdir(let parent, let name):
            let path = try child(parent, name)
            try fs.rmdir(path)
            nodes.removed(path)
            return .ok
        case .rename(let parent, let name, let newParent, let newName, let flags):
            guard flags & ~Self.renameNoReplace == 0 else { return .error(EINVAL) }
            let source = try child(parent, name)
            let target = try child(newParent, newName)
            try fs.rename(source, to: target, noReplace: flags != 0)
            nodes.renamed(source, to: target)
            // The kernel moves its cached name along, with the timeout it had.
            if !keepsNames(fs, under: target) {
                invalidateAfterReply.append(CachedName(parent: newParent, name: newName))
            }
            return .ok
        case .link(let node, let newParent, let newName):
            let target = try child(newParent, newName)
            try fs.link(try path(node), at: target)
            return try entry(fs, target)
        case .open(let node, var info):
            if caller.uid != 0 && info.flags & O_TRUNC != 0 { try? dropSetgidOfOutsider(fs, try path(node), caller, req) }
            var options = Self.options(info.flags)
            if info.flags & Self.openForExec != 0 { options.insert(.execute) }
            let fd = try fs.open(try path(node), options, permissions: FilePermissions(rawValue: 0))
            info.fh = handles.add(.file(fs: fs, fd: fd))
            handles.attach(info.fh, to: node)
            return .opened(info)
        case .create(let parent, let name, let mode, var info):
            let path = try child(parent, name)
            let fd = try fs.open(path, Self.options(info.flags).union(.create), permissions: permissions(mode))
            info.fh = handles.add(.file(fs: fs, fd: fd))
            try keepMode(fs, path, mode)
            let status = try fs.fstat(fd)
            let node = nodes.remember(path, device: status.device, inode: status.inode,
                                      isDirectory: status.kind == .directory)
            handles.attach(info.fh, to: node)
            return .created(node: node, attributes: stat(status), uncached: !keepsNames(fs, under: path), info: info)
        case .opendir(let node, var info):
            let path = try path(node)
            let entries = try fs.readdir(path)
            info.fh = handles.add(.directory(fs: fs, path: path, entries: entries, fd: nil))
            return .opened(info)
        case .statfs:
            var info = statvfs()
            info.f_bsize = 4096
            info.f_frsize = 4096
            info.f_blocks = 1 << 20
            info.f_bfree = 1 << 19
            info.f_bavail = 1 << 19
            info.f_files = 1 << 20
            info.f_ffree = 1 << 19
            info.f_favail = 1 << 19
            info.f_namemax = 255
            return .statfs(info)
        case .access(let node, let mask):
            // access(2), faccessat(2) and chdir(2) (as X_OK): the kernel asks without default_permissions.
            try fs.access(try path(node), AccessMode(rawValue: UInt32(mask & 7)), follow: false)
            return .ok
        case .read, .write, .flush, .release, .fsync, .readdir, .releasedir, .fsyncdir:
            return try performOnHandle(operation, caller, req)
        }
    }

    /// The path of a known node: ESTALE for a node from an earlier boot or one already forgotten.
    func path(_ node: UInt64) throws -> String {
        guard let path = nodes.path(node) else { throw Errno.staleNFSFileHandle }
        return path
    }

    func child(_ parent: UInt64, _ name: String) throws -> String {
        guard let path = nodes.child(parent, name) else { throw Errno.staleNFSFileHandle }
        return path
    }

    /// Looks `path` up and answers with a new entry (one more kernel lookup of its node).
    func entry(_ fs: any FileSystem, _ path: String) throws -> Reply {
        let status = try fs.lstat(path)
        let node = nodes.remember(path, device: status.device, inode: status.inode,
                                  isDirectory: status.kind == .directory)
        return .entry(node: node, attributes: stat(status), uncached: !keepsNames(fs, under: path))
    }

    /// Whether the kernel may keep the name `path` cached: it walks a cached name without asking, so
    /// without default_permissions only where every caller may search the directory (all three execute
    /// bits) is the answer the same for all of them.
    func keepsNames(_ fs: any FileSystem, under path: String) -> Bool {
        guard machine.checksPermissions, let slash = path.lastIndex(of: "/") else { return true }
        let parent = slash == path.startIndex ? "/" : String(path[..<slash])
        guard let status = try? fs.lstat(parent) else { return false }
        return status.permissions.rawValue & 0o111 == 0o111
    }

    /// The status of a node: through an open handle of it (the right file even when its name is gone or
    /// taken by another), else by path.
    func status(_ fs: any FileSystem, _ node: UInt64, _ handle: UInt64?) throws -> FileStatus {
        if let (owner, fd) = handles.openFile(handle, node: node) { return try owner.fstat(fd) }
        return try fs.lstat(try path(node))
    }

    func permissions(_ mode: UInt32) -> FilePermissions { FilePermissions(rawValue: mode_t(mode & 0o7777)) }

    /// The kernel already applied the caller's umask; if the backend masked again, put the permission bits
    /// back (the set-id bits are the backend's to decide: a setgid directory passes its bit on).
    func keepMode(_ fs: any FileSystem, _ path: String, _ mode: UInt32) throws {
        let current = try fs.lstat(path).permissions.rawValue
        let wanted = (current & ~0o777) | mode_t(mode & 0o777)
        if current != wanted { try fs.chmod(path, permissions: FilePermissions(rawValue: wanted)) }
    }

    /// `__FMODE_EXEC` in an open's flags: the open of an `execve`, which needs execute permission, not read.
    static let openForExec: Int32 = 0o40

    /// `RENAME_NOREPLACE` of renameat2(2); the only rename flag served (EXCHANGE and WHITEOUT are EINVAL).
    static let renameNoReplace: UInt32 = 1

    /// The `OpenOptions` for the `open(2)` flags the kernel passes on.
    static func options(_ flags: Int32) -> OpenOptions {
        var options: OpenOptions
        switch flags & O_ACCMODE {
        case O_WRONLY: options = .write
        case O_RDWR: options = .readWrite
        default: options = .read
        }
        if flags & O_TRUNC != 0 { options.insert(.truncate) }
        if flags & O_APPEND != 0 { options.insert(.append) }
        if flags & O_EXCL != 0 { options.insert(.exclusive) }
        return options
    }
}
