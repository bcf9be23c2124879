import Core
extension String {
    /// The bytes as a String when they are valid UTF-8, else nil: never repaired with U+FFFD. ASCII, nearly
    /// everything podrt stores, takes a fast path (`String(validating:)` is generic and several times slower).
    init?(strictUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        if Self.isASCII(bytes) {
            self.init(decoding: bytes, as: UTF8.self)
        } else {
            guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
            self = text
        }
    }

    /// Whether no byte has its high bit set, looked at eight bytes at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= bytes.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (and a trailing CR).
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
        return String(slice)
    }
}
