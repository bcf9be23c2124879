import Core

/// One run of crypttab-check: reads the crypttab and the kernel command line, merges them as the
/// generator does, and checks every entry.
public struct CrypttabCheck {
    /// The crypttab text and the name to report it by.
    public var crypttab: (bytes: [UInt8], path: String)?
    /// The kernel command line.
    public var commandLine: String
    public var context: CheckContext

    public init(crypttab: (bytes: [UInt8], path: String)?, commandLine: String, context: CheckContext) {
        self.crypttab = crypttab
        self.commandLine = commandLine
        self.context = context
    }

    public func run() -> CheckReport {
        var report = CheckReport()
        let (entries, problems, notes) = EntryList.merge(crypttab: crypttab, commandLine: commandLine)
        report.inputProblems = problems
        report.notes = notes
        let candidates = entries.compactMap { entry -> String? in
            guard case .path(let path) = DeviceSpec(entry.device), !path.hasPrefix("/dev/") else { return nil }
            return try? context.hostPath(path)
        }
        let checker = EntryChecker(context: context, resolver: DeviceResolver(context: context, candidates: candidates))
        report.entries = entries.map(checker.check)
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

/// Reads the crypttab and the command line into the entries a boot would set up.
enum EntryList {
    static func merge(crypttab: (bytes: [UInt8], path: String)?, commandLine: String)
        -> (entries: [CheckEntry], problems: [InputProblem], notes: [String])
    {
        let line = StandInReader.commandLine(commandLine)
        guard line.enabled else { return ([], [], ["luks=no on the kernel command line: nothing is set up"]) }
        var entries: [CheckEntry] = []
        var problems: [InputProblem] = []
        var notes: [String] = []
        var unmatched = line.volumes
        if let crypttab, line.readCrypttab {
            let parsed = StandInReader.crypttab(crypttab.bytes, path: crypttab.path)
            problems = parsed.problems
            for var entry in parsed.entries {
                let key = matchKey(entry)
                if !line.volumes.isEmpty {
                    guard let key, let index = unmatched.firstIndex(where: { $0.uuid == key }) else {
                        notes.append("\(entry.source): '\(entry.name)' is skipped: not named on the kernel command line")
                        continue
                    }
                    unmatched.remove(at: index)
                    entry.commandLineUUID = key
                }
                entries.append(entry)
            }
        } else if crypttab != nil {
            notes.append("luks.crypttab=no on the kernel command line: the crypttab is ignored")
        }
        for volume in unmatched {
            entries.append(CheckEntry(
                source: "kernel command line", name: volume.name ?? "luks-\(volume.uuid)",
                device: "UUID=\(volume.uuid)", key: nil, options: [], commandLineUUID: volume.uuid))
        }
        return (entries, problems, notes)
    }

    /// What systemd 252 matches a crypttab line by: the `UUID=` suffix, the `/dev/disk/by-uuid/` suffix, or
    /// a `luks-` name; the first candidate wins.
    static func matchKey(_ entry: CheckEntry) -> String? {
        if let uuid = DeviceSpec(entry.device).namedUUID { return uuid }
        if entry.name.hasPrefix("luks-") { return String(entry.name.dropFirst(5)) }
        return nil
    }
}
