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
        try syncDirectoryEntries(path)
    }

    /// Fsyncs the parent of every directory on `path`, from the root down.
    func syncDirectoryEntries(_ path: String) throws {
        var parent = path.hasPrefix("/") ? "/" : "."
        for component in path.split(separator: "/") {
            let fd = try open(parent, [.read, .directory])
            defer { try? close(fd) }
            try fsync(fd)
            parent += (parent.hasSuffix("/") ? "" : "/") + component
        }
    }

    /// The directories on `path`, from the first component down, as `device:inode` each: what the entries
    /// `syncDirectoryEntries` made durable lead to.
    func directoryChain(_ path: String) throws -> String {
        var prefix = path.hasPrefix("/") ? "" : "."
        var chain: [String] = []
        for component in path.split(separator: "/") {
            prefix += "/" + component
            let status = try stat(prefix)
            chain.append("\(status.device):\(status.inode)")
        }
        return chain.joined(separator: " ")
    }
}

extension Runtime {
    /// The static dir's entries made durable once per store, not by every command: the chain of directories
    /// synced is recorded in the database (`durable_directories`), after the fsyncs, so a recorded chain was
    /// durable before the record was. A command that finds the same chain (one stat per directory) skips the
    /// fsyncs; a new, moved or replaced directory on the path gives another chain, and the entries are synced
    /// again. A process killed between the fsyncs and the record leaves no record: the next one syncs. A record
    /// that does not read is podrt's own bookkeeping, not state: it counts as none, and is written again.
    static func makeStaticDirDurable(_ config: RuntimeConfig, _ fs: any FileSystem, _ store: StateStore) throws {
        let chain = try fs.directoryChain(config.staticDir)
        let recorded: String?
        do { recorded = try store.info(Self.durableDirectoriesKey) } catch is DatabaseError { recorded = nil }
        guard recorded != chain else { return }
        try fs.syncDirectoryEntries(config.staticDir)
        try store.transaction { try store.setInfo(Self.durableDirectoriesKey, chain) }
    }

    static let durableDirectoriesKey = "durable_directories"
}
