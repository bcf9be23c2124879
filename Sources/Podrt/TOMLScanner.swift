import Core
/// The byte-level part of the TOML reader: whitespace, comments, keys and strings. Numbers and date-times are in
/// TOMLScanner+Values.swift, tables and arrays in TOMLDocument.swift. CRLF is read as LF; a lone CR is an error.
struct TOMLScanner {
    let bytes: [UInt8]
    let file: String
    var position = 0
    /// Deeper keys are refused, so that no document nests tables without bound.
    static let maximumKeyParts = 64
    /// Where each line begins, for the line and column of keys and errors.
    let lineStarts: [Int]

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        lineStarts = starts
    }

    func peek(_ ahead: Int = 0) -> UInt8? {
        position + ahead < bytes.count ? bytes[position + ahead] : nil
    }

    func starts(with text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return (0..<count).allSatisfy { bytes[position + $0] == text.utf8Start[$0] }
    }

    /// The 1-based line of a byte offset.
    func line(at offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    func error(_ message: String, at offset: Int? = nil) -> TOMLError {
        let offset = min(offset ?? position, bytes.count)
        let line = line(at: offset)
        let prefix = bytes[lineStarts[line - 1]..<offset]
        let column = String(decoding: prefix, as: UTF8.self).unicodeScalars.count + 1
        return TOMLError(file: file, line: line, column: column, message: message)
    }

    /// A description of the byte at the position, for "unexpected …" messages.
    func found() -> String {
        guard let byte = peek() else { return "end of file" }
        switch byte {
        case 0x0A: return "end of line"
        case 0x0D: return "a carriage return"
        case 0x20...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        case 0x80...: return "'\(String(decoding: bytes[position...].prefix(4), as: UTF8.self).prefix(1))'"
        default: return "control character U+\(hex(UInt32(byte), width: 4))"
        }
    }

    mutating func skipSpaces() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 { position += 1 }
    }

    /// A newline is LF or CRLF.
    mutating func skipNewline() -> Bool {
        if peek() == 0x0A { position += 1; return true }
        if peek() == 0x0D, peek(1) == 0x0A { position += 2; return true }
        return false
    }

    /// `# …` up to the end of the line; control characters other than tab are not allowed in it.
    mutating func skipComment() throws {
        guard peek() == UInt8(ascii: "#") else { return }
        position += 1
        while let byte = peek(), byte != 0x0A {
            if byte == 0x0D, peek(1) == 0x0A { return }
            if isControl(byte) { throw error("\(found()) in a comment") }
            position += 1
        }
    }

    /// Spaces, newlines and comments (between array items).
    mutating func skipBlankLines() throws {
        while true {
            skipSpaces()
            try skipComment()
            guard skipNewline() else { return }
        }
    }

    /// After a statement: spaces, maybe a comment, then the end of the line or of the file.
    mutating func endLine() throws {
        skipSpaces()
        try skipComment()
        guard peek() == nil || skipNewline() else {
            throw error("expected the end of the line after a statement, found \(found())")
        }
    }

    /// A dotted key: `a`, `"a b"`, `'a'`, `a . "b" . c`.
    mutating func readKey() throws -> [String] {
        let start = position
        var parts = [try readKeyPart()]
        while true {
            skipSpaces()
            guard peek() == UInt8(ascii: ".") else { return parts }
            guard parts.count < Self.maximumKeyParts else {
                throw error("a key of more than \(Self.maximumKeyParts) dotted parts", at: start)
            }
            position += 1
            skipSpaces()
            parts.append(try readKeyPart())
        }
    }

    mutating func readKeyPart() throws -> String {
        switch peek() {
        case UInt8(ascii: "\""):
            guard !starts(with: "\"\"\"") else { throw error("a multi-line string cannot be a key") }
            return try readBasicString()
        case UInt8(ascii: "'"):
            guard !starts(with: "'''") else { throw error("a multi-line string cannot be a key") }
            return try readLiteralString()
        default:
            let start = position
            while let byte = peek(), isBareKeyByte(byte) { position += 1 }
            guard position > start else { throw error("expected a key, found \(found())") }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }
    }

    /// `"…"`: escapes, no newline, no control characters but tab.
    mutating func readBasicString() throws -> String {
        let start = position
        position += 1
        var out: [UInt8] = []
        while let byte = peek() {
            if byte == UInt8(ascii: "\"") { position += 1; return String(decoding: out, as: UTF8.self) }
            if byte == 0x0A || (byte == 0x0D && peek(1) == 0x0A) { break }
            if byte == UInt8(ascii: "\\") { try readEscape(into: &out, multiLine: false); continue }
            if isControl(byte) { throw error("\(found()) in a string (write it as an escape)") }
            out.append(byte)
            position += 1
        }
        throw error("unterminated string (it began at column \(error("", at: start).column))")
    }

    /// `'…'`: no escapes, no newline.
    mutating func readLiteralString() throws -> String {
        let start = position
        position += 1
        let contentStart = position
        while let byte = peek() {
            if byte == UInt8(ascii: "'") {
                position += 1
                return String(decoding: bytes[contentStart..<(position - 1)], as: UTF8.self)
            }
            if byte == 0x0A || (byte == 0x0D && peek(1) == 0x0A) { break }
            if isControl(byte) { throw error("\(found()) in a literal string") }
            position += 1
        }
        throw error("unterminated literal string (it began at column \(error("", at: start).column))")
    }

    /// `"""…"""` or `'''…'''`. A newline right after the opening is dropped; up to two quotes may precede the
    /// closing three; in the basic form a `\` at the end of a line drops the newline and the whitespace after it.
    mutating func readMultiLineString(literal: Bool) throws -> String {
        let start = position
        let quote = literal ? UInt8(ascii: "'") : UInt8(ascii: "\"")
        position += 3
        _ = skipNewline()
        var out: [UInt8] = []
        while let byte = peek() {
            if byte == quote, peek(1) == quote, peek(2) == quote {
                position += 3
                for _ in 0..<2 where peek() == quote { out.append(quote); position += 1 }
                return String(decoding: out, as: UTF8.self)
            }
            if skipNewline() { out.append(0x0A); continue }
            if byte == UInt8(ascii: "\\"), !literal { try readEscape(into: &out, multiLine: true); continue }
            if isControl(byte) { throw error("\(found()) in a multi-line string") }
            out.append(byte)
            position += 1
        }
        throw error("unterminated multi-line string (it began at line \(line(at: start)))", at: bytes.count)
    }

    /// One escape of a basic string, the position at its backslash.
    mutating func readEscape(into out: inout [UInt8], multiLine: Bool) throws {
        let start = position
        position += 1
        guard let escape = peek() else { throw error("unterminated string") }
        if multiLine, escape == 0x20 || escape == 0x09 || escape == 0x0A || escape == 0x0D {
            skipSpaces()
            guard skipNewline() else { throw error("a line-ending backslash must be followed only by spaces", at: start) }
            while true {
                skipSpaces()
                guard skipNewline() else { return }
            }
        }
        position += 1
        let simple: [UInt8: UInt8] = [UInt8(ascii: "b"): 0x08, UInt8(ascii: "t"): 0x09, UInt8(ascii: "n"): 0x0A,
                                      UInt8(ascii: "f"): 0x0C, UInt8(ascii: "r"): 0x0D,
                                      UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C]
        if let replacement = simple[escape] { out.append(replacement); return }
        guard escape == UInt8(ascii: "u") || escape == UInt8(ascii: "U") else {
            throw error("unknown escape \\\(String(decoding: bytes[position - 1..<position], as: UTF8.self)) "
                        + "(valid: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)", at: start)
        }
        let width = escape == UInt8(ascii: "u") ? 4 : 8
        var value: UInt32 = 0
        for _ in 0..<width {
            guard let byte = peek(), let digit = hexDigit(byte) else {
                throw error("\\\(Character(Unicode.Scalar(escape))) needs \(width) hex digits", at: start)
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error("\\\(Character(Unicode.Scalar(escape)))\(hex(value, width: width)) is not a Unicode scalar value", at: start)
        }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }
}

/// Control characters that may not appear raw in strings and comments: U+0000…U+001F but tab, and U+007F.
func isControl(_ byte: UInt8) -> Bool { (byte < 0x20 && byte != 0x09) || byte == 0x7F }

func isBareKeyByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
         UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"): true
    default: false
    }
}

func hexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
