// A small builder for unit file text, and the quoting of command lines in it.

struct UnitText {
    var bytes: Bytes = []

    init() { bytes.reserveCapacity(1024) }

    mutating func line(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        bytes.append(0x0a)
    }

    /// `key=value` with raw value bytes.
    mutating func line(_ key: String, _ value: Bytes) {
        bytes.append(contentsOf: key.utf8)
        bytes.append(0x3d)
        bytes.append(contentsOf: value)
        bytes.append(0x0a)
    }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }
    mutating func append(_ raw: Bytes) { bytes.append(contentsOf: raw) }

    /// `write_string_file` adds a final newline when the text lacks one.
    var withFinalNewline: Bytes { bytes.last == 0x0a ? bytes : bytes + [0x0a] }
}

/// Arguments of ExecStart= and friends. systemd 252 writes `'%s'` with only `%` escaped, so a `'` or `\` in
/// the value is misread by the unit parser (unbalanced quotes, C escapes). Where the value holds such bytes we
/// write C escapes inside the quotes, which the parser turns back into exactly the original bytes.
enum ExecArgument {
    /// The quoted argument; `diverged` is true when it differs from what systemd 252 writes.
    static func quoted(_ value: Bytes) -> (text: Bytes, diverged: Bool) {
        let escaped = Escapes.specifier(value)
        if !escaped.contains(where: needsEscape) && UTF8Rules.isValid(escaped) {
            return ([0x27] + escaped + [0x27], false)
        }
        var out: Bytes = [0x27]
        var index = 0
        while index < escaped.count {
            let c = escaped[index]
            let length = UTF8Rules.validSequenceLength(escaped, at: index)
            if length > 1 {
                out.append(contentsOf: escaped[index..<(index + length)])
                index += length
                continue
            }
            if c == 0x5c || c == 0x27 {
                out.append(0x5c)
                out.append(c)
            } else if c < 0x20 || c >= 0x7f {
                // Control bytes, and bytes that are not part of valid UTF-8 (the parser refuses those raw).
                ASCII.appendHexEscape(c, to: &out)
            } else {
                out.append(c)
            }
            index += 1
        }
        out.append(0x27)
        return (out, true)
    }

    /// Bytes the unit parser would not give back unchanged inside single quotes (or that end the line).
    private static func needsEscape(_ c: UInt8) -> Bool {
        c == 0x5c || c == 0x27 || c == 0x0a || c == 0x0d
    }

    /// A bare argument as systemd writes the umount path; quoted when the parser would split or alter it.
    static func bare(_ value: Bytes) -> (text: Bytes, diverged: Bool) {
        let plain = !value.isEmpty && !value.contains { c in
            c <= 0x20 || c == 0x7f || c == 0x5c || c == 0x27 || c == 0x22 || c == 0x25
        }
        if plain && UTF8Rules.isValid(value) { return (value, false) }
        let quoted = quoted(value)
        return (quoted.text, true)
    }
}

/// RequiresMountsFor= values. The unit parser splits them at whitespace, removes quotes and backslashes, and
/// refuses the whole unit for bytes that are not UTF-8; systemd 252 writes the path with only `%` escaped.
enum MountPathList {
    enum Result {
        /// The text to write and whether it differs from systemd 252's.
        case value(Bytes, diverged: Bool)
        /// Not expressible (not UTF-8): the line must be left out.
        case inexpressible
    }

    static func value(_ path: Bytes) -> Result {
        let escaped = Escapes.specifier(path)
        if !UTF8Rules.isValid(escaped) { return .inexpressible }
        let special = escaped.contains { c in
            ASCII.isWhitespace(c) || c == 0x27 || c == 0x22 || c == 0x5c
        }
        guard special else { return .value(escaped, diverged: false) }
        var out: Bytes = [0x22]
        for c in escaped {
            if c == 0x22 || c == 0x5c { out.append(0x5c) }
            out.append(c)
        }
        out.append(0x22)
        return .value(out, diverged: true)
    }
}
