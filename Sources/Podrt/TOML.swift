import Core
/// A value in the TOML subset that containers.conf uses.
public enum TOMLValue: Hashable, Sendable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case array([TOMLValue])
}

/// One `key = value` line, with the table it sits in and where it was written.
public struct TOMLEntry: Hashable, Sendable {
    public var table: String
    public var key: String
    public var value: TOMLValue
    public var line: Int
}

/// A syntax error, naming the file and the line.
public struct TOMLError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// Parses `[table]` headers, `key = value` lines, `#` comments, basic and literal strings, integers, booleans
/// and (possibly multi-line) arrays. Enough for containers.conf; not all of TOML.
public func parseTOML(_ text: String, file: String) throws -> [TOMLEntry] {
    var entries: [TOMLEntry] = []
    var table = ""
    var scanner = TOMLScanner(bytes: Array(text.utf8), file: file)
    while true {
        scanner.skipBlankLines()
        guard let byte = scanner.peek() else { return entries }
        if byte == UInt8(ascii: "[") {
            scanner.position += 1
            let name = scanner.take { $0 != UInt8(ascii: "]") && $0 != 0x0A }
            guard scanner.peek() == UInt8(ascii: "]") else { throw scanner.error("unterminated table header") }
            scanner.position += 1
            table = name.split(separator: ".").map { $0.trimmingSpaces() }.joined(separator: ".")
            guard !table.isEmpty else { throw scanner.error("empty table name") }
        } else {
            let line = scanner.line
            let key = scanner.take { $0 != UInt8(ascii: "=") && $0 != 0x0A }.trimmingSpaces()
            guard scanner.peek() == UInt8(ascii: "="), !key.isEmpty else { throw scanner.error("expected key = value") }
            scanner.position += 1
            let unquoted = key.hasPrefix("\"") && key.hasSuffix("\"") && key.count >= 2
                ? String(key.dropFirst().dropLast()) : key
            let value = try scanner.readValue()
            entries.append(TOMLEntry(table: table, key: unquoted, value: value, line: line))
        }
        try scanner.endLine()
    }
}

private struct TOMLScanner {
    let bytes: [UInt8]
    let file: String
    var position = 0
    var line = 1
    /// How many arrays `readArray` is inside: deeper than `maximumDepth` is refused, so no input exhausts the stack.
    var depth = 0
    static let maximumDepth = 64

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    func error(_ message: String) -> TOMLError { TOMLError(file: file, line: line, message: message) }

    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func take(while keep: (UInt8) -> Bool) -> String {
        let start = position
        while position < bytes.count, keep(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func skipSpaces() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0D { position += 1 }
    }

    mutating func skipComment() {
        if peek() == UInt8(ascii: "#") { while let byte = peek(), byte != 0x0A { position += 1 } }
    }

    /// Skips spaces, comments and newlines.
    mutating func skipBlankLines() {
        while true {
            skipSpaces()
            skipComment()
            guard peek() == 0x0A else { return }
            position += 1
            line += 1
        }
    }

    /// After a value only spaces and a comment may follow on the line.
    mutating func endLine() throws {
        skipSpaces()
        skipComment()
        guard let byte = peek() else { return }
        guard byte == 0x0A else { throw error("unexpected text after value") }
    }

    mutating func readValue() throws -> TOMLValue {
        skipSpaces()
        guard let byte = peek() else { throw error("missing value") }
        switch byte {
        case UInt8(ascii: "\""): return .string(try readBasicString())
        case UInt8(ascii: "'"):
            position += 1
            let text = take { $0 != UInt8(ascii: "'") && $0 != 0x0A }
            guard peek() == UInt8(ascii: "'") else { throw error("unterminated string") }
            position += 1
            return .string(text)
        case UInt8(ascii: "["): return try readArray()
        default:
            let word = take { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != UInt8(ascii: "#")
                && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "]") }
            if word == "true" { return .bool(true) }
            if word == "false" { return .bool(false) }
            if let number = Int64(word.filter { $0 != "_" }) { return .integer(number) }
            throw error("invalid value \(word.isEmpty ? "(empty)" : word)")
        }
    }

    mutating func readArray() throws -> TOMLValue {
        guard depth < Self.maximumDepth else { throw error("arrays nested deeper than \(Self.maximumDepth) levels") }
        depth += 1
        defer { depth -= 1 }
        position += 1
        var items: [TOMLValue] = []
        while true {
            skipBlankLines()
            guard let byte = peek() else { throw error("unterminated array") }
            if byte == UInt8(ascii: "]") { position += 1; return .array(items) }
            items.append(try readValue())
            skipBlankLines()
            if peek() == UInt8(ascii: ",") { position += 1 } else if peek() != UInt8(ascii: "]") {
                throw error("expected , or ] in array")
            }
        }
    }

    mutating func readBasicString() throws -> String {
        position += 1
        var out: [UInt8] = []
        while let byte = peek(), byte != 0x0A {
            position += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard byte == UInt8(ascii: "\\") else { out.append(byte); continue }
            guard let escape = peek() else { break }
            position += 1
            switch escape {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(escape)
            default: throw error("unsupported escape \\\(Unicode.Scalar(escape))")
            }
        }
        throw error("unterminated string")
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
        return String(slice)
    }
}
