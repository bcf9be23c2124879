import Core
/// Builds the document: `[table]` and `[[array of tables]]` headers, dotted keys, arrays and inline tables, with
/// TOML 1.0's rules on what may be defined twice (the same rules as python's tomllib, which the differential test
/// checks): a table is declared by a header once; a table made by dotted keys can be extended only in the section
/// that made it and never reopened by a header (its sub-tables can); inline tables and arrays are closed.
struct TOMLDocumentBuilder {
    var scanner: TOMLScanner
    /// Each header and each inline table is a section of its own; dotted-key tables remember theirs.
    private var section = 0
    private var sections = 0
    /// How many arrays and inline tables `readValue` is inside: deeper is refused, so no input exhausts the stack.
    private var depth = 0
    static let maximumDepth = 64

    init(scanner: TOMLScanner) { self.scanner = scanner }

    mutating func document() throws -> TOMLTable {
        let root = TOMLNode(state: .header, line: 1)
        var current = root
        while true {
            try scanner.skipBlankLines()
            guard let byte = scanner.peek() else { return root.value() }
            if byte == UInt8(ascii: "[") {
                let isArray = scanner.peek(1) == UInt8(ascii: "[")
                let start = scanner.position
                scanner.position += isArray ? 2 : 1
                scanner.skipSpaces()
                let key = try scanner.readKey()
                scanner.skipSpaces()
                guard scanner.starts(with: isArray ? "]]" : "]") else {
                    throw scanner.error("expected \(isArray ? "]]" : "]") to close the table header, found \(scanner.found())")
                }
                scanner.position += isArray ? 2 : 1
                sections += 1
                section = sections
                current = try open(key, in: root, isArray: isArray, at: start)
            } else {
                try keyValue(into: current)
            }
            try scanner.endLine()
        }
    }

    /// `key = value` into `table`.
    private mutating func keyValue(into table: TOMLNode) throws {
        let start = scanner.position
        let key = try scanner.readKey()
        scanner.skipSpaces()
        guard scanner.peek() == UInt8(ascii: "=") else {
            throw scanner.error("expected = after the key \(dotted(key)), found \(scanner.found())")
        }
        scanner.position += 1
        scanner.skipSpaces()
        let value = try readValue()
        var parent = table
        for (index, part) in key.dropLast().enumerated() {
            parent = try dottedChild(part, of: parent, key: Array(key[...index]), at: start)
        }
        guard parent.entries[key.last!] == nil else {
            throw scanner.error("\(dotted(key)) is defined twice", at: start)
        }
        parent.insert(key.last!, .value(value), line: scanner.line(at: start))
    }

    /// The table a dotted key passes through: made here, or made by dotted keys of this same section.
    private func dottedChild(_ part: String, of parent: TOMLNode, key: [String], at start: Int) throws -> TOMLNode {
        switch parent.entries[part] {
        case nil:
            let node = TOMLNode(state: .dotted(section), line: scanner.line(at: start))
            parent.insert(part, .table(node), line: node.line)
            return node
        case let .table(node)?:
            switch node.state {
            case .implicit: node.state = .dotted(section); return node
            case .dotted(section): return node
            case .dotted, .header:
                throw scanner.error("\(dotted(key)) was defined as a table at line \(node.line); a dotted key "
                                    + "cannot add to it here", at: start)
            }
        case .tables?:
            throw scanner.error("\(dotted(key)) is an array of tables; a dotted key cannot add to it", at: start)
        case let .value(value)?:
            throw scanner.error("\(dotted(key)) is \(closed(value)); a dotted key cannot add to it", at: start)
        }
    }

    /// `[key]` or `[[key]]`: the table that following keys go into.
    private func open(_ key: [String], in root: TOMLNode, isArray: Bool, at start: Int) throws -> TOMLNode {
        let line = scanner.line(at: start)
        var parent = root
        for (index, part) in key.dropLast().enumerated() {
            switch parent.entries[part] {
            case nil:
                let node = TOMLNode(state: .implicit, line: line)
                parent.insert(part, .table(node), line: line)
                parent = node
            case let .table(node)?: parent = node
            case let .tables(nodes)?: parent = nodes.last!
            case let .value(value)?:
                throw scanner.error("\(dotted(Array(key[...index]))) is \(closed(value)), not a table to add to", at: start)
            }
        }
        let last = key.last!
        let existing = parent.entries[last]
        if isArray {
            let node = TOMLNode(state: .header, line: line)
            switch existing {
            case nil: parent.insert(last, .tables([node]), line: line)
            case let .tables(nodes)?: parent.entries[last] = .tables(nodes + [node])
            case .table?: throw scanner.error("\(dotted(key)) is a table, not an array of tables", at: start)
            case let .value(value)?:
                throw scanner.error("\(dotted(key)) is \(closed(value)), not an array of tables", at: start)
            }
            return node
        }
        switch existing {
        case nil:
            let node = TOMLNode(state: .header, line: line)
            parent.insert(last, .table(node), line: line)
            return node
        case let .table(node)? where node.state == .implicit:
            node.state = .header
            node.line = line
            parent.lines[last] = line
            return node
        case let .table(node)?:
            throw scanner.error("table \(dotted(key)) is defined twice (first at line \(node.line))", at: start)
        case .tables?: throw scanner.error("\(dotted(key)) is an array of tables, not a table", at: start)
        case let .value(value)?: throw scanner.error("\(dotted(key)) is already \(closed(value))", at: start)
        }
    }

    mutating func readValue() throws -> TOMLValue {
        switch scanner.peek() {
        case UInt8(ascii: "\"")?:
            return .string(scanner.starts(with: "\"\"\"") ? try scanner.readMultiLineString(literal: false)
                                                           : try scanner.readBasicString())
        case UInt8(ascii: "'")?:
            return .string(scanner.starts(with: "'''") ? try scanner.readMultiLineString(literal: true)
                                                        : try scanner.readLiteralString())
        case UInt8(ascii: "[")?: return try nested { try $0.readArray() }
        case UInt8(ascii: "{")?: return try nested { try $0.readInlineTable() }
        default: return try scanner.readBareValue()
        }
    }

    private mutating func nested(_ body: (inout Self) throws -> TOMLValue) throws -> TOMLValue {
        guard depth < Self.maximumDepth else {
            throw scanner.error("arrays and inline tables nested deeper than \(Self.maximumDepth) levels")
        }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
    }

    /// `[a, b, …]` over any number of lines, with comments and a trailing comma.
    private mutating func readArray() throws -> TOMLValue {
        let start = scanner.position
        scanner.position += 1
        var items: [TOMLValue] = []
        while true {
            try scanner.skipBlankLines()
            guard let byte = scanner.peek() else { throw scanner.error("unterminated array (it began here)", at: start) }
            if byte == UInt8(ascii: "]") { scanner.position += 1; return .array(items) }
            items.append(try readValue())
            try scanner.skipBlankLines()
            if scanner.peek() == UInt8(ascii: ",") {
                scanner.position += 1
            } else if scanner.peek() != UInt8(ascii: "]") {
                throw scanner.error("expected , or ] in the array, found \(scanner.found())")
            }
        }
    }

    /// `{ a = 1, b.c = 2 }` on one line, no trailing comma. It is closed once written.
    private mutating func readInlineTable() throws -> TOMLValue {
        scanner.position += 1
        let outer = section
        sections += 1
        section = sections
        defer { section = outer }
        let table = TOMLNode(state: .dotted(section), line: scanner.line(at: scanner.position))
        scanner.skipSpaces()
        if scanner.peek() == UInt8(ascii: "}") { scanner.position += 1; return .table(table.value()) }
        while true {
            try keyValue(into: table)
            scanner.skipSpaces()
            switch scanner.peek() {
            case UInt8(ascii: "}")?: scanner.position += 1; return .table(table.value())
            case UInt8(ascii: ",")?: scanner.position += 1; scanner.skipSpaces()
            default:
                throw scanner.error("expected , or } in the inline table (it must be on one line), found \(scanner.found())")
            }
        }
    }
}

