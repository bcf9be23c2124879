// Unit names and the escapes systemd uses around them: unit_name_escape, unit_name_from_path (with the
// hashed fallback for long names), unit_name_is_valid, cescape and specifier_escape.

public enum UnitNames {
    /// UNIT_NAME_MAX: a unit name must be shorter than this.
    static let maxLength = 256
    /// The key systemd hashes over-long unit names with (LONG_UNIT_NAME_HASH_KEY).
    static let longNameKey: Bytes = [0xec, 0xf2, 0x37, 0xfb, 0x58, 0x32, 0x4a, 0x32,
                                     0x84, 0x9f, 0x06, 0x9b, 0x0d, 0x21, 0xeb, 0x9a]

    /// Bytes a unit name may hold besides letters and digits.
    static func isValidUnitByte(_ c: UInt8) -> Bool {
        ASCII.isAlphanumeric(c) || c == 0x3a || c == 0x2d || c == 0x5f || c == 0x2e || c == 0x5c  // : - _ . \
    }

    /// `unit_name_escape`: `/` becomes `-`; `-`, `\`, a leading `.` and anything outside `[0-9A-Za-z:_.]`
    /// become `\xNN`.
    public static func escape(_ text: Bytes) -> Bytes {
        var out: Bytes = []
        out.reserveCapacity(text.count + 8)
        for (index, c) in text.enumerated() {
            if c == 0x2f {
                out.append(0x2d)
            } else if (index == 0 && c == 0x2e) || c == 0x2d || c == 0x5c || !isValidUnitByte(c) {
                ASCII.appendHexEscape(c, to: &out)
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// `unit_name_path_escape`: the escaped form of a path, `-` for the root. Nil for a path that is not
    /// normalized (`..`, an over-long component or path).
    public static func escapePath(_ path: Bytes) -> Bytes? {
        let simple = PathRules.simplify(path)
        if PathRules.isEmptyOrRoot(simple) { return [0x2d] }
        if !PathRules.isNormalized(simple) { return nil }
        var start = 0, end = simple.count
        while end > start && simple[end - 1] == PathRules.slash { end -= 1 }
        while start < end && simple[start] == PathRules.slash { start += 1 }
        return escape(Array(simple[start..<end]))
    }

    /// `unit_name_from_path`: the unit named after `path` with `suffix` (".device", ".mount"). A name of
    /// 256 bytes or more is shortened with a siphash24 of it. Nil when systemd fails with EINVAL.
    public static func fromPath(_ path: Bytes, suffix: String) -> Bytes? {
        guard let escaped = escapePath(path) else { return nil }
        var name = escaped + Bytes(utf8: suffix)
        if name.count >= maxLength { name = hashedLongName(name) }
        return isValidPlain(name) ? name : nil
    }

    /// `unit_name_hash_long`: a prefix of the name, `_`, 16 hex digits of the little-endian siphash24, the
    /// suffix; 255 bytes in all.
    static func hashedLongName(_ name: Bytes) -> Bytes {
        let dot = name.lastIndex(of: 0x2e)!
        let suffix = name[dot...]
        // siphash24_string() hashes the terminating NUL too.
        var hash = SipHash24.hash(name + [0], key: longNameKey)
        var hex: Bytes = []
        for _ in 0..<8 {
            let byte = UInt8(truncatingIfNeeded: hash)
            hex.append(ASCII.lowerHex[Int(byte >> 4)])
            hex.append(ASCII.lowerHex[Int(byte & 0xf)])
            hash >>= 8
        }
        let keep = maxLength - 1 - (suffix.count - 1) - 16 - 2
        return Array(name[..<keep]) + [0x5f] + hex + suffix
    }

    /// `unit_name_is_valid(name, UNIT_NAME_PLAIN)`: `prefix.suffix`, valid bytes, no `@`, short enough.
    static func isValidPlain(_ name: Bytes) -> Bool {
        if name.isEmpty || name.count >= maxLength { return false }
        guard let dot = name.lastIndex(of: 0x2e), dot > 0, dot < name.count - 1 else { return false }
        for c in name[..<dot] where !isValidUnitByte(c) { return false }
        return isValidSuffix(name[(dot + 1)...])
    }

    /// `unit_name_is_valid` for `prefix@instance.suffix` (UNIT_NAME_INSTANCE).
    static func isValidInstance(_ name: Bytes) -> Bool {
        if name.count >= maxLength { return false }
        guard let dot = name.lastIndex(of: 0x2e), dot > 0, dot < name.count - 1,
              let at = name.firstIndex(of: 0x40), at > 0, at < dot - 1 else { return false }
        for c in name[..<at] where !isValidUnitByte(c) { return false }
        for c in name[(at + 1)..<dot] where !isValidUnitByte(c) && c != 0x40 { return false }
        return isValidSuffix(name[(dot + 1)...])
    }

    private static func isValidSuffix(_ suffix: ArraySlice<UInt8>) -> Bool {
        let known: [String] = ["service", "mount", "device", "target", "socket", "swap", "path", "timer",
                               "automount", "slice", "scope"]
        return known.contains { suffix.elementsEqual($0.utf8) }
    }

    /// A whole unit name as systemd's `unit_name_is_valid(…, UNIT_NAME_ANY)` sees it.
    public static func isValid(_ name: Bytes) -> Bool {
        name.contains(0x40) ? isValidInstance(name) : isValidPlain(name)
    }
}

public enum Escapes {
    /// `specifier_escape`: `%` becomes `%%`.
    public static func specifier(_ text: Bytes) -> Bytes {
        guard text.contains(0x25) else { return text }
        var out: Bytes = []
        out.reserveCapacity(text.count + 4)
        for c in text {
            out.append(c)
            if c == 0x25 { out.append(0x25) }
        }
        return out
    }

    /// `cescape`: C escapes for \a \b \f \n \r \t \v \\ \" \', octal `\NNN` for other control bytes and for
    /// every byte from 0x7f up.
    public static func c(_ text: Bytes) -> Bytes {
        var out: Bytes = []
        out.reserveCapacity(text.count)
        for c in text {
            let named: UInt8?
            switch c {
            case 0x07: named = 0x61  // a
            case 0x08: named = 0x62  // b
            case 0x0c: named = 0x66  // f
            case 0x0a: named = 0x6e  // n
            case 0x0d: named = 0x72  // r
            case 0x09: named = 0x74  // t
            case 0x0b: named = 0x76  // v
            case 0x5c, 0x22, 0x27: named = c
            default: named = nil
            }
            if let named {
                out.append(0x5c)
                out.append(named)
            } else if c < 0x20 || c >= 0x7f {
                out.append(0x5c)
                out.append(0x30 + (c >> 6))
                out.append(0x30 + ((c >> 3) & 7))
                out.append(0x30 + (c & 7))
            } else {
                out.append(c)
            }
        }
        return out
    }
}
