// The tree a plan leaves behind: what `--explain` prints and what tests compare with a manifest.

public struct PlanTree {
    public enum Node: Equatable, Sendable {
        case directory(mode: UInt16)
        case file(mode: UInt16, contents: Bytes)
        case symlink(target: Bytes)
    }

    /// Every path the plan creates, with what ends up there.
    public private(set) var nodes: [Bytes: Node] = [:]

    public init(_ plan: GeneratorPlan) {
        for operation in plan.operations {
            switch operation {
            case .makeDirectory(let path, let mode, let parentMode):
                addParents(of: path, mode: parentMode)
                if nodes[path] == nil { nodes[path] = .directory(mode: mode) }
            case .createUnit(let path, let contents):
                nodes[path] = .file(mode: 0o644, contents: contents)
            case .replaceDropIn(let path, let contents):
                addParents(of: path, mode: 0o755)
                nodes[path] = .file(mode: 0o644, contents: contents)
            case .symlink(let path, let target):
                addParents(of: path, mode: 0o755)
                if nodes[path] == nil { nodes[path] = .symlink(target: target) }
            }
        }
    }

    /// Drop-in and link directories (one level: `<unit>.d`, `<unit>.wants`); runtime parents are not listed.
    private mutating func addParents(of path: Bytes, mode: UInt16) {
        guard let slash = path.lastIndex(of: 0x2f), slash > 0 else { return }
        let parent = Array(path[..<slash])
        if parent.last == 0x2f { return }
        if nodes[parent] == nil, isUnitDirectory(parent) { nodes[parent] = .directory(mode: mode) }
    }

    private func isUnitDirectory(_ path: Bytes) -> Bool {
        [".d", ".wants", ".requires"].contains { path.hasSuffix(Bytes(utf8: $0)) }
    }

    /// The listing `--explain` prints: one line per path in byte order, file contents indented below.
    public func explanation() -> String {
        var out = ""
        for path in nodes.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            switch nodes[path]! {
            case .directory(let mode):
                out += "directory \(Self.octal(mode)) \(path.text)\n"
            case .symlink(let target):
                out += "symlink        \(path.text) -> \(target.text)\n"
            case .file(let mode, let contents):
                out += "file      \(Self.octal(mode)) \(path.text) (\(contents.count) bytes)\n"
                for line in contents.split(separator: 0x0a, omittingEmptySubsequences: false).dropLast() {
                    out += "    " + Array(line).text + "\n"
                }
            }
        }
        return out
    }

    static func octal(_ mode: UInt16) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
