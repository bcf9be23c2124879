/// Combining the JSON reports of the shards of one run (`bootsim merge`). Reports that cannot be shares of
/// one run are refused: another bootsim version, mode, option, seed range or number of shards, other scenario
/// files (by name, path and digest), a shard that two reports both cover, or a scenario whose seed count is
/// not its shards'. So is a shard that no report covers (a lost shard must not pass for a whole run), unless
/// `allowMissing`: then it is a warning, and the result a part of the run.
extension RunReport {
    /// Merges `reports` (each named, for messages, by its file); returns the merged report and the warnings.
    public static func merge(_ reports: [(name: String, report: RunReport)],
                             allowMissing: Bool = false) throws(ReportProblem) -> (report: RunReport, warnings: [String]) {
        guard let (firstName, first) = reports.first else { throw ReportProblem("no reports to merge") }
        var merged = first
        var owner: [Int: String] = [:]
        for (name, report) in reports {
            try report.checkSeedCounts(name)
            try first.checkSameRun(as: report, firstName, name)
            for shard in report.shards {
                if let other = owner[shard.index] {
                    throw ReportProblem("shard \(shard.index)/\(report.shardCount) is in both \(other) and \(name): its seeds would count twice")
                }
                owner[shard.index] = name
            }
        }
        for (_, report) in reports.dropFirst() {
            merged.shards += report.shards
            for (index, scenario) in report.scenarios.enumerated() { merged.scenarios[index].add(scenario) }
        }
        merged.shards.sort { $0.index < $1.index }
        guard !merged.missingShards.isEmpty else { return (merged, []) }
        let missing = "no report covers shard " + merged.missingShards.map { "\($0)/\(merged.shardCount)" }.joined(separator: ", ")
        guard allowMissing else { throw ReportProblem(missing + " (--allow-missing merges the shards there are)") }
        return (merged, ["warning: \(missing): the merge has \(merged.scenarios.first?.seedsRun ?? 0) "
            + "of the \(merged.seedCount) seeds of each scenario"])
    }

    /// Refuses `other` unless it is a share of the same run as this report.
    func checkSameRun(as other: RunReport, _ name: String, _ otherName: String) throws(ReportProblem) {
        func refuse(_ what: String, _ mine: String, _ theirs: String) -> ReportProblem {
            ReportProblem("\(name) and \(otherName) are not shards of one run: \(what) \(mine) in \(name), \(theirs) in \(otherName)")
        }
        if bootsimVersion != other.bootsimVersion { throw refuse("bootsim version", bootsimVersion, other.bootsimVersion) }
        if mode != other.mode { throw refuse("mode", mode, other.mode) }
        if options != other.options { throw refuse("options", options.summary, other.options.summary) }
        if firstSeed != other.firstSeed || seedCount != other.seedCount {
            throw refuse("seeds", seedRange, other.seedRange)
        }
        if shardCount != other.shardCount { throw refuse("number of shards", String(shardCount), String(other.shardCount)) }
        let mine = scenarios.map(\.identity)
        let theirs = other.scenarios.map(\.identity)
        if mine != theirs {
            func only(_ list: [String], _ without: [String]) -> String {
                let rest = list.filter { !without.contains($0) }
                return rest.isEmpty ? "nothing" : rest.joined(separator: ", ")
            }
            throw Set(mine) == Set(theirs)
                ? refuse("the scenario order", mine.joined(separator: ", "), theirs.joined(separator: ", "))
                : refuse("the scenarios differ: only", only(mine, theirs), only(theirs, mine))
        }
    }

    /// Refuses a report whose scenarios did not run exactly their shards' seeds.
    func checkSeedCounts(_ name: String) throws(ReportProblem) {
        var expected = 0
        for shard in shards {
            guard let share = try? Shard(index: shard.index, count: shardCount) else {
                throw ReportProblem("\(name): shard \(shard.index) of \(shardCount) does not exist")
            }
            expected += share.seedCount(total: seedCount)
        }
        for scenario in scenarios where scenario.seedsRun != expected {
            throw ReportProblem("\(name): \(scenario.name) ran \(scenario.seedsRun) seeds, but its shards hold \(expected) of seeds \(seedRange)")
        }
    }
}

extension RunReport.Options {
    var summary: String {
        "--strategy \(strategy)" + (pctDepth.map { " --pct-depth \($0)" } ?? "") + (bug.map { " --bug \($0)" } ?? "")
            + " --determinism \(determinism)"
    }
}

extension ScenarioReport {
    /// `name (file, digest D)`: a scenario merges only with the same text at the same path.
    var identity: String { "\(name) (\(file), digest \(digest))" }

    /// Adds another shard's seeds of this scenario.
    mutating func add(_ other: ScenarioReport) {
        seedsRun += other.seedsRun
        milliseconds += other.milliseconds
        failures = (failures + other.failures).sorted { $0.seed < $1.seed }
        nondeterministic = (nondeterministic + other.nondeterministic).sorted { $0.seed < $1.seed }
        traceHashes = Array((traceHashes + other.traceHashes).sorted { $0.seed < $1.seed }.prefix(RunReport.sampleSize))
    }
}
