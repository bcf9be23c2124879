/// Read, write and search permission by the mode bits, as Linux's `fs/namei.c` checks them: one place for
/// the in-process simulation and the FUSE mount (where the kernel checks first under `default_permissions`,
/// and leaves them to the server with `bootsim mount --server-permissions`). Root (uid 0) stands for
/// CAP_DAC_OVERRIDE and CAP_FOWNER. A path is searched from the root (or the working directory) through
/// every directory on it; over FUSE the kernel walks from a process's own working directory, so a caller
/// inside a directory it may no longer reach from the root is refused here where Linux lets it go on.
struct Access: OptionSet {
    let rawValue: UInt32
    static let execute = Access(rawValue: 1)
    static let write = Access(rawValue: 2)
    static let read = Access(rawValue: 4)
}

extension SimWorld {
    /// `generic_permission`: the owner's bits for the owner, the group's for a member (the groups are only
    /// looked at when the group and other bits differ in what is asked, as `acl_permission_check`), else
    /// the other bits. Root may do anything but execute a non-directory without any execute bit.
    func permitted(_ node: Inode, _ access: Access, by process: SimProcess) -> Bool {
        let mode = node.permissions
        let wanted = access.rawValue
        let credentials = process.credentials
        if credentials.isRoot { return wanted & 1 == 0 || node.kind == .directory || mode & 0o111 != 0 }
        if credentials.uid == node.uid { return wanted & ~(mode >> 6) & 7 == 0 }
        if wanted & (mode ^ (mode >> 3)) & 7 != 0 && process.inGroup(node.gid) { return wanted & ~(mode >> 3) & 7 == 0 }
        return wanted & ~mode & 7 == 0
    }

    /// EACCES unless `permitted`.
    @inline(__always)
    func require(_ node: Inode, _ access: Access, by process: SimProcess) throws {
        if !permitted(node, access, by: process) { throw Errno.permissionDenied }
    }

    /// `may_create`: write and search permission on the directory that gets the new name.
    @inline(__always)
    func requireCreate(in directory: Inode, by process: SimProcess) throws {
        if !process.credentials.isRoot { try require(directory, [.write, .execute], by: process) }
    }

    /// `may_delete`: write and search permission on the directory (EACCES), then in a sticky directory
    /// only the file's owner, the directory's owner or root may take the name away (`check_sticky`, EPERM).
    func requireDelete(_ node: Inode, in directory: Inode, by process: SimProcess) throws {
        let credentials = process.credentials
        if credentials.isRoot { return }
        try require(directory, [.write, .execute], by: process)
        if directory.permissions & 0o1000 != 0 && node.uid != credentials.uid && directory.uid != credentials.uid {
            throw Errno.notPermitted
        }
    }

    /// `may_linkat` with `fs.protected_hardlinks = 1` (the default): only the owner or root may link a file
    /// that is not a plain regular file the caller may read and write (no setuid, no setgid with group
    /// execute); EPERM otherwise.
    func requireSafeHardlink(_ node: Inode, by process: SimProcess) throws {
        if ownsOrRoot(node, process) { return }
        let mode = node.permissions
        let safe = node.kind == .regular && mode & 0o4000 == 0 && mode & 0o2010 != 0o2010
            && permitted(node, [.read, .write], by: process)
        if !safe { throw Errno.notPermitted }
    }

    /// `may_open`: read for a read, write for a write or `O_TRUNC`, execute for an `execve` (which needs no
    /// read permission).
    func requireOpen(_ node: Inode, _ options: OpenOptions, by process: SimProcess) throws {
        var access: Access = []
        if options.contains(.execute) {
            access = .execute
        } else if options.contains(.read) || !options.contains(.write) {
            access = .read
        }
        if options.contains(.write) || options.contains(.truncate) { access.insert(.write) }
        try require(node, access, by: process)
    }

    /// `access(2)`/`faccessat(2)`: the path must exist, then each asked bit is checked (none: existence).
    func checkAccess(_ path: String, _ mode: AccessMode, follow: Bool, for process: SimProcess) throws {
        let node = try existing(path, follow: follow, for: process)
        try require(node, Access(rawValue: mode.rawValue & 7), by: process)
    }
}
