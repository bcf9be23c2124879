import Core

extension Timestamp {
    /// Go's `time.Time.String()` in UTC, as podman's `.CreatedAt`: `2026-12-04 04:51:10.495104772 +0000 UTC`
    /// (trailing zeros of the fraction dropped).
    public static func goString(_ time: WallTime) -> String {
        var text = rfc3339(time)  // …T04:51:10.495104772Z
        text.removeLast()
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text.replacingFirst("T", with: " ") + " +0000 UTC"
    }

    /// go-units' `HumanDuration`, as podman's `.RunningFor` and `Exited … ago`.
    public static func humanDuration(_ seconds: Int64) -> String {
        if seconds < 1 { return "Less than a second" }
        if seconds == 1 { return "1 second" }
        if seconds < 60 { return "\(seconds) seconds" }
        let minutes = seconds / 60
        if minutes == 1 { return "About a minute" }
        if minutes < 60 { return "\(minutes) minutes" }
        let hours = (seconds + 1800) / 3600
        if hours == 1 { return "About an hour" }
        if hours < 48 { return "\(hours) hours" }
        if hours < 24 * 7 * 2 { return "\(hours / 24) days" }
        if hours < 24 * 30 * 2 { return "\(hours / 24 / 7) weeks" }
        if hours < 24 * 365 * 2 { return "\(hours / 24 / 30) months" }
        return "\(seconds / 3600 / 24 / 365) years"
    }

    /// `events --since/--until` in podman's formats (its `util.ParseInputTime`): Unix seconds (with an
    /// optional fraction), a Go duration before `now` (`10m`, `1h30m`), RFC 3339 with `Z` or an offset
    /// (`2026-12-04T05:00:00+01:00`), `2006-01-02T15:04:05` and `2006-01-02` (read as UTC, podrt's zone).
    public static func parseInputTime(_ text: String, now: WallTime) -> WallTime? {
        if let since = parseSince(text, now: now) { return since }
        // Unix seconds with a fraction: 1796359870.5
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 2, let seconds = Int64(parts[0]), parts[1].count <= 9, let fraction = Int64(parts[1]) {
            return WallTime(seconds: seconds, nanoseconds: fraction * power10(9 - parts[1].count))
        }
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count, bytes[range].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return Int64(String(decoding: bytes[range], as: UTF8.self))
        }
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        let date = days(fromCivil: year, month, day) * 86400
        if bytes.count == 10 { return WallTime(seconds: date) }
        guard bytes.count >= 19, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              hour < 24, minute < 60, second < 61 else { return nil }
        var index = 19
        var nanos: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            let start = index + 1
            index = start
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard index > start, index - start <= 9, let fraction = number(start..<index) else { return nil }
            nanos = fraction * power10(9 - (index - start))
        }
        var offset: Int64 = 0
        if index == bytes.count {
            offset = 0  // no zone: UTC
        } else if bytes[index] == UInt8(ascii: "Z"), index + 1 == bytes.count {
            offset = 0
        } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), index + 6 == bytes.count,
                  bytes[index + 3] == UInt8(ascii: ":"), let hours = number(index + 1..<index + 3),
                  let minutes = number(index + 4..<index + 6), hours < 24, minutes < 60 {
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        } else {
            return nil
        }
        return WallTime(seconds: date + hour * 3600 + minute * 60 + second - offset, nanoseconds: nanos)
    }

    static func power10(_ exponent: Int) -> Int64 {
        var value: Int64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}

extension String {
    func replacingFirst(_ target: Character, with replacement: String) -> String {
        guard let index = firstIndex(of: target) else { return self }
        return String(self[..<index]) + replacement + String(self[self.index(after: index)...])
    }
}
