/// The machine-readable report (`--format json`), written without Foundation:
/// `{"ok": Bool, "exitCode": Int, "inputProblems": [{source, message}], "notes": [String],
///   "entries": [{source, name, device, devicePath, type, uuid, key, keyslot, status, units, findings:
///   [{severity, check, message}]}]}`. Absent values are `null`.
public enum JSONFormat {
    public static func render(_ report: CheckReport) -> String {
        let entries = report.entries.map { entry -> String in
            let findings = entry.findings.map {
                object([("severity", string($0.severity.rawValue)), ("check", string($0.check)), ("message", string($0.message))])
            }
            return object([
                ("source", string(entry.entry.source)),
                ("name", string(entry.entry.name)),
                ("device", string(entry.entry.device)),
                ("devicePath", entry.devicePath.map(string) ?? "null"),
                ("type", string(entry.deviceType)),
                ("uuid", entry.uuid.map(string) ?? "null"),
                ("key", string(entry.key)),
                ("keyslot", entry.keyslot.map { String($0) } ?? "null"),
                ("status", string(TableFormat.status(entry.worst).lowercased())),
                ("units", array(entry.units.map(string))),
                ("findings", array(findings)),
            ])
        }
        let problems = report.inputProblems.map { object([("source", string($0.source)), ("message", string($0.message))]) }
        return object([
            ("ok", report.exitCode == 0 ? "true" : "false"),
            ("exitCode", String(report.exitCode)),
            ("inputProblems", array(problems)),
            ("notes", array(report.notes.map(string))),
            ("entries", array(entries)),
        ]) + "\n"
    }

    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    /// A JSON string: quotes, backslashes and control characters escaped.
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
