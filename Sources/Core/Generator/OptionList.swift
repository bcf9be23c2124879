// Comma-separated option strings, read as systemd's fstab_filter_options() reads them. There are two ways,
// and they disagree on purpose-less details, so both are kept:
//  - scanning (no filtered result wanted): words end at unescaped commas, values are raw;
//  - splitting (a filtered result wanted): `\,` → `,`, `\\` → `\`, other escapes kept, empty items dropped,
//    and the rest is joined again with only the commas escaped.

public enum OptionList {
    /// What a search for option names found.
    public struct Match: Equatable, Sendable {
        /// The index in `names` of the last option that matched, nil when none did.
        public var nameIndex: Int?
        /// The value of the last match (`name=value`), nil for a bare `name` or no match.
        public var value: Bytes?
        public var found: Bool { nameIndex != nil }
    }

    /// The scanning form: finds `names` (bare, `name=…`), the last match wins.
    public static func scan(_ options: Bytes?, names: [String]) -> Match {
        var match = Match(nameIndex: nil, value: nil)
        guard let options else { return match }
        let nameBytes = names.map { Bytes(utf8: $0) }
        var word = 0
        while true {
            var end = word
            while end < options.count && options[end] != 0x2c {
                if options[end] == 0x5c {
                    end += 1
                    if end < options.count { end += 1 }
                } else {
                    end += 1
                }
            }
            for (index, name) in nameBytes.enumerated() {
                if end < word + name.count { continue }
                if !options[word..<(word + name.count)].elementsEqual(name) { continue }
                let x = word + name.count
                let next: UInt8 = x < options.count ? options[x] : 0
                if next == 0 || next == 0x3d || next == 0x2c {
                    match.nameIndex = index
                    match.value = next == 0x3d ? Array(options[(x + 1)..<end]) : nil
                    break
                }
            }
            if end < options.count { word = end + 1 } else { break }
        }
        return match
    }

    /// `fstab_test_option`.
    public static func has(_ options: Bytes?, _ names: String...) -> Bool {
        scan(options, names: names).found
    }

    /// `fstab_test_yes_no_option`: true when the last of `yes`/`no` present is `yes`.
    public static func yesNo(_ options: Bytes?, yes: String, no: String) -> Bool {
        scan(options, names: [yes, no]).nameIndex == 0
    }

    /// Splits at unescaped commas, unescaping `\,` and `\\`, dropping empty items.
    public static func split(_ options: Bytes) -> [Bytes] {
        var items: [Bytes] = []
        var current: Bytes = []
        var index = 0
        while index < options.count {
            let c = options[index]
            if c == 0x5c {
                if index + 1 < options.count {
                    let next = options[index + 1]
                    if next == 0x2c || next == 0x5c {
                        current.append(next)
                    } else {
                        current.append(0x5c)
                        current.append(next)
                    }
                    index += 2
                } else {
                    current.append(0x5c)
                    index += 1
                }
                continue
            }
            if c == 0x2c {
                if !current.isEmpty { items.append(current) }
                current = []
            } else {
                current.append(c)
            }
            index += 1
        }
        if !current.isEmpty { items.append(current) }
        return items
    }

    /// Joins items with commas, escaping the commas inside them.
    public static func join(_ items: [Bytes]) -> Bytes {
        var out: Bytes = []
        for (position, item) in items.enumerated() {
            if position > 0 { out.append(0x2c) }
            for c in item {
                if c == 0x2c { out.append(0x5c) }
                out.append(c)
            }
        }
        return out
    }

    /// The splitting form: removes every `name=value` item (and bare `name`), returns the last value and the
    /// rest joined again. `filtered` is empty for nil options.
    public static func filter(_ options: Bytes?, names: [String]) -> (match: Match, filtered: Bytes) {
        var match = Match(nameIndex: nil, value: nil)
        guard let options else { return (match, []) }
        let nameBytes = names.map { Bytes(utf8: $0) }
        var kept: [Bytes] = []
        for item in split(options) {
            var hit = false
            for (index, name) in nameBytes.enumerated() where item.hasPrefix(name) {
                if item.count == name.count {
                    match = Match(nameIndex: index, value: nil)
                } else if item[name.count] == 0x3d {
                    match = Match(nameIndex: index, value: Array(item[(name.count + 1)...]))
                } else {
                    continue
                }
                hit = true
                break
            }
            if !hit { kept.append(item) }
        }
        return (match, join(kept))
    }
}
