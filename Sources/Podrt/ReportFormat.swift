/// A `--format` value as podman's report package reads it (containers/common `pkg/report`): `json` or
/// `{{json .}}` prints the JSON listing; `table` alone is the command's own table; `table T` is the template T
/// with `\t`, `\n` and spaces made tabs and newlines, a header row and columns padded as Go's tabwriter does
/// (min width 12, padding 2); any other text is a template run once per object, `\t` and `\n` unescaped.
public enum ReportFormat: Sendable {
    case json
    case table
    case template(GoTemplate, isTable: Bool, source: String)

    public init(_ format: String, name: String) throws {
        let trimmed = format.trimmingSpaces()
        if trimmed == "json" || trimmed.filter({ $0 != " " }) == "{{json.}}" {
            self = .json
        } else if trimmed == "table" {
            self = .table
        } else if format.hasPrefix("table ") {
            let body = Self.replacing(String(format.dropFirst(6)), [("\\t", "\t"), (" ", "\t"), ("\\n", "\n")])
            self = .template(try GoTemplate(body, name: name), isTable: true, source: body)
        } else {
            let body = Self.replacing(format, [("\\t", "\t"), ("\\n", "\n")])
            self = .template(try GoTemplate(body, name: name), isTable: false, source: body)
        }
    }

    /// The template's output, one run per row (each ending in a newline, as podman adds one); for `table T`
    /// a header row first, the cells aligned. `headers` names a field's column where podman's differs from
    /// the field name split at its capitals (`CreatedAt` is `CREATED AT`).
    public func render(_ rows: [JSON], headers: [String: String] = [:]) throws -> String {
        guard case let .template(template, isTable, source) = self else { return "" }
        var lines: [String] = []
        if isTable { lines.append(Self.header(source, headers: headers)) }
        for row in rows {
            var text = try template.execute(row)
            if text.hasSuffix("\n") { text.removeLast() }
            lines.append(text)
        }
        if !isTable { return lines.joined(separator: "\n") }
        return Self.aligned(lines.joined(separator: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    /// The header row of `table T`: per tab-separated cell, the header of the first field the cell names,
    /// or the cell's text in capitals when it names none.
    static func header(_ source: String, headers: [String: String]) -> String {
        source.split(separator: "\t", omittingEmptySubsequences: false).map { cell -> String in
            let scalars = Array(cell.unicodeScalars)
            var index = 0
            while index < scalars.count {
                if scalars[index] == ".", index + 1 < scalars.count, GoTemplateLexer.isWordScalar(scalars[index + 1]) {
                    var end = index + 1
                    var last = end
                    while end < scalars.count, GoTemplateLexer.isWordScalar(scalars[end]) || scalars[end] == "." {
                        if scalars[end] == "." { last = end + 1 }
                        end += 1
                    }
                    let field = String(String.UnicodeScalarView(scalars[last..<end]))
                    return headers[field] ?? headerName(field)
                }
                index += 1
            }
            return cell.uppercased()
        }.joined(separator: "\t")
    }

    /// `CreatedAt` → `CREATED AT`, `ID` → `ID`: a space where a capital follows a small letter.
    public static func headerName(_ field: String) -> String {
        var out = ""
        var previousLower = false
        for character in field {
            if character.isUppercase && previousLower { out += " " }
            previousLower = character.isLowercase
            out += character.uppercased()
        }
        return out
    }

    /// Go's tabwriter as podman sets it up: each tab-ended cell padded to its column's widest cell plus 2,
    /// at least 12; a line's last cell is not padded.
    static func aligned(_ lines: [String]) -> String {
        let cells = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        var widths: [Int] = []
        for row in cells {
            for (column, cell) in row.dropLast().enumerated() {
                if column == widths.count { widths.append(12) }
                widths[column] = max(widths[column], cell.count + 2)
            }
        }
        return cells.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined()
        }.joined(separator: "\n")
    }

    static func replacing(_ text: String, _ pairs: [(String, String)]) -> String {
        // One pass, left to right, as Go's strings.Replacer: the first pair that matches at a place wins.
        var out = ""
        var rest = Substring(text)
        outer: while !rest.isEmpty {
            for (from, to) in pairs where rest.hasPrefix(from) {
                out += to
                rest = rest.dropFirst(from.count)
                continue outer
            }
            out.append(rest.removeFirst())
        }
        return out
    }
}
