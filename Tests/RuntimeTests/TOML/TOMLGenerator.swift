import SimFS
/// Random TOML documents for the differential test, from a seed: every TOML 1.0 construct, keys drawn from a
/// small pool so that duplicates and table redefinitions happen, and, for some documents, a few random edits
/// that usually make them invalid (then both readers must reject, or agree on what they read).
struct TOMLGenerator {
    /// The project's one PRNG, seeded as before, so a seed still gives the same documents.
    private var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { random.next() }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func document() -> String {
        var lines: [String] = []
        for _ in 0..<below(4) { lines.append(keyValue(depth: 0)) }
        for _ in 0..<below(6) {
            lines.append(space() + (chance(25) ? "[[" + key() + "]]" : "[" + key() + "]") + space() + comment())
            for _ in 0..<below(4) { lines.append(keyValue(depth: 0)) }
        }
        if chance(10) { lines.append(comment()) }
        var text = lines.joined(separator: chance(10) ? "\r\n" : "\n")
        if chance(70) { text += "\n" }
        if chance(20) { text = mutate(text) }
        return text
    }

    mutating func space() -> String { pick(["", "", " ", "  ", "\t", " \t"]) }
    mutating func comment() -> String { chance(20) ? space() + "# " + pick(["c", "é", "#", "\"", "\t x"]) : "" }

    mutating func keyPart() -> String {
        switch below(10) {
        case 0: return "\"" + pick(["a", "b", "a b", "é", "a.b", "", "\\u0061", "\\t"]) + "\""
        case 1: return "'" + pick(["a", "b", "x y", "\\", ""]) + "'"
        case 2: return pick(["1", "-", "_x", "A-b_9", "0"])
        default: return pick(["a", "b", "c", "d", "e", "f"])
        }
    }

    mutating func key() -> String {
        var parts = [keyPart()]
        for _ in 0..<(chance(30) ? below(3) + 1 : 0) { parts.append(keyPart()) }
        return parts.joined(separator: pick([".", ".", " . ", ". ", " ."]))
    }

    mutating func keyValue(depth: Int) -> String {
        space() + key() + space() + "=" + space() + value(depth: depth) + space() + comment()
    }

    mutating func value(depth: Int) -> String {
        switch below(depth > 2 ? 11 : 13) {
        case 0: return basicString()
        case 1: return "'" + literalText(allowQuote: false) + "'"
        case 2: return "\"\"\"" + (chance(50) ? "\n" : "") + multiLineBasic() + "\"\"\""
        case 3: return "'''" + (chance(50) ? "\n" : "") + multiLineLiteral() + "'''"
        case 4, 5: return integer()
        case 6: return float()
        case 7: return pick(["true", "false"])
        case 8, 9: return dateTime()
        case 10: return time()
        case 11: return array(depth: depth + 1)
        default: return inlineTable(depth: depth + 1)
        }
    }

    mutating func basicString() -> String {
        var out = "\""
        for _ in 0..<below(8) {
            out += pick(["a", "Z", " ", "\t", "é", "😀", "\\n", "\\t", "\\b", "\\f", "\\r", "\\\"", "\\\\", "'",
                         "\\u00e9", "\\U0001F600", "\\u0000", "\\u001f", "#", "=", "\u{7F}", "\\u007F"])
        }
        return out + "\""
    }

    mutating func literalText(allowQuote: Bool) -> String {
        var out = ""
        for _ in 0..<below(8) { out += pick(["a", " ", "\t", "\\", "\"", "é", "😀", "#", "\\n"] + (allowQuote ? ["'"] : [])) }
        return out
    }

    mutating func multiLineBasic() -> String {
        var out = ""
        for _ in 0..<below(8) {
            out += pick(["a", "\n", " ", "\"", "\"\"", "\\\n   ", "\\  \n\n  ", "\\n", "\\\"\\\"\\\"", "é", "\t", "\\u00e9"])
        }
        // At most two quotes may end the content before the closing three.
        while out.hasSuffix("\"\"\"") || out.hasSuffix("\\") { out.removeLast() }
        return out
    }

    mutating func multiLineLiteral() -> String {
        var out = ""
        for _ in 0..<below(8) { out += pick(["a", "\n", " ", "'", "''", "\\", "\"", "é"]) }
        while out.hasSuffix("'''") { out.removeLast() }
        return out
    }

