import Core
/// Strings, strictly (RFC 8259 §7): UTF-8 checked, no raw control characters, only the escapes
/// `\" \\ \/ \b \f \n \r \t \uXXXX`, and a `\u` high surrogate only when a `\u` low surrogate follows.
extension JSONReader {
    mutating func readString() throws -> String {
        let open = position
        position += 1
        // The common case, no escape: one check and decode of the bytes up to the closing quote.
        var end = position
        while end < bytes.count, bytes[end] >= 0x20, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") {
            end += 1
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            let text = try decodeUTF8(position..<end)
            position = end + 1
            return text
        }
        var scalars = String.UnicodeScalarView()
        var runStart = position
        /// Appends the unescaped bytes since `runStart`.
        func flush(to runEnd: Int) throws {
            if runEnd > runStart { scalars.append(contentsOf: try decodeUTF8(runStart..<runEnd).unicodeScalars) }
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                try flush(to: position)
                position += 1
                return String(scalars)
            }
            if byte < 0x20 {
                throw error("raw control character U+" + hex4(UInt32(byte)) + " in a string (write it as an escape)")
            }
            if byte != UInt8(ascii: "\\") { position += 1; continue }
            try flush(to: position)
            scalars.append(try readEscape())
            runStart = position
        }
        throw error("unterminated string (opened at byte \(open))")
    }

    /// The escape at `position` (a backslash), past which it moves.
    mutating func readEscape() throws -> Unicode.Scalar {
        let start = position
        position += 1
        guard !atEnd else { throw error("unterminated string: a backslash at the end") }
        let escape = bytes[position]
        position += 1
        switch escape {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"): break
        default: throw error("invalid escape \\\(describeEscape(escape)) in a string", at: start)
        }
        let code = try readHex4(escapeAt: start)
        switch code {
        case 0xDC00...0xDFFF:
            throw error("lone low surrogate \\u\(hex4(code)) in a string", at: start)
        case 0xD800...0xDBFF:
            let next = position
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
            else { throw error("lone high surrogate \\u\(hex4(code)) in a string (no \\u low surrogate follows)", at: start) }
            position += 2
            let low = try readHex4(escapeAt: next)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error("high surrogate \\u\(hex4(code)) followed by \\u\(hex4(low)), not by a low surrogate", at: start)
            }
            // 0x10000…0x10FFFF: always a valid scalar.
            return Unicode.Scalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))!
        default:
            return Unicode.Scalar(code)!  // below 0x10000 and not a surrogate: always a valid scalar
        }
    }

    /// The four hex digits at `position` (after `\u`), exactly: no sign, no fewer.
    mutating func readHex4(escapeAt start: Int) throws -> UInt32 {
        var code: UInt32 = 0
        for index in position..<position + 4 {
            guard index < bytes.count, let digit = hexValue(bytes[index]) else {
                throw error("\\u must be followed by four hex digits", at: start)
            }
            code = code << 4 | digit
        }
        position += 4
        return code
    }

    func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// The bytes as a String, or an error at the first byte that is not valid UTF-8.
    func decodeUTF8(_ range: Range<Int>) throws -> String {
        let text = String(strictUTF8: UnsafeBufferPointer(rebasing: bytes[range]))
        if let text { return text }
        var decoder = UTF8()
        var iterator = bytes[range].makeIterator()
        var offset = range.lowerBound
        while case let .scalarValue(scalar) = decoder.decode(&iterator) { offset += UTF8.width(scalar) }
        throw error("invalid UTF-8 in a string", at: offset)
    }

    func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    func describeEscape(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? String(Unicode.Scalar(byte)) : "(byte 0x\(String(byte, radix: 16, uppercase: true)))"
    }
}
