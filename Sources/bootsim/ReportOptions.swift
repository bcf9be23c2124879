import ArgumentParser
import Simulation

/// `--report junit FILE` and `--report json FILE`, either or both, for `run` and `merge` (docs/reports.md).
struct ReportOptions: ParsableArguments {
    enum Kind: String, CaseIterable {
        case junit, json
    }

    @Option(name: .customLong("report"), parsing: .upToNextOption,
            help: ArgumentHelp("Write a report: 'junit FILE' (JUnit XML for CI) or 'json FILE' (the summary `merge` reads); "
                + "may be given twice.", valueName: "kind> <file"))
    var values: [String] = []

    func validate() throws { _ = try requests() }

    /// The reports asked for, in order.
    func requests() throws -> [(kind: Kind, file: String)] {
        let kinds = Kind.allCases.map(\.rawValue).joined(separator: " or ")
        guard values.count % 2 == 0 else {
            throw ValidationError("--report takes KIND FILE (KIND \(kinds)), got: \(values.joined(separator: " ")); "
                + "put other arguments before --report")
        }
        return try stride(from: 0, to: values.count, by: 2).map { index in
            guard let kind = Kind(rawValue: values[index]) else {
                throw ValidationError("--report \(values[index]) \(values[index + 1]): the kind is \(kinds), not '\(values[index])'")
            }
            return (kind, values[index + 1])
        }
    }

    /// Writes every report asked for.
    func write(_ report: RunReport) throws {
        for (kind, file) in try requests() {
            switch kind {
            case .junit: try writeText(file, report.junitXML())
            case .json: try writeText(file, report.json.prettyPrinted() + "\n")
            }
        }
    }
}
