// `parse_sec()`: time spans such as "5s", "1min 30s", "2.5h", "infinity". The generator only needs to know
// whether a value parses; it writes the original text.

public enum TimeSpan {
    static let second: UInt64 = 1_000_000
    static let infinity = UInt64.max

    private static let units: [(suffix: Bytes, microseconds: UInt64)] = [
        ("seconds", second), ("second", second), ("sec", second), ("s", second),
        ("minutes", 60 * second), ("minute", 60 * second), ("min", 60 * second),
        ("months", 2_629_800 * second), ("month", 2_629_800 * second), ("M", 2_629_800 * second),
        ("msec", 1000), ("ms", 1000), ("m", 60 * second),
        ("hours", 3600 * second), ("hour", 3600 * second), ("hr", 3600 * second), ("h", 3600 * second),
        ("days", 86400 * second), ("day", 86400 * second), ("d", 86400 * second),
        ("weeks", 604_800 * second), ("week", 604_800 * second), ("w", 604_800 * second),
        ("years", 31_557_600 * second), ("year", 31_557_600 * second), ("y", 31_557_600 * second),
        ("usec", 1), ("us", 1), ("\u{03bc}s", 1),
    ].map { (Bytes(utf8: $0.0), $0.1) }

    public enum Parsed: Equatable, Sendable {
        case success(UInt64)
        /// The errno systemd's parse_sec returns: EINVAL or ERANGE.
        case failure(Int32)
    }

    /// Microseconds, or nil when systemd's parse_sec would fail.
    public static func parseSeconds(_ text: Bytes) -> UInt64? {
        if case .success(let value) = parse(text) { return value }
        return nil
    }

    /// `parse_sec`.
    public static func parse(_ text: Bytes) -> Parsed {
        let invalid = Parsed.failure(ErrorText.invalidArgument), range = Parsed.failure(ErrorText.outOfRange)
        var p = 0
        func skipWhitespace() { while p < text.count && ASCII.isWhitespace(text[p]) { p += 1 } }
        skipWhitespace()
        if text[p...].starts(with: Bytes(utf8: "infinity")) {
            var rest = p + 8
            while rest < text.count && ASCII.isWhitespace(text[rest]) { rest += 1 }
            return rest == text.count ? .success(infinity) : invalid
        }
        var total: UInt64 = 0
        var something = false
        while true {
            skipWhitespace()
            if p >= text.count { return something ? .success(total) : invalid }
            if text[p] == 0x2d { return range }
            // strtoll: optional space and sign, then decimal digits.
            var q = p
            while q < text.count && ASCII.isSpace(text[q]) { q += 1 }
            var negative = false
            if q < text.count && (text[q] == 0x2b || text[q] == 0x2d) { negative = text[q] == 0x2d; q += 1 }
            let digitsStart = q
            var number: UInt64 = 0
            var overflow = false
            while q < text.count && ASCII.isDigit(text[q]) {
                let (times, o1) = number.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(UInt64(text[q] - 0x30))
                if o1 || o2 || sum > UInt64(Int64.max) { overflow = true }
                number = sum
                q += 1
            }
            if overflow { return range }
            let numberEnd: Int
            if q == digitsStart { numberEnd = p } else { numberEnd = q }
            if negative && number > 0 { return range }
            let e = numberEnd
            let hasFraction = e < text.count && text[e] == 0x2e
            if hasFraction {
                p = e + 1
                while p < text.count && ASCII.isDigit(text[p]) { p += 1 }
            } else if e == p {
                return invalid
            } else {
                p = e
            }
            var lookup = p
            while lookup < text.count && ASCII.isWhitespace(text[lookup]) { lookup += 1 }
            var multiplier = second
            var s = lookup
            for unit in units where text[lookup...].starts(with: unit.suffix) {
                multiplier = unit.microseconds
                s = lookup + unit.suffix.count
                break
            }
            if s == p && s < text.count { return invalid }
            p = s
            if number >= infinity / multiplier { return range }
            let k = number * multiplier
            if k >= infinity - total { return range }
            total += k
            something = true
            if hasFraction {
                var m = multiplier / 10
                var b = e + 1
                while b < text.count && ASCII.isDigit(text[b]) {
                    let part = UInt64(text[b] - 0x30) * m
                    if part >= infinity - total { return range }
                    total += part
                    b += 1
                    m /= 10
                }
                if b == e + 1 { return invalid }
            }
        }
    }

}
