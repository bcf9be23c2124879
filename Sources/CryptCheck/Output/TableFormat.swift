/// The readable report: one row per entry, its findings indented below it.
public enum TableFormat {
    public static func render(_ report: CheckReport) -> String {
        var rows = [["NAME", "DEVICE", "TYPE", "KEY", "STATUS"]]
        for entry in report.entries {
            rows.append([
                NameChecks.printable(entry.entry.name), NameChecks.printable(entry.entry.device), entry.deviceType,
                entry.key, status(entry.worst),
            ])
        }
        var widths = [Int](repeating: 0, count: 5)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        var output = ""
        for problem in report.inputProblems { output += "error: \(problem)\n" }
        for note in report.notes { output += "note: \(note)\n" }
        if report.entries.isEmpty {
            output += "no entries to check\n"
            return output
        }
        for (index, row) in rows.enumerated() {
            output += line(row, widths) + "\n"
            guard index > 0 else { continue }
            let entry = report.entries[index - 1]
            for finding in entry.findings {
                output += "    \(finding.severity.rawValue) \(finding.check): \(finding.message)\n"
            }
            if !entry.units.isEmpty { output += "    units: \(entry.units.joined(separator: ", "))\n" }
        }
        let bad = report.entries.filter { ($0.worst ?? .info) >= .warning }.count
        output += "\n\(report.entries.count) \(report.entries.count == 1 ? "entry" : "entries") checked, \(bad) with problems\n"
        return output
    }

    static func status(_ worst: Severity?) -> String {
        switch worst {
        case .error: "ERROR"
        case .warning: "WARNING"
        default: "ok"
        }
    }

    private static func line(_ cells: [String], _ widths: [Int]) -> String {
        var text = ""
        for (index, cell) in cells.enumerated() {
            text += index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
        }
        return text
    }
}
