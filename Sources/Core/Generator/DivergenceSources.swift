// For `--explain`: which crypttab entry (or the kernel command line) each divergence from systemd 252 comes
// from. The planner reports the divergences of a whole run; this finds their sources by planning again (cheap:
// planning touches no file), and leaves the planner as it is.

/// Where one divergence of a run comes from.
struct DivergenceSource: Equatable {
    var divergence: Divergence
    /// `crypttab entry data at /etc/crypttab:3` or `kernel command line`; empty when neither explains it.
    var source: String
}

enum DivergenceSources {
    /// Every divergence in `planned` (the run's own), each with where it comes from, sorted by tag and then
    /// in file order. A divergence can come from several entries (one line each).
    ///
    /// An entry's divergences are those that appear when its line is added to the lines before it, and those
    /// its line gives planned alone (so that a tag an earlier entry already gave is found again);
    /// `continue-after-failure` belongs to every entry after one that failed, as systemd stops there. The
    /// crypttab is planned with a read error after its lines, which keeps the devices named only on the
    /// command line out (the planner stops at the error, and adds `continue-after-failure` exactly when an
    /// entry failed). What the run has beyond its crypttab entries comes from the command line.
    static func of(_ input: GeneratorInput, planned: Set<Divergence>) -> [DivergenceSource] {
        var found: [(tag: Divergence, order: Int, source: String)] = []
        var explained: Set<Divergence> = []
        var lines: [CrypttabLines.Line] = []
        // Whether the run planned the devices named only on the command line: not after a failed read.
        var devicesPlanned = true
        if case let .contents(data, readError) = input.crypttab {
            let read = CrypttabLines.lines(data)
            lines = read.lines
            devicesPlanned = readError == nil && read.tooLongAtLine == nil
        }
        // A read error fails the run only when the crypttab is read at all (not with luks.crypttab=no).
        var unread = input
        unread.crypttab = .contents([], readError: 5)
        if !GeneratorPlanner.plan(unread).plan.failed { lines = [] }
        let path = input.crypttabPath.text
        var before = crypttab(input, lines[..<0])
        for (index, line) in lines.enumerated() {
            guard let fields = CrypttabLines.fields(line.bytes) else { continue }
            let upTo = crypttab(input, lines[...index])
            var tags = upTo.subtracting(before).union(crypttab(input, lines[index...index]).intersection(upTo))
            tags.remove(.continueAfterFailure)
            if before.contains(.continueAfterFailure) { tags.insert(.continueAfterFailure) }
            for tag in tags.intersection(planned) {
                found.append((tag, line.number, "crypttab entry \(fields[0].text) at \(path):\(line.number)"))
            }
            explained.formUnion(tags)
            before = upTo
        }
        // The command line's own devices: what the run has beyond the crypttab, and what they give alone.
        let entriesFailed = before.contains(.continueAfterFailure)
        var fromEntries = before
        fromEntries.remove(.continueAfterFailure)
        if explained.contains(.continueAfterFailure) { fromEntries.insert(.continueAfterFailure) }
        var withoutCrypttab = input
        withoutCrypttab.crypttab = .missing
        let devicesAlone = GeneratorPlanner.plan(withoutCrypttab)
        var commandLine = planned.subtracting(fromEntries)
        if devicesPlanned { commandLine.formUnion(devicesAlone.divergences.intersection(planned)) }
        let hasDevices = devicesPlanned && (!devicesAlone.plan.entries.isEmpty || devicesAlone.plan.failed)
        if !(devicesAlone.divergences.contains(.continueAfterFailure) || (entriesFailed && hasDevices)) {
            commandLine.remove(.continueAfterFailure)
        }
        for tag in commandLine { found.append((tag, Int.max - 1, "kernel command line")) }
        explained.formUnion(commandLine)
        for tag in planned.subtracting(explained) { found.append((tag, Int.max, "")) }
        return found.sorted { ($0.tag.rawValue, $0.order) < ($1.tag.rawValue, $1.order) }
            .map { DivergenceSource(divergence: $0.tag, source: $0.source) }
    }

    /// The divergences of planning only the crypttab `lines`, followed by a read error.
    private static func crypttab(_ input: GeneratorInput, _ lines: ArraySlice<CrypttabLines.Line>) -> Set<Divergence> {
        var probe = input
        probe.crypttab = .contents(lines.flatMap { Array($0.bytes) + [0x0a] }, readError: 5)
        return GeneratorPlanner.plan(probe).divergences
    }
}
