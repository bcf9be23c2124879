/// The harness self-test: generated scenarios (`ScenarioGenerator`) run against the clean build, where every
/// invariant must hold. A break is a bug of the harness, of podrt or of the generator, never of the scenario.
public enum SelfTest {
    /// One generated scenario that did not pass: it did not parse (a generator bug), or seeds broke it.
    public struct Failure: Sendable {
        public var index: Int
        public var text: String
        public var parseError: String?
        public var failures: [RunResult]
    }

    public struct Outcome: Sendable {
        public var scenarios = 0
        public var seeds = 0
        public var failures: [Failure] = []
    }

    /// Generates `count` scenarios from `seed` (numbers `first`…) and runs `seeds` seeds of each on `jobs`
    /// threads; `progress` hears of each scenario when it is done.
    public static func run(seed: UInt64, first: Int = 0, count: Int, seeds: Int, jobs: Int, fixtures: FixtureSource,
                           progress: (Int, Failure?) -> Void = { _, _ in }) -> Outcome {
        var outcome = Outcome()
        for index in first..<(first + count) {
            let text = ScenarioGenerator.text(seed: seed, index: index, fixtures: fixtures.names)
            var failure: Failure?
            do {
                var scenario = try Scenario.parse(text, path: "selftest-\(index).scenario")
                try scenario.loadFixtures(from: fixtures)
                let failing = SeedBatch.run(scenario, seeds: (1...UInt64(seeds)).map { $0 }, jobs: jobs, options: RunOptions())
                outcome.seeds += seeds
                if !failing.isEmpty { failure = Failure(index: index, text: text, parseError: nil, failures: failing) }
            } catch {
                failure = Failure(index: index, text: text, parseError: "\(error)", failures: [])
            }
            outcome.scenarios += 1
            if let failure { outcome.failures.append(failure) }
            progress(index, failure)
        }
        return outcome
    }
}
