/// Hunting one catalogued bug: put it back, run its scenarios seed by seed, and count a failing seed as a
/// catch only if the same seed passes (or breaks another invariant) with the bug taken out again, so a
/// different, real bug in the code is never mistaken for the one put back.
public enum Hunter {
    public struct Catch: Sendable {
        public var scenario: String
        public var result: RunResult
        /// Seeds run before the catch, over all scenarios.
        public var seedsRun: Int
    }

    /// Runs `scenarios` with seeds 1...`seeds` each, in batches. The bug travels in the runs' options (the
    /// bugs in `options` are replaced), so hunts for different bugs can run at the same time in one process.
    public static func hunt(_ entry: CatalogueEntry, scenarios: [Scenario], seeds: Int, jobs: Int,
                            options: RunOptions) -> Catch? {
        var withBug = options, withoutBug = options
        withBug.bugs = entry.switches
        withoutBug.bugs = .none
        var seedsRun = 0
        for scenario in scenarios {
            var next: UInt64 = 1
            while next <= UInt64(seeds) {
                let batch = (next...min(next + UInt64(jobs * 8) - 1, UInt64(seeds))).map { $0 }
                next += UInt64(batch.count)
                let failures = SeedBatch.run(scenario, seeds: batch, jobs: jobs, options: withBug)
                for failure in failures {
                    let control = scenario.run(seed: failure.seed, options: withoutBug)
                    if control.violation?.invariant != failure.violation?.invariant {
                        return Catch(scenario: scenario.name, result: failure,
                                     seedsRun: seedsRun + Int(failure.seed - batch[0]) + 1)
                    }
                }
                seedsRun += batch.count
            }
        }
        return nil
    }
}
