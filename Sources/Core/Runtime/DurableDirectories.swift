import Core
extension FileSystem {
    /// `mkdir -p` whose new entries survive a power loss: each directory it creates has its parent fsynced.
    func makeDurableDirectories(_ path: String, permissions: FilePermissions) throws {
        var prefix = ""
        for component in path.split(separator: "/") {
            let parent = prefix.isEmpty ? "/" : prefix
            prefix += "/" + component
            do {
                try mkdir(prefix, permissions: permissions)
            } catch Errno.fileExists {
                guard try stat(prefix).kind == .directory else { throw Errno.notDirectory }
                continue
            }
            let fd = try open(parent, [.read, .directory])
            defer { try? close(fd) }
            try fsync(fd)
        }
    }
}
