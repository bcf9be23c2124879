@testable import Podrt

/// A parsed TOML document written the way `toml-oracle.py` writes tomllib's: JSON with sorted keys, non-ASCII
/// escaped as python's json.dumps does, every scalar tagged with its kind (so that 1, 1.0, "1" and the four
/// date-time kinds stay apart), floats by their bits, fractions of seconds to microseconds as tomllib keeps them.
enum TOMLCanonical {
    static func text(_ table: TOMLTable) -> String {
        var out = ""
        write(.table(table), into: &out)
        return out
    }

    static func write(_ value: TOMLValue, into out: inout String) {
        switch value {
        case let .table(table):
            out += "{"
            let keys = table.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            for (index, key) in keys.enumerated() {
                if index > 0 { out += "," }
                quote(key, into: &out)
                out += ":"
                write(table[key]!, into: &out)
            }
            out += "}"
        case let .array(items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case let .string(text): tagged("s", text, into: &out)
        case let .integer(number): tagged("i", String(number), into: &out)
        case let .float(number):
            let bits = String(number.bitPattern, radix: 16)
            tagged("f", number.isNaN ? "nan" : String(repeating: "0", count: 16 - bits.count) + bits, into: &out)
        case let .bool(flag): tagged("b", flag ? "true" : "false", into: &out)
        case let .offsetDateTime(date, time, offset): tagged("odt", dateText(date) + "T" + timeText(time) + offsetText(offset), into: &out)
        case let .localDateTime(date, time): tagged("ldt", dateText(date) + "T" + timeText(time), into: &out)
        case let .localDate(date): tagged("ld", dateText(date), into: &out)
        case let .localTime(time): tagged("lt", timeText(time), into: &out)
        }
    }

    static func tagged(_ tag: String, _ text: String, into out: inout String) {
        out += "{\"" + tag + "\":"
        quote(text, into: &out)
        out += "}"
    }

    static func padded(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func dateText(_ date: TOMLDate) -> String {
        padded(date.year, 4) + "-" + padded(date.month, 2) + "-" + padded(date.day, 2)
    }

    static func timeText(_ time: TOMLTime) -> String {
        padded(time.hour, 2) + ":" + padded(time.minute, 2) + ":" + padded(time.second, 2) + "." + padded(time.nanosecond / 1000, 6)
    }

    static func offsetText(_ minutes: Int) -> String { (minutes < 0 ? "-" : "+") + String(abs(minutes)) }

    /// As python's json.dumps with ensure_ascii: \" \\ \n \r \t \b \f; other controls, DEL and non-ASCII as \uxxxx.
    static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            default:
                if scalar.value >= 0x20 && scalar.value < 0x7F {
                    out.unicodeScalars.append(scalar)
                } else {
                    for unit in String(scalar).utf16 {
                        let digits = String(unit, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                    }
                }
            }
        }
        out += "\""
    }
}
