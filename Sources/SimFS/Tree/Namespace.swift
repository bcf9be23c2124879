/// The namespace calls: mkdir, rmdir, unlink, rename, link, symlink. Errno rules follow Linux `namei.c`.
extension SimWorld {
    /// Fails a change of names inside `/proc` as Linux does: a new name is ENOENT, an existing one EPERM.
    func refuseProc(_ resolved: Resolved) throws {
        guard resolved.parent.region == .proc else { return }
        throw resolved.inode == nil ? Errno.noSuchFileOrDirectory : Errno.notPermitted
    }

    /// Whether `node` is the root or a mount point, which cannot be removed or renamed (EBUSY).
    func isMountPoint(_ node: Inode) -> Bool { node.isMountRoot }

    func makeDirectory(_ path: String, permissions: FilePermissions, for process: SimProcess) throws {
        let at = try resolve(path, for: process, followLast: false, slashFollows: false)
        if at.inode != nil { throw Errno.fileExists }
        try refuseProc(at)
        try requireCreate(in: at.parent, by: process)
        let node = makeInode(region: at.parent.region, kind: .directory,
                             permissions: permissions.rawValue & 0o7777 & ~process.umask)
        own(node, in: at.parent, by: process)
        setEntry(at.parent, at.name, to: node)
        touch(at.parent)
        recordChange([EntrySlot(directory: at.parent.id, name: at.name, inode: node.id)])
    }

    func removeDirectory(_ path: String, for process: SimProcess) throws {
        let at = try resolve(path, for: process, followLast: false, slashFollows: false)
        guard let node = at.inode else { throw Errno.noSuchFileOrDirectory }
        if !at.isNormal {
            throw at.name == "." ? Errno.invalidArgument : (at.name == ".." ? Errno.directoryNotEmpty : Errno.resourceBusy)
        }
        try refuseProc(at)
        try requireDelete(node, in: at.parent, by: process)
        guard node.kind == .directory else { throw Errno.notDirectory }
        if isMountPoint(node) { throw Errno.resourceBusy }
        guard node.entries.isEmpty else { throw Errno.directoryNotEmpty }
        setEntry(at.parent, at.name, to: nil)
        touch(at.parent)
        recordChange([EntrySlot(directory: at.parent.id, name: at.name, inode: 0)], alsoDirectories: [node.id])
        freeIfUnreferenced(node)
    }

    func unlinkFile(_ path: String, for process: SimProcess) throws {
        let at = try resolve(path, for: process, followLast: false, slashFollows: false)
        guard let node = at.inode else { throw Errno.noSuchFileOrDirectory }
        if at.trailingSlash { throw node.kind == .directory ? Errno.isDirectory : Errno.notDirectory }
        try refuseProc(at)
        try requireDelete(node, in: at.parent, by: process)
        if node.kind == .directory { throw Errno.isDirectory }
        setEntry(at.parent, at.name, to: nil)
        touch(at.parent)
        node.changeTime = wallTimeNow()
        recordChange([EntrySlot(directory: at.parent.id, name: at.name, inode: 0)])
        freeIfUnreferenced(node)
    }

    func makeSymlink(_ target: String, at path: String, for process: SimProcess) throws {
        let at = try resolve(path, for: process, followLast: false, slashFollows: false)
        if at.inode != nil || !at.isNormal { throw Errno.fileExists }
        if target.isEmpty || at.trailingSlash { throw Errno.noSuchFileOrDirectory }
        try refuseProc(at)
        try requireCreate(in: at.parent, by: process)
        let node = makeInode(region: at.parent.region, kind: .symbolicLink, permissions: 0o777)
        node.target = target
        own(node, in: at.parent, by: process)
        setEntry(at.parent, at.name, to: node)
        touch(at.parent)
        recordChange([EntrySlot(directory: at.parent.id, name: at.name, inode: node.id)])
    }

