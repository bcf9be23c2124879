/// A stand-in for the generator's crypttab and command-line parsers (branch `generator`), used until they
/// are merged. It follows systemd 252 for the parts the checker needs: lines end at `\n`, `\r` or NUL and
/// are stripped; `#` and empty lines are skipped; up to four whitespace-separated fields; `-` and `none`
/// mean no key; options split at unescaped commas with empty items dropped. On the command line it knows
/// `luks=`, `luks.crypttab=`, `luks.uuid=` and `luks.name=` (host, not initrd: `rd.` keys are ignored).
/// It is replaced by an adapter over the generator's parsed entries once those exist.
enum StandInReader {
    /// The entries of a crypttab text, and the lines that could not be parsed.
    static func crypttab(_ bytes: [UInt8], path: String) -> (entries: [CheckEntry], problems: [InputProblem]) {
        var entries: [CheckEntry] = []
        var problems: [InputProblem] = []
        let lines = bytes.split(omittingEmptySubsequences: false) { $0 == 0x0A || $0 == 0x0D || $0 == 0 }
        for (index, line) in lines.enumerated() {
            let fields = line.split { $0 == 0x20 || $0 == 0x09 }.prefix(4).map { String(decoding: $0, as: UTF8.self) }
            if fields.isEmpty || fields[0].hasPrefix("#") { continue }
            let source = "\(path):\(index + 1)"
            guard fields.count >= 2 else {
                problems.append(InputProblem(source: source, message: "cannot be parsed (fewer than 2 fields)"))
                continue
            }
            let key = fields.count > 2 && fields[2] != "-" && fields[2] != "none" ? fields[2] : nil
            let options = fields.count > 3 ? splitOptions(fields[3]) : []
            entries.append(CheckEntry(source: source, name: fields[0], device: fields[1], key: key, options: options))
        }
        return (entries, problems)
    }

    /// Splits an option list at unescaped commas: `\,` is a comma, `\\` a backslash, empty items vanish.
    static func splitOptions(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                if character != "," && character != "\\" { current.append("\\") }
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "," {
                if !current.isEmpty { items.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        if !current.isEmpty { items.append(current) }
        return items
    }

    /// What the kernel command line says about LUKS volumes (host view).
    struct CommandLine {
        var enabled = true
        var readCrypttab = true
        /// UUIDs from `luks.uuid=` and `luks.name=`, in command-line order, with the name if one was given.
        var volumes: [(uuid: String, name: String?)] = []
    }

    static func commandLine(_ text: String) -> CommandLine {
        var result = CommandLine()
        for word in words(text) {
            let (key, value) = word.firstIndex(of: "=").map {
                (String(word[..<$0]), String(word[word.index(after: $0)...]))
            } ?? (word, nil)
            switch key {
            case "luks": result.enabled = boolean(value) ?? result.enabled
            case "luks.crypttab": result.readCrypttab = boolean(value) ?? result.readCrypttab
            case "luks.uuid":
                guard var uuid = value else { continue }
                if uuid.hasPrefix("luks-") { uuid.removeFirst(5) }
                result.volumes.append((uuid, nil))
            case "luks.name":
                guard let value, let equals = value.firstIndex(of: "=") else { continue }
                let uuid = String(value[..<equals])
                let name = String(value[value.index(after: equals)...])
                guard !uuid.isEmpty, !name.isEmpty else { continue }
                result.volumes.append((uuid, name))
            default: continue
            }
        }
        return result
    }

    /// Whitespace-separated words with double and single quotes removed.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" || character == "\n" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    static func boolean(_ value: String?) -> Bool? {
        guard let value else { return true }
        switch value.lowercased() {
        case "1", "yes", "y", "true", "t", "on": return true
        case "0", "no", "n", "false", "f", "off": return false
        default: return nil
        }
    }
}
