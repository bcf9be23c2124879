import Core
extension FileSystem {
    /// `mkdir -p` whose new entries survive a power loss: each directory it creates has its parent fsynced.
    func makeDurableDirectories(_ path: String, permissions: FilePermissions) throws {
        try makeDirectories(path, permissions: permissions) { parent in
            let fd = try open(parent, [.read, .directory])
            defer { try? close(fd) }
            try fsync(fd)
        }
    }
}
