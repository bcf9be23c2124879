import Glibc

/// The calls on paths.
extension HostFileSystem {
    public func mkdir(_ path: String, permissions: FilePermissions) throws {
        try withParent(path) { try Syscall.mkdirat($0, $1, permissions.rawValue) }
    }

    public func rmdir(_ path: String) throws {
        try withParent(path) { try Syscall.unlinkat($0, $1, AT_REMOVEDIR) }
    }

    public func unlink(_ path: String) throws {
        try withParent(path) { try Syscall.unlinkat($0, $1, 0) }
    }

    public func rename(_ source: String, to target: String, noReplace: Bool) throws {
        let flags = noReplace ? HostFlags.renameNoReplace : 0
        try withParent(source) { fromDirectory, from in
            try withParent(target) { toDirectory, to in
                try Syscall.renameat2(fromDirectory, from, toDirectory, to, flags)
            }
        }
    }

    public func symlink(_ target: String, at path: String) throws {
        try withParent(path) { try Syscall.symlinkat(target, $0, $1) }
    }

    public func readlink(_ path: String) throws -> String {
        // A trailing slash makes the kernel follow the link, and what it reaches is no link: EINVAL, once
        // resolving (inside the root) has raised any error of its own.
        if path.hasSuffix("/"), case .rooted = mode {
            try withFollowed(path) { _ in }
            throw Errno.invalidArgument
        }
        return try withParent(path, lookup: true) { try Syscall.readlinkat($0, $1) }
    }

    public func link(_ existing: String, at path: String) throws {
        try withParent(existing, lookup: true) { fromDirectory, from in
            try withParent(path) { toDirectory, to in
                try Syscall.linkat(fromDirectory, from, toDirectory, to, 0)
            }
        }
    }

    public func stat(_ path: String) throws -> FileStatus {
        try withFollowed(path) { FileStatus(try Syscall.fstatat($0.directory, $0.name, $0.flags)) }
    }

    public func lstat(_ path: String) throws -> FileStatus {
        // A trailing slash makes the kernel follow the link; do that inside the root.
        if path.hasSuffix("/"), case .rooted = mode { return try stat(path) }
        return try withParent(path, lookup: true) { FileStatus(try Syscall.fstatat($0, $1, AT_SYMLINK_NOFOLLOW)) }
    }

    public func chmod(_ path: String, permissions: FilePermissions) throws {
        try withFollowed(path) { try Syscall.fchmodat(AT_FDCWD, $0.path, permissions.rawValue) }
    }

    public func chown(_ path: String, uid: UInt32, gid: UInt32) throws {
        try withFollowed(path) { try Syscall.fchownat($0.directory, $0.name, uid, gid, $0.flags) }
    }

    public func lchown(_ path: String, uid: UInt32, gid: UInt32) throws {
        try withParent(path, lookup: true) { try Syscall.fchownat($0, $1, uid, gid, AT_SYMLINK_NOFOLLOW) }
    }

    public func mknod(_ path: String, kind: FileKind, permissions: FilePermissions, device: UInt64) throws {
        try withParent(path) {
            try Syscall.mknodat($0, $1, kind.hostModeBits | permissions.rawValue, dev_t(device))
        }
    }

    public func setTimes(_ path: String, access: TimeChange, modification: TimeChange, follow: Bool) throws {
        let times = [access.timespec, modification.timespec]
        if follow {
            try withFollowed(path) { try Syscall.utimensat($0.directory, $0.name, times, $0.flags) }
        } else {
            try withParent(path, lookup: true) { try Syscall.utimensat($0, $1, times, AT_SYMLINK_NOFOLLOW) }
        }
    }

    public func truncate(_ path: String, to size: Int64) throws {
        try withFollowed(path) { try Syscall.truncate($0.path, size) }
    }

    public func access(_ path: String, _ mode: AccessMode, follow: Bool) throws {
        let bits = Int32(mode.rawValue)
        if follow {
            try withFollowed(path) { target in _ = try Syscall.retryingOnInterrupt { Glibc.access(target.path, bits) } }
        } else {
            try withParent(path, lookup: true) { directory, name in
                _ = try Syscall.retryingOnInterrupt { faccessat(directory, name, bits, AT_SYMLINK_NOFOLLOW) }
            }
        }
    }

    public func realpath(_ path: String) throws -> String {
        switch mode {
        case .direct:
            guard let resolved = Glibc.realpath(path, nil) else { throw Errno(rawValue: errno) }
            defer { free(resolved) }
            return String(cString: resolved)
        case .unusable(let error):
            throw error
        case .rooted(_, let prefix):
            let resolved = try withFollowed(path) { try Syscall.readlinkat(AT_FDCWD, $0.path) }
            guard resolved.hasPrefix(prefix) else { throw Errno.noSuchFileOrDirectory }
            let inside = resolved.dropFirst(prefix.count)
            if inside.isEmpty { return "/" }
            guard inside.first == "/" else { throw Errno.noSuchFileOrDirectory }
            return String(inside)
        }
    }

    public func readdir(_ path: String) throws -> [DirectoryEntry] {
        let fd = try openDescriptor(path, O_RDONLY | O_DIRECTORY)
        guard let stream = fdopendir(fd) else {
            let error = Errno(rawValue: errno)
            try? Syscall.close(fd)
            throw error
        }
        defer { closedir(stream) }
        var entries: [DirectoryEntry] = []
        while true {
            errno = 0
            guard let entry = Glibc.readdir(stream) else {
                if errno != 0 { throw Errno(rawValue: errno) }
                return entries
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            let kind = try FileKind(directoryEntryType: entry.pointee.d_type)
                ?? FileKind(mode: Syscall.fstatat(fd, name, AT_SYMLINK_NOFOLLOW).st_mode)
            entries.append(DirectoryEntry(name: name, inode: UInt64(entry.pointee.d_ino), kind: kind))
        }
    }
}
