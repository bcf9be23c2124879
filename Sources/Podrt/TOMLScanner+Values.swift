import Core
/// Bare values: booleans, integers (decimal, 0x, 0o, 0b), floats (inf, nan) and the four date-time kinds.
extension TOMLScanner {
    /// The bytes up to the next space, comment, comma, bracket, brace or end of line.
    mutating func readBareToken() -> ArraySlice<UInt8> {
        let start = position
        while let byte = peek(), !isTokenEnd(byte) { position += 1 }
        // `1979-05-27 07:32:00`: a space between date and time (RFC 3339 allows it, so TOML does).
        if position - start == 10, bytes[start + 4] == UInt8(ascii: "-"), peek() == 0x20, let h = peek(1),
           let m = peek(2), isDigit(h), isDigit(m), peek(3) == UInt8(ascii: ":") {
            position += 1
            while let byte = peek(), !isTokenEnd(byte) { position += 1 }
        }
        return bytes[start..<position]
    }

    mutating func readBareValue() throws -> TOMLValue {
        let start = position
        let token = readBareToken()
        guard !token.isEmpty else { throw error("expected a value, found \(found())") }
        if let value = try scalar(token, start: start) { return value }
        let text = String(decoding: token, as: UTF8.self)
        throw error("invalid value \(text) (strings need quotes; numbers, booleans and dates are written as in "
                    + "TOML 1.0)", at: start)
    }

