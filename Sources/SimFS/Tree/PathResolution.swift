/// The outcome of walking a path, as `namei` would: the directory holding the last component, its name,
/// and what that name refers to.
struct Resolved {
    /// The directory that holds (or would hold) the last component.
    var parent: Inode
    /// The last component; "." or ".." or "" (for "/") when `isNormal` is false.
    var name: String
    /// What the last component names; nil when it does not exist.
    var inode: Inode?
    /// False when the last component is ".", ".." or the path is "/" (Linux's LAST_DOT / LAST_DOTDOT / LAST_ROOT).
    var isNormal: Bool
    /// The path ended in "/": the result must be a directory.
    var trailingSlash: Bool
}

extension SimWorld {
    static let maxSymlinkHops = 40

    /// Resolves `path` for `process`. Symbolic links in the middle are always followed; the last one only
    /// with `followLast` (or a trailing slash). Absolute link targets resolve from the simulated root.
    func resolve(_ path: String, for process: SimProcess, followLast: Bool) throws -> Resolved {
        if path.isEmpty { throw Errno.noSuchFileOrDirectory }
        let utf8 = path.utf8
        let absolute = utf8.first == UInt8(ascii: "/")
        let trailingSlash = utf8.count > 1 && utf8.last == UInt8(ascii: "/")
        var stack: [Substring] = []
        stack.reserveCapacity(8)
        pushComponents(of: path[...], onto: &stack)
        if !absolute && process.cwd != "/" {
            pushComponents(of: process.cwd[...], onto: &stack)
        }
        let root = inode(rootID)
        var current = root
        var hops = 0
        var result = Resolved(parent: root, name: "", inode: root, isNormal: false, trailingSlash: trailingSlash)
        while let component = stack.popLast() {
            let isLast = stack.isEmpty
            guard current.kind == .directory else { throw Errno.notDirectory }
            if component == "." || component == ".." {
                let next = component == "." ? current : inode(current.parent)
                if isLast {
                    result = Resolved(parent: next, name: String(component), inode: next, isNormal: false,
                                      trailingSlash: trailingSlash)
                    return result
                }
                current = next
                continue
            }
            if component.utf8.count > 255 { throw Errno.fileNameTooLong }
            let name = String(component)
            let child = current.entries[name].map { inode($0) }
            if isLast && !(followLast || trailingSlash) || child == nil {
                if child == nil && !isLast { throw Errno.noSuchFileOrDirectory }
                return Resolved(parent: current, name: name, inode: child, isNormal: true, trailingSlash: trailingSlash)
            }
            let found = child!
            if found.kind == .symbolicLink {
                hops += 1
                if hops > Self.maxSymlinkHops { throw Errno.tooManySymbolicLinkLevels }
                if found.target.isEmpty { throw Errno.noSuchFileOrDirectory }
                pushComponents(of: found.target[...], onto: &stack)
                if found.target.utf8.first == UInt8(ascii: "/") { current = root }
                if stack.isEmpty {
                    // A link to "/": the last component is the root itself.
                    return Resolved(parent: root, name: "", inode: root, isNormal: false, trailingSlash: trailingSlash)
                }
                continue
            }
            if isLast {
                return Resolved(parent: current, name: name, inode: found, isNormal: true, trailingSlash: trailingSlash)
            }
            current = found
        }
        // Only "/" (or "///") gets here.
        return result
    }

    /// Pushes the components of `path` so that the first one is popped first.
    private func pushComponents(of path: Substring, onto stack: inout [Substring]) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        stack.append(contentsOf: parts.reversed())
    }

    /// The absolute path of a directory, from its parent chain.
    func directoryPath(_ directory: Inode) -> String {
        var names: [String] = []
        var current = directory
        while current.id != rootID {
            names.append(current.name)
            current = inode(current.parent)
        }
        if names.isEmpty { return "/" }
        return names.reversed().reduce(into: "") { $0 += "/" + $1 }
    }

    /// `realpath(3)`.
    func realPath(_ path: String, for process: SimProcess) throws -> String {
        let resolved = try resolve(path, for: process, followLast: true)
        guard let target = resolved.inode else { throw Errno.noSuchFileOrDirectory }
        if resolved.trailingSlash && target.kind != .directory { throw Errno.notDirectory }
        if target.kind == .directory { return directoryPath(target) }
        let base = directoryPath(resolved.parent)
        return base == "/" ? "/" + resolved.name : base + "/" + resolved.name
    }
}
