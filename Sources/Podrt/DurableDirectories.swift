import Core
extension FileSystem {
    /// `mkdir -p` whose entries survive a power loss: the parent of every directory on the path is fsynced,
    /// including the parents of directories that already existed. One that exists may have been made by a
    /// process killed before it fsynced the parent (or one that beat this process to the `mkdir`); a power
    /// cut would then drop it, and everything under it, the database included, however often that was
    /// fsynced. (Found by `bootsim selftest`: a killed `rm` left /var/lib/podrt unsynced, and the next
    /// command's reported create was lost to a power cut.) As `fsync(2)` says: an fsync of the file "does not
    /// necessarily ensure that the entry in the directory containing the file has also reached disk".
    func makeDurableDirectories(_ path: String, permissions: FilePermissions) throws {
        try makeDirectories(path, permissions: permissions)
        var parent = path.hasPrefix("/") ? "/" : "."
        for component in path.split(separator: "/") {
            let fd = try open(parent, [.read, .directory])
            defer { try? close(fd) }
            try fsync(fd)
            parent += (parent.hasSuffix("/") ? "" : "/") + component
        }
    }
}
