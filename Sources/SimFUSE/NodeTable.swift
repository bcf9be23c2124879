/// The kernel's node ids and the files they stand for. Node 1 is the root. A node is one file of the
/// backend (its device and inode number), so the hard links of a file share a node, as the kernel's own
/// locks and page cache expect; it knows every name it was looked up by. Ids are never reused, not even
/// across a reboot, so a node the kernel still holds from an old boot can never alias a new one.
struct NodeTable {
    struct FileKey: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    struct Node {
        var key: FileKey?
        /// The names of the file known to lead to it, oldest first; empty once all are unlinked.
        var paths: [String]
        /// Lookups the kernel has not yet forgotten.
        var lookups: UInt64
        /// Only a directory can have names below it (see `renamed`).
        var isDirectory = true
    }

    static let rootID: UInt64 = 1

    private(set) var nodes: [UInt64: Node] = [rootID: Node(key: nil, paths: ["/"], lookups: 1)]
    private var byPath: [String: UInt64] = ["/": rootID]
    private var byKey: [FileKey: UInt64] = [:]
    private var nextID: UInt64 = 2

    /// A path of `id`; nil for an unknown (forgotten or pre-reboot) node or one whose names are all gone.
    func path(_ id: UInt64) -> String? { nodes[id]?.paths.first }

    /// Whether `id` is a node of this boot.
    func isKnown(_ id: UInt64) -> Bool { nodes[id] != nil }

    /// `name` inside the directory node `parent`.
    func child(_ parent: UInt64, _ name: String) -> String? {
        guard let base = path(parent) else { return nil }
        return base == "/" ? "/" + name : base + "/" + name
    }

    /// The node for the file at `path`, made if needed; counts one lookup (every reply with an entry does).
    mutating func remember(_ path: String, device: UInt64, inode: UInt64, isDirectory: Bool = true) -> UInt64 {
        if path == "/" { return Self.rootID }
        let key = FileKey(device: device, inode: inode)
        if let id = byPath[path], nodes[id]?.key == key {
            nodes[id]!.lookups += 1
            return id
        }
        removed(path)
        if let id = byKey[key] {
            nodes[id]!.paths.append(path)
            nodes[id]!.lookups += 1
            byPath[path] = id
            return id
        }
        let id = nextID
        nextID += 1
        nodes[id] = Node(key: key, paths: [path], lookups: 1, isDirectory: isDirectory)
        byPath[path] = id
        byKey[key] = id
        return id
    }

    /// The kernel dropped `count` lookups of `id`.
    mutating func forget(_ id: UInt64, _ count: UInt64) {
        guard id != Self.rootID, var node = nodes[id] else { return }
        node.lookups = node.lookups > count ? node.lookups - count : 0
        guard node.lookups == 0 else {
            nodes[id] = node
            return
        }
        nodes[id] = nil
        for path in node.paths where byPath[path] == id { byPath[path] = nil }
        if let key = node.key, byKey[key] == id { byKey[key] = nil }
    }

    /// The name `path` is gone; its node keeps its other names (and open handles).
    mutating func removed(_ path: String) {
        guard let id = byPath.removeValue(forKey: path) else { return }
        nodes[id]?.paths.removeAll { $0 == path }
    }

    /// `source` was renamed to `target`: whatever was at `target` loses that name, and every name at or
    /// below `source` moves.
    mutating func renamed(_ source: String, to target: String) {
        guard source != target else { return }
        removed(target)
        // A file has no names below it: move its one name without walking every known path.
        if let id = byPath[source], nodes[id]?.isDirectory == false {
            byPath[source] = nil
            byPath[target] = id
            nodes[id]!.paths = nodes[id]!.paths.map { $0 == source ? target : $0 }
            return
        }
        let prefix = source + "/"
        for (path, id) in byPath where path == source || path.hasPrefix(prefix) {
            let moved = target + path.dropFirst(source.count)
            byPath[path] = nil
            byPath[moved] = id
            nodes[id]!.paths = nodes[id]!.paths.map { $0 == path ? moved : $0 }
        }
    }

    /// Every name the kernel may have cached: each known path under its parent's node.
    func cachedNames() -> [CachedName] {
        byPath.compactMap { path, _ in
            guard path != "/", let slash = path.lastIndex(of: "/") else { return nil }
            let parentPath = slash == path.startIndex ? "/" : String(path[..<slash])
            guard let parent = byPath[parentPath] else { return nil }
            return CachedName(parent: parent, name: String(path[path.index(after: slash)...]))
        }
    }

    /// The names the kernel may have cached in the directory node `parent`.
    func cachedNames(in parent: UInt64) -> [CachedName] {
        guard let base = path(parent) else { return [] }
        let prefix = base == "/" ? "/" : base + "/"
        return byPath.keys.compactMap { path in
            guard path != "/", path.hasPrefix(prefix), !path.dropFirst(prefix.count).contains("/") else { return nil }
            return CachedName(parent: parent, name: String(path.dropFirst(prefix.count)))
        }
    }

    /// A reboot: every node but the root is dropped, and old ids stay unknown forever.
    mutating func reset() {
        nodes = [Self.rootID: Node(key: nil, paths: ["/"], lookups: 1)]
        byPath = ["/": Self.rootID]
        byKey = [:]
    }

    var count: Int { nodes.count }
}