    private func scalar(_ token: ArraySlice<UInt8>, start: Int) throws -> TOMLValue? {
        let text = String(decoding: token, as: UTF8.self)
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan": return .float(.nan)
        case "-nan": return .float(-.nan)
        default: break
        }
        let bytes = Array(token)
        // Four digits and a dash begin a date; `929e-5_2_2`, also ten bytes with a dash fifth, is a float.
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[..<4].allSatisfy(isDigit) {
            return try dateTime(bytes, start: start)
        }
        if bytes.count >= 8, bytes[2] == UInt8(ascii: ":"), bytes[..<2].allSatisfy(isDigit) {
            var cursor = 0
            guard let time = try time(bytes, &cursor, start: start), cursor == bytes.count else { return nil }
            return .localTime(time)
        }
        return try number(bytes, start: start)
    }

    private func number(_ bytes: [UInt8], start: Int) throws -> TOMLValue? {
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
            let radix: Int? = switch bytes[1] {
            case UInt8(ascii: "x"): 16
            case UInt8(ascii: "o"): 8
            case UInt8(ascii: "b"): 2
            default: nil
            }
            if let radix {
                var cursor = 2
                guard digits(bytes, &cursor, radix: radix), cursor == bytes.count else { return nil }
                let clean = String(decoding: bytes[2...].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
                guard let value = Int64(clean, radix: radix) else { throw outOfRange(bytes, start) }
                return .integer(value)
            }
        }
        var cursor = 0
        if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { cursor += 1 }
        let integerStart = cursor
        guard digits(bytes, &cursor, radix: 10) else { return nil }
        // No leading zeros: `0` alone, or a nonzero first digit.
        guard bytes[integerStart] != UInt8(ascii: "0") || cursor == integerStart + 1 else { return nil }
        var isFloat = false
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") {
            cursor += 1
            guard digits(bytes, &cursor, radix: 10) else { return nil }
            isFloat = true
        }
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "e") || bytes[cursor] == UInt8(ascii: "E") {
            cursor += 1
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "+") || bytes[cursor] == UInt8(ascii: "-") {
                cursor += 1
            }
            guard digits(bytes, &cursor, radix: 10) else { return nil }
            isFloat = true
        }
        guard cursor == bytes.count else { return nil }
        let clean = String(decoding: bytes.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        if isFloat { return Double(clean).map { .float($0) } }
        guard let value = Int64(clean) else { throw outOfRange(bytes, start) }
        return .integer(value)
    }

    private func outOfRange(_ bytes: [UInt8], _ start: Int) -> TOMLError {
        error("integer \(String(decoding: bytes, as: UTF8.self)) does not fit in 64 bits", at: start)
    }

    /// One or more digits of the radix, an underscore only between two digits.
    private func digits(_ bytes: [UInt8], _ cursor: inout Int, radix: Int) -> Bool {
        var count = 0
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if let digit = hexDigit(byte), Int(digit) < radix, radix == 16 || isDigit(byte) {
                count += 1
                cursor += 1
            } else if byte == UInt8(ascii: "_"), count > 0, cursor + 1 < bytes.count,
                      let next = hexDigit(bytes[cursor + 1]), Int(next) < radix, radix == 16 || isDigit(bytes[cursor + 1]) {
                cursor += 1
            } else {
                break
            }
        }
        return count > 0
    }

    private func dateTime(_ bytes: [UInt8], start: Int) throws -> TOMLValue? {
        guard let year = fixed(bytes, 0, 4), bytes[4] == UInt8(ascii: "-"), let month = fixed(bytes, 5, 2),
              bytes[7] == UInt8(ascii: "-"), let day = fixed(bytes, 8, 2) else { return nil }
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= daysIn(month: month, year: year) else {
            throw error("invalid date \(String(decoding: bytes.prefix(10), as: UTF8.self))", at: start)
        }
        let date = TOMLDate(year: year, month: month, day: day)
        if bytes.count == 10 { return .localDate(date) }
        guard [UInt8(ascii: "T"), UInt8(ascii: "t"), 0x20].contains(bytes[10]) else { return nil }
        var cursor = 11
        guard let time = try time(bytes, &cursor, start: start) else { return nil }
        if cursor == bytes.count { return .localDateTime(date, time) }
        if cursor + 1 == bytes.count, bytes[cursor] == UInt8(ascii: "Z") || bytes[cursor] == UInt8(ascii: "z") {
            return .offsetDateTime(date, time, offsetMinutes: 0)
        }
        guard cursor + 6 == bytes.count, bytes[cursor] == UInt8(ascii: "+") || bytes[cursor] == UInt8(ascii: "-"),
              let hours = fixed(bytes, cursor + 1, 2), bytes[cursor + 3] == UInt8(ascii: ":"),
              let minutes = fixed(bytes, cursor + 4, 2) else { return nil }
        guard hours < 24, minutes < 60 else {
            throw error("invalid time offset \(String(decoding: bytes[cursor...], as: UTF8.self))", at: start)
        }
        let sign = bytes[cursor] == UInt8(ascii: "-") ? -1 : 1
        return .offsetDateTime(date, time, offsetMinutes: sign * (hours * 60 + minutes))
    }

    /// `HH:MM:SS` with an optional fraction, from the cursor.
    private func time(_ bytes: [UInt8], _ cursor: inout Int, start: Int) throws -> TOMLTime? {
        guard cursor + 8 <= bytes.count, let hour = fixed(bytes, cursor, 2), bytes[cursor + 2] == UInt8(ascii: ":"),
              let minute = fixed(bytes, cursor + 3, 2), bytes[cursor + 5] == UInt8(ascii: ":"),
              let second = fixed(bytes, cursor + 6, 2) else { return nil }
        guard hour < 24, minute < 60, second < 60 else {
            throw error("invalid time \(String(decoding: bytes[cursor..<cursor + 8], as: UTF8.self))", at: start)
        }
        cursor += 8
        var nanosecond = 0
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") {
            cursor += 1
            var count = 0
            while cursor < bytes.count, isDigit(bytes[cursor]) {
                if count < 9 { nanosecond = nanosecond * 10 + Int(bytes[cursor] - UInt8(ascii: "0")) }
                count += 1
                cursor += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 9) { nanosecond *= 10 }
        }
        return TOMLTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
    }

    /// `count` decimal digits at `offset`, or nil.
    private func fixed(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> Int? {
        guard offset + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[offset..<offset + count] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

func isTokenEnd(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "#"), UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"): true
    default: false
    }
}

func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}