    mutating func digits(_ alphabet: [String], count: Int) -> String {
        var out = pick(alphabet)
        for _ in 1..<max(count, 1) { out += (chance(15) ? "_" : "") + pick(alphabet) }
        return out
    }

    mutating func integer() -> String {
        let decimal = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
        switch below(8) {
        case 0: return "0x" + digits(decimal + ["a", "b", "C", "D", "e", "F"], count: below(16) + 1)
        case 1: return "0o" + digits(Array(decimal.prefix(8)), count: below(21) + 1)
        case 2: return "0b" + digits(["0", "1"], count: below(63) + 1)
        case 3: return pick(["0", "+0", "-0", "9223372036854775807", "-9223372036854775808"])
        default:
            let sign = pick(["", "", "+", "-"])
            return sign + pick(Array(decimal.dropFirst())) + (chance(80) ? digits(decimal, count: below(18)) : "")
        }
    }

    mutating func float() -> String {
        if chance(15) { return pick(["", "+", "-"]) + pick(["inf", "nan"]) }
        let decimal = ["0", "1", "2", "5", "9"]
        var out = pick(["", "", "+", "-"]) + (chance(30) ? "0" : pick(["1", "3", "9"]) + digits(decimal, count: below(6)))
        let fraction = chance(70)
        if fraction { out += "." + digits(decimal, count: below(17) + 1) }
        if !fraction || chance(40) { out += pick(["e", "E"]) + pick(["", "+", "-"]) + digits(decimal, count: below(3) + 1) }
        return out
    }

    mutating func date() -> String {
        let year = pick([1, 1900, 1979, 2000, 2024, 2100, 9999])
        let month = below(12) + 1
        let day = chance(90) ? below(28) + 1 : pick([29, 30, 31])
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    mutating func time() -> String {
        var out = pad(below(24), 2) + ":" + pad(below(60), 2) + ":" + pad(below(60), 2)
        if chance(40) { out += "." + digits(["0", "1", "5", "9"], count: below(10) + 1).filter { $0 != "_" } }
        return out
    }

    mutating func dateTime() -> String {
        let date = date()
        if chance(30) { return date }
        let stamp = date + pick(["T", "T", "t", " "]) + time()
        switch below(4) {
        case 0: return stamp
        case 1: return stamp + pick(["Z", "z"])
        default: return stamp + pick(["+", "-"]) + pad(below(24), 2) + ":" + pad(below(60), 2)
        }
    }

    mutating func array(depth: Int) -> String {
        var items: [String] = []
        for _ in 0..<below(4) { items.append(pick(["", " ", "\n", " # c\n  "]) + value(depth: depth) + pick(["", " ", "\n"])) }
        return "[" + items.joined(separator: ",") + (chance(20) && !items.isEmpty ? "," : "") + pick(["", " ", "\n"]) + "]"
    }

    mutating func inlineTable(depth: Int) -> String {
        var items: [String] = []
        for _ in 0..<below(4) { items.append(space() + key() + space() + "=" + space() + value(depth: depth) + space()) }
        return "{" + items.joined(separator: ",") + "}"
    }

    mutating func pad(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// One to three random edits: delete, insert or replace a character, or duplicate a line.
    mutating func mutate(_ text: String) -> String {
        var characters = Array(text)
        for _ in 0..<(below(3) + 1) {
            let at = characters.isEmpty ? 0 : below(characters.count + 1)
            let syntax: [Character] = ["=", "[", "]", "{", "}", "\"", "'", ",", ".", "#", "\n", " ", "\\", "0", "_",
                                       "x", "e", "+", "-", ":", "T", "Z", "\r", "\u{1}"]
            switch below(4) {
            case 0 where at < characters.count: characters.remove(at: at)
            case 1: characters.insert(pick(syntax), at: at)
            case 2 where at < characters.count: characters[at] = pick(syntax)
            default:
                let lines = String(characters).split(separator: "\n", omittingEmptySubsequences: false)
                guard !lines.isEmpty else { continue }
                let line = below(lines.count)
                characters = Array((lines[...line] + [lines[line]] + lines[(line + 1)...]).joined(separator: "\n"))
            }
        }
        return String(characters)
    }
}
