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
    /// Relative paths start at the process's working directory.
    func resolve(_ path: String, for process: SimProcess, followLast: Bool) throws -> Resolved {
        if path.isEmpty { throw Errno.noSuchFileOrDirectory }
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        let trailingSlash = path.utf8.count > 1 && path.utf8.last == slash
        let root = inode(rootID)
        // What is left to walk; replaced by "target/rest" when a symbolic link is followed.
        var remaining: Substring = path.utf8.first == slash || process.cwd == "/" ? path[...] : (process.cwd + "/" + path)[...]
        var current = root
        var hops = 0
        while true {
            // Skip slashes, then cut the next component.
            let bytes = remaining.utf8
            guard let start = bytes.firstIndex(where: { $0 != slash }) else {
                // Only "/" (or "///") gets here, or a link to "/".
                return Resolved(parent: current, name: "", inode: current, isNormal: false, trailingSlash: trailingSlash)
            }
            let end = bytes[start...].firstIndex(of: slash) ?? bytes.endIndex
            let component = remaining[start..<end]
            let rest = remaining[end...]
            let isLast = !rest.utf8.contains(where: { $0 != slash })
            remaining = rest
            guard current.kind == .directory else { throw Errno.notDirectory }
            let utf8 = component.utf8
            if utf8.first == dot && (utf8.count == 1 || (utf8.count == 2 && utf8.last == dot)) {
                let next = utf8.count == 1 ? current : inode(current.parent)
                if isLast {
                    return Resolved(parent: next, name: utf8.count == 1 ? "." : "..", inode: next, isNormal: false,
                                    trailingSlash: trailingSlash)
                }
                current = next
                continue
            }
            if utf8.count > 255 { throw Errno.fileNameTooLong }
            let name = String(component)
            guard let childID = current.entries[name] else {
                if !isLast { throw Errno.noSuchFileOrDirectory }
                return Resolved(parent: current, name: name, inode: nil, isNormal: true, trailingSlash: trailingSlash)
            }
            let child = inode(childID)
            if child.kind == .symbolicLink && (!isLast || followLast || trailingSlash) {
                hops += 1
                if hops > Self.maxSymlinkHops { throw Errno.tooManySymbolicLinkLevels }
                if child.target.isEmpty { throw Errno.noSuchFileOrDirectory }
                if child.target.utf8.first == slash { current = root }
                remaining = (child.target + "/" + rest)[...]
                if isLast && !trailingSlash { remaining = child.target[...] }
                continue
            }
            if isLast {
                return Resolved(parent: current, name: name, inode: child, isNormal: true, trailingSlash: trailingSlash)
            }
            current = child
        }
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
