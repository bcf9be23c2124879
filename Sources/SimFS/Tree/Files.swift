/// The calls on file contents: open, read, write, truncate, fsync, close.
extension SimWorld {
    func openFile(_ path: String, _ options: OpenOptions, permissions: FilePermissions,
                  for process: SimProcess) throws -> Descriptor {
        let create = options.contains(.create)
        let exclusive = create && options.contains(.exclusive)
        let follow = !exclusive && !options.contains(.noFollow)
        if create && options.contains(.directory) { throw Errno.invalidArgument }  // Linux 6.4 and later
        // With O_CREAT a trailing slash does not follow a last symbolic link: it is EISDIR below.
        let slashEnd = path.utf8.count > 1 && path.utf8.last == UInt8(ascii: "/")
        let at = try resolve(path, for: process, followLast: follow && !(create && slashEnd), slashFollows: !create)
        let writable = options.contains(.write)
        if create && !at.isNormal { throw exclusive ? Errno.fileExists : Errno.isDirectory }  // ".", "..", "/"
        if create && at.trailingSlash { throw Errno.isDirectory }  // O_CREAT never makes a directory
        var node: Inode
        if let existing = at.inode {
            if exclusive { throw Errno.fileExists }
            if at.trailingSlash && existing.kind != .directory { throw Errno.notDirectory }
            if options.contains(.directory) && existing.kind != .directory { throw Errno.notDirectory }
            if existing.kind == .symbolicLink { throw Errno.tooManySymbolicLinkLevels }  // O_NOFOLLOW
            if existing.kind == .directory && (writable || create || options.contains(.truncate)) {
                throw Errno.isDirectory
            }
            if existing.region == .proc && writable { throw Errno.permissionDenied }
            try requireOpen(existing, options, by: process)
            // A socket cannot be opened (Linux: ENXIO). FIFOs and devices have no I/O in SimFS: ENXIO too,
            // a documented limit (over FUSE the kernel opens them itself).
            if existing.kind == .socket || existing.kind == .fifo || existing.kind == .characterDevice
                || existing.kind == .blockDevice {
                throw Errno.noSuchAddressOrDevice
            }
            node = existing
            // O_TRUNC of an existing file sets mtime and ctime even when it was empty (`handle_truncate`).
            if options.contains(.truncate) && node.kind == .regular {
                node.data.removeAll(keepingCapacity: true)
                node.hole = 0
                changedData(node, by: process)
                // Over FUSE an O_TRUNC open comes whole (atomic_o_trunc): the kernel leaves the set-id bits
                // to the server, which drops what `do_truncate` would (without the caller's groups).
                if process.kernelDropsSetID && !process.credentials.isRoot && node.permissions & 0o6000 != 0 {
                    dropSetIDBits(node)
                }
            }
        } else {
            guard create else { throw Errno.noSuchFileOrDirectory }
            try refuseProc(at)
            try requireCreate(in: at.parent, by: process)
            node = makeInode(region: at.parent.region, kind: .regular,
                             permissions: permissions.rawValue & 0o7777 & ~process.umask)
            own(node, in: at.parent, by: process)
            setEntry(at.parent, at.name, to: node)
            touch(at.parent)
            recordChange([EntrySlot(directory: at.parent.id, name: at.name, inode: node.id)])
        }
        let file = OpenFile(inode: node, path: path, readable: options.contains(.read) || !writable,
                            writable: writable, append: options.contains(.append), owner: process)
        node.openCount += 1
        return process.install(file)
    }

    func closeFile(_ fd: Descriptor, for process: SimProcess) {
        guard let file = process.file(fd) else { return }
        process.files[Int(fd.rawValue)] = nil
        release(file)
    }

    /// The last reference to an open file description is gone: drop its flock, its range locks and maybe
    /// the inode.
    func release(_ file: OpenFile) {
        if file.lockMode != .unlock { unlockFlock(file) }
        if !file.inode.rangeLocks.isEmpty { unlockRanges(file) }
        file.inode.openCount -= 1
        freeIfUnreferenced(file.inode)
    }

