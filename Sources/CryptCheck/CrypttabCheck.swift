import Core

/// One run of crypttab-check: reads the crypttab and the kernel command line, merges them as the
/// generator does, and checks every entry.
public struct CrypttabCheck {
    /// The crypttab text and the name to report it by.
    public var crypttab: (bytes: [UInt8], path: String)?
    /// The kernel command line.
    public var commandLine: String
    /// Read the command line as the initrd does (`rd.` keys apply).
    public var initrd: Bool
    public var context: CheckContext

    public init(crypttab: (bytes: [UInt8], path: String)?, commandLine: String, initrd: Bool = false, context: CheckContext) {
        self.initrd = initrd
        self.crypttab = crypttab
        self.commandLine = commandLine
        self.context = context
    }

    public func run() -> CheckReport {
        var report = CheckReport()
        let input = GeneratorAdapter.read(crypttab: crypttab, commandLine: commandLine, initrd: initrd)
        report.inputProblems = input.problems
        report.notes = input.notes
        let candidates = input.entries.compactMap { entry -> String? in
            guard DeviceName(entry.device).isPath, !entry.device.hasPrefix("/dev/") else { return nil }
            return try? context.hostPath(entry.device)
        }
        let checker = EntryChecker(context: context, resolver: DeviceResolver(context: context, candidates: candidates))
        report.entries = input.entries.map(checker.check)
        GeneratorUnits.assign(GeneratorUnits.plan(crypttab: crypttab, commandLine: commandLine, initrd: initrd), to: &report.entries)
        duplicates(in: &report)
        return report
    }

    /// Two entries with one name: the generator sets up only the first.
    private func duplicates(in report: inout CheckReport) {
        var seen: [String: String] = [:]
        for index in report.entries.indices {
            let entry = report.entries[index].entry
            if let first = seen[entry.name] {
                report.entries[index].add(.error, "name", "duplicate name '\(NameChecks.printable(entry.name))', first at \(first)")
            } else {
                seen[entry.name] = entry.source
            }
        }
    }
}