/// A table while the document is read: a reference, so that headers can reopen it.
final class TOMLNode {
    enum State: Equatable {
        /// Made as the parent of a header (`a` of `[a.b]`): a later `[a]` may still declare it.
        case implicit
        case header
        /// Made by a dotted key (or inside an inline table) in the section with this number.
        case dotted(Int)
    }

    enum Entry {
        case value(TOMLValue)
        case table(TOMLNode)
        case tables([TOMLNode])
    }

    var state: State
    var line: Int
    var order: [String] = []
    var entries: [String: Entry] = [:]
    var lines: [String: Int] = [:]

    init(state: State, line: Int) {
        self.state = state
        self.line = line
    }

    func insert(_ key: String, _ entry: Entry, line: Int) {
        order.append(key)
        entries[key] = entry
        lines[key] = line
    }

    func value() -> TOMLTable {
        var table = TOMLTable()
        for key in order {
            let value: TOMLValue = switch entries[key]! {
            case let .value(value): value
            case let .table(node): .table(node.value())
            case let .tables(nodes): .array(nodes.map { .table($0.value()) })
            }
            table.insert(key, value, line: lines[key]!)
        }
        return table
    }
}

/// A value's kind, saying that inline tables and arrays are closed once written.
private func closed(_ value: TOMLValue) -> String {
    switch value {
    case .table: "an inline table (closed once written)"
    case .array: "an array (closed once written)"
    default: value.kindName
    }
}

/// A key as it would be written, for messages: `engine.num_locks`, `engine."a b"`.
func dotted(_ key: [String]) -> String {
    key.map { part in
        !part.isEmpty && part.utf8.allSatisfy(isBareKeyByte) ? part : "\"" + part.replacingAll("\"", with: "\\\"") + "\""
    }.joined(separator: ".")
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
