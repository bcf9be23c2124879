// systemd's path-util semantics: components, prefix tests, equality, simplification, joining.

enum PathRules {
    static let slash: UInt8 = 0x2f
    static let dot: UInt8 = 0x2e
    /// NAME_MAX: the longest component a path may have.
    static let nameMax = 255
    /// PATH_MAX, counted with the terminating NUL.
    static let pathMax = 4096

    enum Component: Equatable {
        case name(Range<Int>)   // the component's bytes
        case end                // no more components
        case invalid            // a component longer than NAME_MAX (or `..` when refused)
    }

    /// `path_find_first_component`: skips slashes and `.` components, returns the next component and moves
    /// `position` past it and the slashes after it. On `.invalid` the position does not move.
    static func nextComponent(_ path: Bytes, _ position: inout Int, acceptDotDot: Bool = true) -> Component {
        let first = skipSlashOrDot(path, position)
        if first >= path.count { position = first; return .end }
        if first == path.count - 1 && path[first] == dot { position = first + 1; return .end }
        var end = first
        while end < path.count && path[end] != slash { end += 1 }
        let length = end - first
        if length > nameMax { return .invalid }
        if !acceptDotDot && length == 2 && path[first] == dot && path[first + 1] == dot { return .invalid }
        var next = skipSlashOrDot(path, end)
        if next == path.count - 1 && path[next] == dot { next += 1 }
        position = next
        return .name(first..<end)
    }

    private static func skipSlashOrDot(_ path: Bytes, _ start: Int) -> Int {
        var p = start
        while p < path.count {
            if path[p] == slash { p += 1; continue }
            if path[p] == dot && p + 1 < path.count && path[p + 1] == slash { p += 1; continue }
            break
        }
        return p
    }

    static func isAbsolute(_ path: Bytes) -> Bool { path.first == slash }

    /// `path_startswith`: the rest of `path` after the components of `prefix`, or nil.
    static func startsWith(_ path: Bytes, _ prefix: Bytes) -> Bytes? {
        if isAbsolute(path) != isAbsolute(prefix) { return nil }
        var a = 0, b = 0
        while true {
            let pc = nextComponent(path, &a)
            let qc = nextComponent(prefix, &b)
            if pc == .invalid || qc == .invalid { return nil }
            guard case .name(let q) = qc else {
                if case .name(let p) = pc { return Array(path[p.lowerBound...]) }
                return Array(path[a...])
            }
            guard case .name(let p) = pc else { return nil }
            if p.count != q.count { return nil }
            if !path[p].elementsEqual(prefix[q]) { return nil }
        }
    }

    /// `path_equal`: the same components, both absolute or both relative.
    static func equal(_ a: Bytes, _ b: Bytes) -> Bool {
        if isAbsolute(a) != isAbsolute(b) { return false }
        var i = 0, j = 0
        while true {
            let x = nextComponent(a, &i)
            let y = nextComponent(b, &j)
            switch (x, y) {
            case (.end, .end): return true
            case (.name(let r), .name(let s)):
                if !a[r].elementsEqual(b[s]) { return false }
            case (.invalid, .invalid):
                return a[i...].elementsEqual(b[j...])
            default: return false
            }
        }
    }

    /// `path_simplify`: drops duplicate and trailing slashes and `.` components; keeps `..`.
    static func simplify(_ path: Bytes) -> Bytes {
        if path.isEmpty { return path }
        var out: Bytes = []
        out.reserveCapacity(path.count)
        if isAbsolute(path) { out.append(slash) }
        let base = out.count
        var position = 0
        var addSlash = false
        while true {
            let component = nextComponent(path, &position)
            if component == .end { break }
            if addSlash { out.append(slash) }
            guard case .name(let range) = component else {
                // An invalid component: the rest is kept as it is.
                out.append(contentsOf: path[position...])
                return out
            }
            out.append(contentsOf: path[range])
            addSlash = true
        }
        if out.count == base && base == 0 { out.append(dot) }
        return out
    }

    /// `path_is_normalized`: valid, no `.` or `..` components, no `//`.
    static func isNormalized(_ path: Bytes) -> Bool {
        if !isValid(path, acceptDotDot: false) { return false }
        if path == [dot] || path.hasPrefix([dot, slash]) || path.hasSuffix([slash, dot]) { return false }
        if contains(path, [slash, dot, slash]) || contains(path, [slash, slash]) { return false }
        return true
    }

    /// `path_is_valid_full`: non-empty, short enough, every component at most NAME_MAX.
    static func isValid(_ path: Bytes, acceptDotDot: Bool) -> Bool {
        if path.isEmpty { return false }
        var position = 0
        while true {
            if nextComponent(path, &position, acceptDotDot: acceptDotDot) == .invalid { return false }
            if position >= pathMax { return false }
            if position >= path.count { return true }
        }
    }

    /// `path_join` of two parts: one slash between them unless one is already there.
    static func join(_ first: Bytes, _ second: Bytes) -> Bytes {
        if second.isEmpty { return first }
        var out = first
        if !first.isEmpty && first.last != slash && second.first != slash { out.append(slash) }
        out.append(contentsOf: second)
        return out
    }

    /// `empty_or_root`.
    static func isEmptyOrRoot(_ path: Bytes) -> Bool {
        path.isEmpty || equal(path, [slash])
    }

    static func contains(_ haystack: Bytes, _ needle: Bytes) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count)
        where haystack[start] == needle[0] && haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