    func readFile(_ file: OpenFile, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64?) throws -> Int {
        guard file.readable else { throw Errno.badFileDescriptor }
        let node = file.inode
        if node.kind == .directory { throw Errno.isDirectory }
        let start = offset ?? file.offset
        if start < 0 { throw Errno.invalidArgument }
        let count = readContents(node, into: buffer, at: start)
        if offset == nil { file.offset = start + Int64(count) }
        return count
    }

    func writeFile(_ file: OpenFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64?) throws -> Int {
        guard file.writable else { throw Errno.badFileDescriptor }
        let node = file.inode
        // pwrite on an O_APPEND file appends too (a Linux bug kept for compatibility).
        let start = file.append ? node.size : (offset ?? file.offset)
        if start < 0 { throw Errno.invalidArgument }
        let count = try writeContents(node, bytes, at: start)
        if offset == nil { file.offset = start + Int64(count) }
        changedData(node, by: file.owner)
        return count
    }

    /// `truncate(2)`, or with `always` `ftruncate(2)`: tmpfs changes mtime and ctime when the size changes,
    /// and ftruncate asks for them anyway (`do_sys_ftruncate` passes ATTR_MTIME | ATTR_CTIME).
    func truncateFile(_ node: Inode, to size: Int64, always: Bool, by process: SimProcess) throws {
        if size < 0 { throw Errno.invalidArgument }
        if node.kind == .directory { throw Errno.isDirectory }
        guard node.kind == .regular else { throw Errno.invalidArgument }
        if node.region == .proc { throw Errno.notPermitted }
        let old = node.size
        if size < old, let memory = mappedMemory[node.id] { memory.zero(from: size) }
        resizeContents(node, to: size)
        if always || size != old { changedData(node, by: process) }
    }

    /// Marks new contents: times, pending durability on the disk, and (`file_remove_privs`) the loss of
    /// setuid, and of setgid with group execute, when the writer is not root.
    @inline(__always)
    func changedData(_ node: Inode, by process: SimProcess) {
        let now = wallTimeNow()
        node.modificationTime = now
        node.changeTime = now
        if node.region.isPersistent { node.dataDirty = true }
        // Over FUSE the kernel drops them itself first (a setattr of the mode), knowing the caller's groups.
        if node.permissions & 0o6000 != 0 && !process.credentials.isRoot && !process.kernelDropsSetID {
            dropSetIDBits(node, caller: process)
        }
    }

    func syncFile(_ file: OpenFile) {
        let node = file.inode
        if node.kind == .directory {
            commitEntries(of: node)
        } else {
            commitData(of: node)
        }
    }

    /// `readdir`, in an order derived from the seed and the names (like ext4's hashed directories): stable
    /// for one seed, not sorted.
    func listDirectory(_ path: String, for process: SimProcess) throws -> [DirectoryEntry] {
        let at = try resolve(path, for: process, followLast: true)
        guard let node = at.inode else { throw Errno.noSuchFileOrDirectory }
        guard node.kind == .directory else { throw Errno.notDirectory }
        try require(node, .read, by: process)  // opendir: an open for reading
        var keyed: [(UInt64, DirectoryEntry)] = []
        keyed.reserveCapacity(node.entries.count)
        let key = seeds.listing
        for (name, id) in node.entries {
            keyed.append((nameHash(name, key), DirectoryEntry(name: name, inode: id, kind: inode(id).kind)))
        }
        keyed.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.name < $1.1.name }
        return keyed.map { $0.1 }
    }

    /// The order key of `name` in a listing: a hash keyed by the run's `listing` seed.
    func nameHash(_ name: String, _ key: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ key
        for byte in name.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        return h ^ (h >> 32)
    }

    func statPath(_ path: String, follow: Bool, for process: SimProcess) throws -> FileStatus {
        let at = try resolve(path, for: process, followLast: follow)
        guard let node = at.inode else { throw Errno.noSuchFileOrDirectory }
        if at.trailingSlash && node.kind != .directory { throw Errno.notDirectory }
        return node.status()
    }

    /// Resolves an existing file for chmod, chown, truncate.
    func existing(_ path: String, follow: Bool, for process: SimProcess) throws -> Inode {
        let at = try resolve(path, for: process, followLast: follow)
        guard let node = at.inode else { throw Errno.noSuchFileOrDirectory }
        if at.trailingSlash && node.kind != .directory { throw Errno.notDirectory }
        return node
    }
}
