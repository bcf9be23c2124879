/// The kernel's node ids and the paths they stand for. Node 1 is the root. Ids are never reused, not even
/// across a reboot, so a node the kernel still holds from an old boot can never alias a new one.
struct NodeTable {
    struct Node {
        var path: String
        /// Lookups the kernel has not yet forgotten.
        var lookups: UInt64
    }

    static let rootID: UInt64 = 1

    private(set) var nodes: [UInt64: Node] = [rootID: Node(path: "/", lookups: 1)]
    private var byPath: [String: UInt64] = ["/": rootID]
    private var nextID: UInt64 = 2

    /// The path of `id`, nil for an unknown (forgotten or pre-reboot) node.
    func path(_ id: UInt64) -> String? { nodes[id]?.path }

    /// `name` inside the directory node `parent`.
    func child(_ parent: UInt64, _ name: String) -> String? {
        guard let base = path(parent) else { return nil }
        return base == "/" ? "/" + name : base + "/" + name
    }

    /// The node for `path`, made if needed; counts one lookup (every reply with an entry does).
    mutating func remember(_ path: String) -> UInt64 {
        if let id = byPath[path] {
            nodes[id]!.lookups += 1
            return id
        }
        let id = nextID
        nextID += 1
        nodes[id] = Node(path: path, lookups: 1)
        byPath[path] = id
        return id
    }

    /// The kernel dropped `count` lookups of `id`.
    mutating func forget(_ id: UInt64, _ count: UInt64) {
        guard id != Self.rootID, var node = nodes[id] else { return }
        node.lookups = node.lookups > count ? node.lookups - count : 0
        if node.lookups == 0 {
            nodes[id] = nil
            if byPath[node.path] == id { byPath[node.path] = nil }
        } else {
            nodes[id] = node
        }
    }

    /// The name at `path` is gone: its node keeps its last path (for open files) but no longer owns it.
    mutating func removed(_ path: String) {
        byPath[path] = nil
    }

    /// `source` was renamed to `target`: the node, and every node below it, moves; whatever was at `target`
    /// loses its name.
    mutating func renamed(_ source: String, to target: String) {
        byPath[target] = nil
        let prefix = source + "/"
        for (id, node) in nodes where node.path == source || node.path.hasPrefix(prefix) {
            guard byPath[node.path] == id else { continue }
            let moved = target + node.path.dropFirst(source.count)
            byPath[node.path] = nil
            nodes[id]!.path = moved
            byPath[moved] = id
        }
    }

    /// A reboot: every node but the root is dropped, and old ids stay unknown forever.
    mutating func reset() {
        nodes = [Self.rootID: Node(path: "/", lookups: 1)]
        byPath = ["/": Self.rootID]
    }

    var count: Int { nodes.count }
}
