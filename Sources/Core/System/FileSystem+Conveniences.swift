/// Small compositions of `FileSystem` calls that Core uses everywhere.
extension FileSystem {
    /// Reads a whole file. EFBIG when it is longer than `limit` bytes.
    public func readFile(_ path: String, limit: Int = Int.max) throws -> [UInt8] {
        let fd = try open(path, .read)
        defer { try? close(fd) }
        // The first read goes straight into the result; small for a small limit (the alive file, boot id).
        let size = limit < 64 * 1024 ? limit + 1 : 64 * 1024
        var result = try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = try read(fd, into: UnsafeMutableRawBufferPointer(buffer))
        }
        if result.isEmpty { return result }
        var chunk = [UInt8](unsafeUninitializedCapacity: size) { _, count in count = size }  // not zeroed
        while true {
            if result.count > limit { throw Errno.fileTooLarge }
            let count = try chunk.withUnsafeMutableBytes { try read(fd, into: $0) }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes all of `bytes` at the file offset, looping over short writes.
    public func writeAll(_ fd: Descriptor, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let written = try write(fd, UnsafeRawBufferPointer(rebasing: buffer[done...]))
                if written <= 0 { throw Errno.ioError }
                done += written
            }
        }
    }

    /// Whether anything, even a dangling symbolic link, is at `path`.
    public func exists(_ path: String) throws -> Bool {
        do {
            _ = try lstat(path)
            return true
        } catch Errno.noSuchFileOrDirectory {
            return false
        }
    }

    /// `rm -rf` of `path`, best effort: symbolic links are removed, not followed; what cannot be removed stays.
    package func removeTree(_ path: String) {
        guard let status = try? lstat(path) else { return }
        if status.kind == .directory {
            for entry in (try? readdir(path)) ?? [] { removeTree(path + "/" + entry.name) }
            try? rmdir(path)
        } else {
            try? unlink(path)
        }
    }

    /// `mkdir -p`: creates `path` and its missing parents with `permissions`. An existing directory is fine.
    /// As Go's `os.MkdirAll` (podman's): an existing path costs one `stat`, a missing one a `stat` per missing
    /// level and its `mkdir`.
    public func makeDirectories(_ path: String, permissions: FilePermissions) throws {
        try makeDirectories(path, permissions: permissions, afterCreating: { _ in })
    }

    /// `makeDirectories`, calling `afterCreating(parent)` after each directory it makes.
    package func makeDirectories(_ path: String, permissions: FilePermissions,
                                 afterCreating: (String) throws -> Void) throws {
        if let status = try? stat(path) {
            guard status.kind == .directory else { throw Errno.notDirectory }
            return
        }
        var end = path.endIndex
        while end > path.startIndex, path[path.index(before: end)] == "/" { end = path.index(before: end) }
        let trimmed = path[..<end]
        let slash = trimmed.lastIndex(of: "/")
        let parent = slash.map { $0 == trimmed.startIndex ? "/" : String(trimmed[..<$0]) } ?? ""
        if !parent.isEmpty, parent != "/" {
            try makeDirectories(parent, permissions: permissions, afterCreating: afterCreating)
        }
        do {
            try mkdir(String(trimmed), permissions: permissions)
        } catch Errno.fileExists {
            guard try stat(path).kind == .directory else { throw Errno.notDirectory }
            return
        }
        try afterCreating(parent.isEmpty ? "." : parent)
    }
}
