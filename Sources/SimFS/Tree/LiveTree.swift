import Core

/// One name of the live tree as `SimWorld.visitLiveTree` shows it.
public struct LiveTreeEntry {
    public var path: String
    public var kind: FileKind
    public var permissions: UInt32
    /// A regular file's contents (a trailing hole as zeros); empty for anything else.
    public var contents: [UInt8]
    /// A symbolic link's target; empty for anything else.
    public var target: String
    /// The data of the mutex segment a regular file of /dev/shm is, if it is one.
    public var segmentData: [UInt8]?
}

extension SimWorld {
    /// Visits every name of the live tree below `/`, depth first, each directory's entries in name order and
    /// a directory before what it holds, leaving out `skipping` (a path and what lies below it). It is what
    /// root would see by readdir, lstat, reading every regular file, readlink and opening every segment, but
    /// under the world lock in one pass, with no calls and nothing logged: `bootsim explore` takes each
    /// schedule's end state this way.
    public func visitLiveTree(skipping: Set<String>, _ visit: (LiveTreeEntry) -> Void) {
        lock.withLock {
            guard let root = inodes[rootID] else { return }
            visitEntries(of: root, at: "/", skipping: skipping, visit)
        }
    }

    private func visitEntries(of directory: Inode, at path: String, skipping: Set<String>,
                              _ visit: (LiveTreeEntry) -> Void) {
        for name in directory.entries.keys.sorted() where name != "." && name != ".." {
            let child = path == "/" ? "/" + name : path + "/" + name
            if skipping.contains(child) { continue }
            guard let id = directory.entries[name], let node = inodes[id] else { continue }
            var entry = LiveTreeEntry(path: child, kind: node.kind, permissions: node.permissions, contents: [],
                                      target: "", segmentData: nil)
            switch node.kind {
            case .regular:
                entry.contents = node.data
                if node.hole > 0 { entry.contents += repeatElement(0, count: Int(node.hole)) }
                if node.region == .shm { entry.segmentData = segments[node.id]?.data }
            case .symbolicLink:
                entry.target = node.target
            default:
                break
            }
            visit(entry)
            if node.kind == .directory { visitEntries(of: node, at: child, skipping: skipping, visit) }
        }
    }
}
