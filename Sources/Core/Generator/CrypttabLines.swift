// /etc/crypttab as systemd 252 reads it: lines end at \n, \r, \0 or a pair such as \r\n (read_line), are
// stripped, and split into at most four whitespace-separated fields (sscanf "%ms %ms %ms %ms").

public enum CrypttabLines {
    /// LONG_LINE_MAX: a line of this many bytes (without its end) is an error.
    public static let maxLineLength = 1024 * 1024

    /// One line: its number (from 1) and bytes.
    public struct Line: Equatable, Sendable {
        public var number: Int
        public var bytes: ArraySlice<UInt8>
    }

    /// The lines of `data`. Stops with `tooLong` set at a line of `maxLineLength` bytes or more.
    public static func lines(_ data: Bytes) -> (lines: [Line], tooLongAtLine: Int?) {
        var lines: [Line] = []
        var index = 0
        var number = 0
        while index < data.count {
            let start = index
            var end = index
            // The content up to the first end-of-line byte.
            while end < data.count && !isEndOfLine(data[end]) {
                if end - start >= maxLineLength { return (lines, number + 1) }
                end += 1
            }
            if end - start >= maxLineLength { return (lines, number + 1) }
            // The end-of-line marker: each of \n and \r at most once, then optionally one \0; a \0 ends it.
            var seen: UInt8 = 0
            var position = end
            while position < data.count {
                let kind = endOfLineKind(data[position])
                if kind == 0 || seen & 4 != 0 || seen & kind != 0 { break }
                seen |= kind
                position += 1
            }
            number += 1
            lines.append(Line(number: number, bytes: data[start..<end]))
            index = position
        }
        return (lines, nil)
    }

    private static func isEndOfLine(_ c: UInt8) -> Bool { c == 0x0a || c == 0x0d || c == 0 }

    private static func endOfLineKind(_ c: UInt8) -> UInt8 {
        switch c {
        case 0x0a: return 1
        case 0x0d: return 2
        case 0: return 4
        default: return 0
        }
    }

    /// The fields of a line after `strstrip`; nil for an empty or comment line.
    public static func fields(_ line: ArraySlice<UInt8>) -> [Bytes]? {
        var start = line.startIndex, end = line.endIndex
        while start < end && ASCII.isWhitespace(line[start]) { start += 1 }
        while end > start && ASCII.isWhitespace(line[end - 1]) { end -= 1 }
        if start == end || line[start] == 0x23 { return nil }
        var fields: [Bytes] = []
        var index = start
        while fields.count < 4 {
            while index < end && ASCII.isSpace(line[index]) { index += 1 }
            if index >= end { break }
            let fieldStart = index
            while index < end && !ASCII.isSpace(line[index]) { index += 1 }
            fields.append(Array(line[fieldStart..<index]))
        }
        return fields
    }
}
