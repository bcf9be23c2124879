/// Small compositions of `FileSystem` calls that Core uses everywhere.
extension FileSystem {
    /// Reads a whole file. EFBIG when it is longer than `limit` bytes.
    public func readFile(_ path: String, limit: Int = Int.max) throws -> [UInt8] {
        let fd = try open(path, .read)
        defer { try? close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try read(fd, into: $0) }
            if count == 0 { return result }
            if result.count + count > limit { throw Errno.fileTooLarge }
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

    /// `mkdir -p`: creates `path` and its missing parents with `permissions`. An existing directory is fine.
    public func makeDirectories(_ path: String, permissions: FilePermissions) throws {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            do {
                try mkdir(prefix, permissions: permissions)
            } catch Errno.fileExists {
                guard try stat(prefix).kind == .directory else { throw Errno.notDirectory }
            }
        }
    }
}
