// Byte-string helpers. The generator works on raw bytes: names and paths from crypttab may hold any byte
// except NUL and whitespace, and systemd treats them as C strings, never as Unicode.

/// A C-like string of bytes (no terminating NUL).
public typealias Bytes = [UInt8]

extension Array where Element == UInt8 {
    /// The UTF-8 bytes of `text`.
    @inlinable public init(utf8 text: String) { self = Array(text.utf8) }

    /// The bytes after `prefix`, or nil when the bytes do not start with it (C `startswith`).
    @inlinable public func after(prefix: Bytes) -> Bytes? {
        guard count >= prefix.count else { return nil }
        for index in 0..<prefix.count where self[index] != prefix[index] { return nil }
        return Array(self[prefix.count...])
    }

    @inlinable public func hasPrefix(_ prefix: Bytes) -> Bool {
        guard count >= prefix.count else { return false }
        for index in 0..<prefix.count where self[index] != prefix[index] { return false }
        return true
    }

    @inlinable public func hasSuffix(_ suffix: Bytes) -> Bool {
        guard count >= suffix.count else { return false }
        let offset = count - suffix.count
        for index in 0..<suffix.count where self[offset + index] != suffix[index] { return false }
        return true
    }

    /// Text for messages and paths; invalid UTF-8 becomes U+FFFD.
    public var text: String { String(decoding: self, as: UTF8.self) }
}

/// ASCII classes as C's `<ctype.h>` sees them in the C locale.
enum ASCII {
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a }
    static func isAlphanumeric(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) }
    static func isHexDigit(_ c: UInt8) -> Bool { isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) }
    /// `isspace`: space, \t, \n, \v, \f, \r.
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0d) }
    /// systemd's WHITESPACE set: space, \t, \n, \r.
    static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d }

    static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `\xNN` with lowercase hex digits.
    static func appendHexEscape(_ c: UInt8, to out: inout Bytes) {
        out.append(0x5c)
        out.append(0x78)
        out.append(lowerHex[Int(c >> 4)])
        out.append(lowerHex[Int(c & 0xf)])
    }
}

/// Bytes as a set or dictionary key. An array hashes element by element; this hashes the buffer at once.
struct BytesKey: Hashable {
    var bytes: Bytes

    init(_ bytes: Bytes) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
