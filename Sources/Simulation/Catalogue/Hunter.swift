/// Hunting one catalogued bug: put it back, run its scenarios seed by seed, and count a failing seed as a
/// catch only if the same seed passes (or breaks another invariant) with the bug taken out again, so a
/// different, real bug in the code is never mistaken for the one put back.
public enum Hunter {
    public struct Catch: Sendable {
        public var scenario: String
        public var result: RunResult
        /// Seeds run before the catch, over all scenarios.
        public var seedsRun: Int
        /// For a durability entry: the sweep's first loss (`result` holds its violation, seed 1).
        public var loss: Sweep.Loss?
    }

    /// Runs `scenarios` with seeds 1...`seeds` each, in batches. The bug travels in the runs' options (the
    /// bugs in `options` are replaced), so hunts for different bugs can run at the same time in one process.
    public static func hunt(_ entry: CatalogueEntry, scenarios: [Scenario], seeds: Int, jobs: Int,
                            options: RunOptions) -> Catch? {
        if entry.sweeps { return sweep(entry, scenarios: scenarios, jobs: jobs) }
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

    /// A durability entry: sweep each scenario (seed 1) with the bug up to its first loss; that is a catch when
    /// the sweep without the bug, over as many crash points, loses nothing or breaks another invariant.
    static func sweep(_ entry: CatalogueEntry, scenarios: [Scenario], jobs: Int) -> Catch? {
        for scenario in scenarios {
            var options = Sweep.Options()
            options.jobs = jobs
            options.bugs = entry.switches
            options.stopAtFirstLoss = true
            guard let loss = Sweep.run(scenario, options: options).firstLoss else { continue }
            // The control: the build without the bug, swept as far (its crash points are its own calls).
            options.bugs = .none
            options.stopAtFirstLoss = false
            options.throughPoint = loss.point
            let control = Sweep.run(scenario, options: options)
            if control.workloadFailure == nil, control.firstLoss?.violation.invariant != loss.violation.invariant {
                var result = RunResult(seed: options.seed)
                result.violation = loss.violation
                result.line = loss.line
                return Catch(scenario: scenario.name, result: result, seedsRun: 1, loss: loss)
            }
        }
        return nil
    }
}
