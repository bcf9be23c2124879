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
    /// Relative paths start at the process's working directory. Calls that change names pass
    /// `slashFollows: false`: there a trailing slash never follows a last symbolic link (Linux's
    /// `filename_create`/`do_rmdir`/`do_unlinkat` look the last component up without following).
    /// Every directory a component is looked up in needs search permission (`may_lookup`); root skips it.
    func resolve(_ path: String, for process: SimProcess, followLast: Bool, slashFollows: Bool = true) throws -> Resolved {
        if path.isEmpty { throw Errno.noSuchFileOrDirectory }
        let slash = UInt8(ascii: "/")
        let trailingSlash = path.utf8.count > 1 && path.utf8.last == slash
        var walk = path.utf8.first == slash || process.cwd == "/" ? path : process.cwd + "/" + path
        var current = inode(rootID)
        var hops = 0
        let searcher = process.credentials.isRoot ? nil : process
        while true {
            let step = try walk.withUTF8 { bytes in
                try walkComponents(bytes, from: &current, hops: &hops, searcher: searcher, followLast: followLast,
                                   trailingSlash: trailingSlash, slashFollows: slashFollows)
            }
            switch step {
            case .done(let resolved): return resolved
            case .follow(let next): walk = next
            }
        }
    }

    enum WalkStep {
        case done(Resolved)
        /// A symbolic link was met: walk this path next (from `current`, already moved to the root if absolute).
        case follow(String)
    }

    /// Walks the components of one path string over raw bytes, without slicing strings.
    private func walkComponents(_ bytes: UnsafeBufferPointer<UInt8>, from current: inout Inode, hops: inout Int,
                                searcher: SimProcess?, followLast: Bool, trailingSlash: Bool,
                                slashFollows: Bool) throws -> WalkStep {
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        let count = bytes.count
        var index = 0
        while true {
            while index < count && bytes[index] == slash { index += 1 }
            if index == count {
                // Only "/" (or "///") gets here, or a link to "/".
                return .done(Resolved(parent: current, name: "", inode: current, isNormal: false,
                                      trailingSlash: trailingSlash))
            }
            let start = index
            while index < count && bytes[index] != slash { index += 1 }
            let end = index
            var after = end
            while after < count && bytes[after] == slash { after += 1 }
            let isLast = after == count
            guard current.kind == .directory else { throw Errno.notDirectory }
            if let searcher { try require(current, .execute, by: searcher) }
            let length = end - start
            if bytes[start] == dot && (length == 1 || (length == 2 && bytes[start + 1] == dot)) {
                let next = length == 1 ? current : inode(current.parent)
                if isLast {
                    return .done(Resolved(parent: next, name: length == 1 ? "." : "..", inode: next, isNormal: false,
                                          trailingSlash: trailingSlash))
                }
                current = next
                continue
            }
            if length > 255 { throw Errno.fileNameTooLong }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            guard let childID = current.entries[name] else {
                if !isLast { throw Errno.noSuchFileOrDirectory }
                return .done(Resolved(parent: current, name: name, inode: nil, isNormal: true,
                                      trailingSlash: trailingSlash))
            }
            let child = inode(childID)
            if child.kind == .symbolicLink && (!isLast || followLast || (trailingSlash && slashFollows)) {
                hops += 1
                if hops > Self.maxSymlinkHops { throw Errno.tooManySymbolicLinkLevels }
                if child.target.isEmpty { throw Errno.noSuchFileOrDirectory }
                if child.target.utf8.first == slash { current = inode(rootID) }
                if isLast && !trailingSlash { return .follow(child.target) }
                let rest = String(decoding: UnsafeBufferPointer(rebasing: bytes[end...]), as: UTF8.self)
                return .follow(child.target + "/" + rest)
            }
            if isLast {
                return .done(Resolved(parent: current, name: name, inode: child, isNormal: true,
                                      trailingSlash: trailingSlash))
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
