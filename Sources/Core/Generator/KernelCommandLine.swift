// The kernel command line as systemd's proc_cmdline_parse() reads it: words split at whitespace outside
// quotes, quotes removed, backslashes kept; `rd.` keys only in the initrd, where the prefix is dropped.

public enum KernelCommandLine {
    /// One `key[=value]` word.
    public struct Item: Equatable, Sendable {
        public var key: Bytes
        public var value: Bytes?
    }

    /// `extract_first_word(…, EXTRACT_UNQUOTE|EXTRACT_RELAX|EXTRACT_RETAIN_ESCAPE)` over the whole line.
    public static func words(_ line: Bytes) -> [Bytes] {
        var words: [Bytes] = []
        var index = 0
        while true {
            while index < line.count && ASCII.isWhitespace(line[index]) { index += 1 }
            if index >= line.count || line[index] == 0 { return words }
            var word: Bytes = []
            var quote: UInt8 = 0
            while index < line.count && line[index] != 0 {
                let c = line[index]
                if quote != 0 {
                    if c == quote { quote = 0 } else { word.append(c) }
                } else if c == 0x27 || c == 0x22 {
                    quote = c
                } else if ASCII.isWhitespace(c) {
                    break
                } else {
                    word.append(c)
                }
                index += 1
            }
            words.append(word)
        }
    }

    /// The items of `line` in order. `rd.` items are dropped unless `inInitrd()` says so, then lose the prefix.
    /// `inInitrd` is asked only when an `rd.` word is present, as systemd asks lazily.
    public static func items(_ line: Bytes, inInitrd: () -> Bool) -> [Item] {
        var items: [Item] = []
        var initrd: Bool?
        let rd = Bytes(utf8: "rd.")
        for word in words(line) {
            var key = word
            if let stripped = word.after(prefix: rd) {
                if initrd == nil { initrd = inInitrd() }
                if initrd != true { continue }
                key = stripped
            }
            if let equals = key.firstIndex(of: 0x3d) {
                items.append(Item(key: Array(key[..<equals]), value: Array(key[(equals + 1)...])))
            } else {
                items.append(Item(key: key, value: nil))
            }
        }
        return items
    }

    /// `parse_boolean`: nil when the text is neither.
    public static func boolean(_ text: Bytes) -> Bool? {
        let lower = Bytes(text.map { $0 >= 0x41 && $0 <= 0x5a ? $0 | 0x20 : $0 })
        switch lower.text {
        case "1", "yes", "y", "true", "t", "on": return true
        case "0", "no", "n", "false", "f", "off": return false
        default: return nil
        }
    }

    /// `SYSTEMD_IN_INITRD`: true/false for a boolean, nil for `auto`, `lenient` or anything else (detect).
    public static func initrdOverride(_ value: String?) -> (forced: Bool?, lenient: Bool) {
        guard let value else { return (nil, false) }
        if value == "lenient" { return (nil, true) }
        if value == "auto" { return (nil, false) }
        return (boolean(Bytes(utf8: value)), false)
    }
}