    func makeLink(_ existing: String, at path: String, for process: SimProcess) throws {
        let source = try resolve(existing, for: process, followLast: false)
        guard let node = source.inode else { throw Errno.noSuchFileOrDirectory }
        if source.trailingSlash && node.kind != .directory { throw Errno.notDirectory }
        let at = try resolve(path, for: process, followLast: false, slashFollows: false)
        if at.inode != nil || !at.isNormal { throw Errno.fileExists }
        if at.trailingSlash { throw Errno.noSuchFileOrDirectory }
        if at.parent.region != node.region { throw Errno.improperLink }
        try refuseProc(at)
        try requireSafeHardlink(node, by: process)
        try requireCreate(in: at.parent, by: process)
        if node.kind == .directory { throw Errno.notPermitted }
        setEntry(at.parent, at.name, to: node)
        touch(at.parent)
        node.changeTime = wallTimeNow()
        recordChange([EntrySlot(directory: at.parent.id, name: at.name, inode: node.id)])
    }

    /// `renameat2(2)` with or without `RENAME_NOREPLACE`: one atomic, indivisible change.
    func renameEntry(_ sourcePath: String, to targetPath: String, noReplace: Bool, for process: SimProcess) throws {
        let source = try resolve(sourcePath, for: process, followLast: false, slashFollows: false)
        let target = try resolve(targetPath, for: process, followLast: false, slashFollows: false)
        if source.parent.region != target.parent.region { throw Errno.improperLink }
        if !source.isNormal { throw Errno.resourceBusy }
        if !target.isNormal { throw noReplace ? Errno.fileExists : Errno.resourceBusy }
        guard let node = source.inode else { throw Errno.noSuchFileOrDirectory }
        if noReplace && target.inode != nil { throw Errno.fileExists }
        if source.parent.region == .proc || target.parent.region == .proc {
            throw target.inode == nil ? Errno.noSuchFileOrDirectory : Errno.notPermitted
        }
        if node.kind != .directory && (source.trailingSlash || target.trailingSlash) { throw Errno.notDirectory }
        // The target may not lie inside the directory being moved (EINVAL), nor the source inside the target
        // (ENOTEMPTY); Linux checks both before the types.
        if isAncestor(node, of: target.parent) { throw Errno.invalidArgument }
        if let existing = target.inode, existing.kind == .directory, isAncestor(existing, of: source.parent) {
            throw Errno.directoryNotEmpty
        }
        if let existing = target.inode, existing === node { return }
        try requireDelete(node, in: source.parent, by: process)
        if let existing = target.inode {
            try requireDelete(existing, in: target.parent, by: process)
        } else {
            try requireCreate(in: target.parent, by: process)
        }
        if let existing = target.inode {
            if node.kind == .directory {
                guard existing.kind == .directory else { throw Errno.notDirectory }
            } else if existing.kind == .directory {
                throw Errno.isDirectory
            }
        }
        // A directory that changes parent gets a new "..": it needs write permission itself.
        if node.kind == .directory && source.parent !== target.parent { try require(node, .write, by: process) }
        if node.kind == .directory && isMountPoint(node) { throw Errno.resourceBusy }
        if let existing = target.inode {
            if isMountPoint(existing) { throw Errno.resourceBusy }
            if existing.kind == .directory && !existing.entries.isEmpty { throw Errno.directoryNotEmpty }
        }
        let replaced = target.inode
        setEntry(source.parent, source.name, to: nil)
        setEntry(target.parent, target.name, to: node)
        let now = wallTimeNow()
        source.parent.modificationTime = now
        source.parent.changeTime = now
        target.parent.modificationTime = now
        target.parent.changeTime = now
        node.changeTime = now
        if let replaced { replaced.changeTime = now }  // it lost a name, as in unlink
        var extra: [UInt64] = []
        if node.kind == .directory { extra.append(node.id) }
        if let replaced, replaced.kind == .directory { extra.append(replaced.id) }
        recordChange([EntrySlot(directory: source.parent.id, name: source.name, inode: 0),
                      EntrySlot(directory: target.parent.id, name: target.name, inode: node.id)],
                     alsoDirectories: extra)
        if let replaced { freeIfUnreferenced(replaced) }
    }

    /// Whether `directory` is `node` or one of its ancestors.
    func isAncestor(_ node: Inode, of directory: Inode) -> Bool {
        guard node.kind == .directory else { return false }
        var current = directory
        while true {
            if current === node { return true }
            if current.id == rootID { return false }
            current = inode(current.parent)
        }
    }

    /// Sets a directory's mtime and ctime after a change of its entries.
    @inline(__always)
    func touch(_ directory: Inode) {
        let now = wallTimeNow()
        directory.modificationTime = now
        directory.changeTime = now
    }
}
