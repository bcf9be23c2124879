import Core
/// Why JSON text could not be read: where (byte offset, and line and column counted from 1 in UTF-8 bytes)
/// and what was wrong.
public struct JSONSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "invalid JSON at \(line):\(column) (byte \(offset)): \(message)" }
}

extension JSON {
    /// Parses JSON text (RFC 8259), strictly: numbers must be integers that fit Int64 (all we ever write);
    /// strings must be valid UTF-8 without raw control characters, with only JSON's escapes and well-paired
    /// surrogates; nesting is limited to `JSONReader.maximumDepth`. Anything else throws, never traps.
    public static func parse(_ text: String) throws -> JSON {
        var text = text
        return try text.withUTF8 { try parse(buffer: $0) }
    }

    /// `parse` over raw bytes, which need not be valid UTF-8 (the reader checks).
    public static func parse(bytes: [UInt8]) throws -> JSON {
        try bytes.withUnsafeBufferPointer { try parse(buffer: $0) }
    }

    /// The reader runs over the caller's bytes in place: no copy, and no bounds check on each byte it looks at
    /// (every read is behind its own `position < bytes.count`).
    static func parse(buffer: UnsafeBufferPointer<UInt8>) throws -> JSON {
        var reader = JSONReader(bytes: buffer)
        let value = try reader.readValue(depth: 0)
        reader.skipSpace()
        guard reader.position == reader.bytes.count else { throw reader.error("trailing characters after the value") }
        return value
    }
}

/// A recursive-descent reader over UTF-8 bytes.
struct JSONReader {
    /// Deeper arrays and objects are refused, so no input can exhaust the stack.
    static let maximumDepth = 256

    /// Valid only during `JSON.parse(buffer:)`.
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        let offset = min(offset ?? position, bytes.count)
        let lineStart = bytes[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let line = bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        return JSONSyntaxError(offset: offset, line: line, column: offset - lineStart + 1, message: message)
    }

    var atEnd: Bool { position >= bytes.count }

    mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func expect(_ literal: String) throws {
        let start = position
        for byte in literal.utf8 {
            guard position < bytes.count, bytes[position] == byte else { throw error("expected \(literal)", at: start) }
            position += 1
        }
    }

    mutating func readValue(depth: Int) throws -> JSON {
        skipSpace()
        guard !atEnd else { throw error("unexpected end of input, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
            return bytes[position] == UInt8(ascii: "[") ? try readArray(depth: depth + 1) : try readObject(depth: depth + 1)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
        default: throw error("expected a value, found \(describe(bytes[position]))")
        }
    }

    /// An integer: `-`? then `0` or a non-zero digit and more digits. A fraction or exponent is refused.
    mutating func readNumber() throws -> JSON {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let digits = position
        while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
        guard position > digits else { throw error("expected a digit after -") }
        guard bytes[digits] != 0x30 || position == digits + 1 else { throw error("leading zero in a number", at: start) }
        if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) {
            throw error("only integers are supported")
        }
        guard let value = Int64(String(decoding: bytes[start..<position], as: UTF8.self)) else {
            throw error("number out of the 64-bit integer range", at: start)
        }
        return .number(value)
    }

    mutating func readArray(depth: Int) throws -> JSON {
        position += 1
        var items: [JSON] = []
        skipSpace()
        if !atEnd, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            items.append(try readValue(depth: depth))
            skipSpace()
            guard !atEnd else { throw error("unterminated array") }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
            guard bytes[position] == UInt8(ascii: ",") else { throw error("expected , or ] in an array") }
            position += 1
        }
    }

    mutating func readObject(depth: Int) throws -> JSON {
        position += 1
        var members: [(String, JSON)] = []
        members.reserveCapacity(8)  // room for a config's members at once, not regrown at 1, 2 and 4
        skipSpace()
        if !atEnd, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipSpace()
            guard !atEnd, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a key (a string)") }
            let key = try readString()
            skipSpace()
            guard !atEnd, bytes[position] == UInt8(ascii: ":") else { throw error("expected : after a key") }
            position += 1
            members.append((key, try readValue(depth: depth)))
            skipSpace()
            guard !atEnd else { throw error("unterminated object") }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            guard bytes[position] == UInt8(ascii: ",") else { throw error("expected , or } in an object") }
            position += 1
        }
    }

    /// How a byte reads in a message: a printable ASCII character quoted, else its hex value.
    func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Unicode.Scalar(byte))'" : "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}
