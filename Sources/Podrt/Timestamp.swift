import Core
/// Wall-clock times as text, without Foundation: RFC 3339 in UTC, and `--since` values.
public enum Timestamp {
    /// `2026-11-25T03:04:05.123456789Z`.
    public static func rfc3339(_ time: WallTime) -> String {
        let days = time.seconds >= 0 ? time.seconds / 86400 : (time.seconds - 86399) / 86400
        let secondsOfDay = time.seconds - days * 86400
        let (year, month, day) = civil(fromDays: days)
        guard (0...9999).contains(year), (0..<1_000_000_000).contains(time.nanoseconds) else {
            func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
            let nanos = String(time.nanoseconds)
            return "\(year)-\(two(month))-\(two(day))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay / 60 % 60)):"
                + "\(two(secondsOfDay % 60)).\(String(repeating: "0", count: max(0, 9 - nanos.count)))\(nanos)Z"
        }
        // The common case as 30 bytes written in place: `ps -a` formats one per row.
        return String(unsafeUninitializedCapacity: 30) { out in
            func digits(_ value: Int64, _ count: Int, at offset: Int) {
                var value = value
                for index in stride(from: offset + count - 1, through: offset, by: -1) {
                    out[index] = UInt8(truncatingIfNeeded: 0x30 + value % 10)
                    value /= 10
                }
            }
            digits(year, 4, at: 0)
            digits(month, 2, at: 5)
            digits(day, 2, at: 8)
            digits(secondsOfDay / 3600, 2, at: 11)
            digits(secondsOfDay / 60 % 60, 2, at: 14)
            digits(secondsOfDay % 60, 2, at: 17)
            digits(time.nanoseconds, 9, at: 20)
            for (offset, byte) in [(4, UInt8(ascii: "-")), (7, UInt8(ascii: "-")), (10, UInt8(ascii: "T")),
                                   (13, UInt8(ascii: ":")), (16, UInt8(ascii: ":")), (19, UInt8(ascii: ".")),
                                   (29, UInt8(ascii: "Z"))] { out[offset] = byte }
            return 30
        }
    }

    /// Parses `--since`: a Unix time in seconds, a duration before `now` (`90s`, `10m`, `2h30m`), or an RFC 3339
    /// UTC time (`2026-11-25T03:00:00Z`, optional fraction). Nil when it is none of these.
    public static func parseSince(_ text: String, now: WallTime) -> WallTime? {
        if let seconds = Int64(text) { return WallTime(seconds: seconds) }
        if let duration = parseDuration(text) {
            return WallTime(seconds: now.seconds - duration / 1_000_000_000, nanoseconds: now.nanoseconds)
        }
        return parseRFC3339(text)
    }

    /// A Go-style duration in nanoseconds (`1h2m3s`, `500ms`).
    static func parseDuration(_ text: String) -> Int64? {
        var total: Int64 = 0
        var number = ""
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while let character = rest.first {
            if character.isNumber { number.append(character); rest.removeFirst(); continue }
            guard let value = Int64(number) else { return nil }
            number = ""
            let units: [(String, Int64)] = [("ms", 1_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000),
                                            ("s", 1_000_000_000)]
            guard let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            let (part, overflow) = value.multipliedReportingOverflow(by: scale)
            guard !overflow, case (let sum, false) = total.addingReportingOverflow(part) else { return nil }
            total = sum
        }
        return number.isEmpty ? total : nil
    }

    static func parseRFC3339(_ text: String) -> WallTime? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            return Int64(String(decoding: bytes[range], as: UTF8.self))
        }
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var nanos: Int64 = 0
        if bytes[19] == UInt8(ascii: ".") {
            let digits = String(decoding: bytes[20..<(bytes.count - 1)], as: UTF8.self)
            guard let fraction = Int64(digits), digits.count <= 9 else { return nil }
            nanos = fraction * Int64([1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000, 100_000_000,
                                      1_000_000_000][9 - digits.count])
        }
        let seconds = days(fromCivil: year, month, day) * 86400 + hour * 3600 + minute * 60 + second
        return WallTime(seconds: seconds, nanoseconds: nanos)
    }

    /// Howard Hinnant's days-from-civil and its inverse (proleptic Gregorian calendar).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
