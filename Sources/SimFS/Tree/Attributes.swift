/// Owners, modes, times and special nodes, by the rules of Linux's `fs/attr.c`, `fs/inode.c` and
/// `fs/utimes.c`. Root (uid 0) stands for every capability. Read, write and search permission of paths
/// are Permissions.swift's; simulated programs run as root unless given credentials, and the FUSE mount
/// gives each request its caller's (docs/ARCHITECTURE.md, "POSIX parity").
extension SimWorld {
    /// `inode_init_owner`: the creator's fsuid; the directory's group when it is setgid (and a new
    /// directory stays setgid), else the creator's fsgid. A new file loses setgid when its creator is
    /// neither in its group nor root (`mode_strip_sgid`).
    func own(_ node: Inode, in directory: Inode, by process: SimProcess) {
        let credentials = process.credentials
        node.uid = credentials.uid
        if directory.permissions & 0o2000 != 0 {
            node.gid = directory.gid
            if node.kind == .directory {
                node.permissions |= 0o2000
            } else if node.permissions & 0o2010 == 0o2010 && !credentials.isRoot && !process.kernelDropsSetID
                        && !process.inGroup(node.gid) {
                node.permissions &= ~0o2000
            }
        } else {
            node.gid = credentials.gid
        }
    }

    /// Whether `process` owns `node` or is root (`inode_owner_or_capable`).
    func ownsOrRoot(_ node: Inode, _ process: SimProcess) -> Bool {
        process.credentials.isRoot || process.credentials.uid == node.uid
    }

    /// `chmod(2)`: owner or root; setgid goes when the caller is neither in the file's group nor root.
    func changeMode(_ node: Inode, to permissions: UInt32, by process: SimProcess) throws {
        if node.region == .proc { throw Errno.notPermitted }
        var mode = permissions & 0o7777
        // Over FUSE the kernel's `file_remove_privs` asks for the mode without set-id bits in the name of
        // whoever writes, truncates or chowns: a change that only clears them is that, not a chmod.
        let dropsSetID = mode & ~0o6000 == node.permissions & ~0o6000 && mode & ~node.permissions == 0
        if process.kernelDropsSetID && dropsSetID && mode != node.permissions {
            node.permissions = mode
            node.changeTime = wallTimeNow()
            return
        }
        guard ownsOrRoot(node, process) else { throw Errno.notPermitted }
        // `setattr_prepare` (over FUSE without default_permissions the kernel skips it: ATTR_FORCE).
        if !process.credentials.isRoot && !process.inGroup(node.gid) {
            mode &= ~0o2000
        }
        node.permissions = mode
        node.changeTime = wallTimeNow()
    }

    /// `chown(2)`/`lchown(2)` (`chown_ok`, `chgrp_ok`, `chown_common`): `UInt32.max` keeps an id. Only root
    /// gives a file away; its owner may change its group to one of its own. Every call sets ctime, and on
    /// anything but a directory drops setuid, and setgid when group execute is set (or the caller may not
    /// keep it), even when nothing changes.
    func changeOwner(_ node: Inode, uid: UInt32, gid: UInt32, by process: SimProcess) throws {
        if node.region == .proc { throw Errno.notPermitted }
        let credentials = process.credentials
        if !credentials.isRoot {
            if uid != UInt32.max && uid != node.uid { throw Errno.notPermitted }
            if gid != UInt32.max && (credentials.uid != node.uid || (gid != node.gid && !process.inGroup(gid))) {
                throw Errno.notPermitted
            }
        }
        if uid != UInt32.max { node.uid = uid }
        if gid != UInt32.max { node.gid = gid }
        if node.kind != .directory && node.kind != .symbolicLink {
            // Over FUSE the kernel sent the mode it keeps along (it knows every group of the caller).
            dropSetIDBits(node, caller: process.kernelDropsSetID ? nil : process)
        }
        node.changeTime = wallTimeNow()
    }

    /// `should_remove_suid`/`setattr_should_drop_sgid`: setuid always; setgid when group execute is set, or
    /// when `caller` (if given) is neither in the group nor root.
    func dropSetIDBits(_ node: Inode, caller: SimProcess? = nil) {
        node.permissions &= ~0o4000
        if node.permissions & 0o2010 == 0o2010 {
            node.permissions &= ~0o2000
        } else if let caller, node.permissions & 0o2000 != 0, !caller.credentials.isRoot, !caller.inGroup(node.gid) {
            node.permissions &= ~0o2000
        }
    }

    /// `utimensat(2)`: explicit times need the owner or root (EPERM); `UTIME_NOW` for both needs the owner,
    /// root or write permission (EACCES). Both omitted changes nothing, not even ctime.
    func changeTimes(_ node: Inode, access: TimeChange, modification: TimeChange, by process: SimProcess) throws {
        if case .omit = access, case .omit = modification { return }
        if node.region == .proc { throw Errno.notPermitted }
        // Only `UTIME_NOW` for both (or no times at all) is a touch; anything else, even `UTIME_NOW` with
        // `UTIME_OMIT`, is an explicit change for the owner (`do_utimes` turns only both-now into NULL).
        let explicit = access != .now || modification != .now
        if !ownsOrRoot(node, process) {
            if explicit { throw Errno.notPermitted }
            guard permitted(node, .write, by: process) else { throw Errno.permissionDenied }
        }
        let now = wallTimeNow()
        func resolved(_ change: TimeChange, _ current: WallTime) throws -> WallTime {
            switch change {
            case .to(let time):
                guard time.nanoseconds >= 0 && time.nanoseconds < 1_000_000_000 else { throw Errno.invalidArgument }
                return time
            case .now: return now
            case .omit: return current
            }
        }
        let accessTime = try resolved(access, node.accessTime)
        let modificationTime = try resolved(modification, node.modificationTime)
        node.accessTime = accessTime
        node.modificationTime = modificationTime
        node.changeTime = now
    }

    /// `mknod(2)`: a regular file, FIFO, socket or device node. Devices need root (CAP_MKNOD); a directory
    /// is EPERM and a symbolic link EINVAL (`may_mknod`); the umask applies.
    func makeNode(_ path: String, kind: FileKind, permissions: FilePermissions, device: UInt64,
                  for process: SimProcess) throws {
        switch kind {
        case .directory: throw Errno.notPermitted  // `may_mknod`
        case .symbolicLink: throw Errno.invalidArgument
        default: break
        }
        let at = try resolve(path, for: process, followLast: false, slashFollows: false)
        if at.inode != nil || !at.isNormal { throw Errno.fileExists }
        if at.trailingSlash { throw Errno.noSuchFileOrDirectory }
        try refuseProc(at)
        try requireCreate(in: at.parent, by: process)
        // `vfs_mknod`: devices need CAP_MKNOD, checked after the directory's permission.
        if kind == .characterDevice || kind == .blockDevice, !process.credentials.isRoot { throw Errno.notPermitted }
        let node = makeInode(region: at.parent.region, kind: kind,
                             permissions: permissions.rawValue & 0o7777 & ~process.umask)
        if kind == .characterDevice || kind == .blockDevice { node.specialDevice = device }
        own(node, in: at.parent, by: process)
        setEntry(at.parent, at.name, to: node)
        touch(at.parent)
        recordChange([EntrySlot(directory: at.parent.id, name: at.name, inode: node.id)])
    }
}
