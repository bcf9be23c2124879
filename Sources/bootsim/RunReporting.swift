import Core
import Glibc
import Simulation

/// What `bootsim run` puts in its `--report` files.
extension Run {
    /// One scenario's part: every failing seed with its replay command, and the trace hashes of the sample.
    func scenarioReport(_ scenario: Scenario, file: String, seedsRun: Int, failures: [RunResult],
                        nondeterministic: [NondeterministicSeed], sample: [SeedHash],
                        seconds: Double) throws -> ScenarioReport {
        ScenarioReport(
            name: scenario.name, file: file,
            digest: ScenarioReport.digest(of: try HostFileSystem().readFile(file, limit: 1 << 20)),
            seedsRun: seedsRun, milliseconds: Int64((seconds * 1000).rounded()),
            failures: failures.map { failure in
                FailingSeed(seed: failure.seed, invariant: failure.violation?.invariant ?? "",
                            message: failure.violation?.message ?? "", line: failure.line,
                            replay: replayCommand(file: file, seed: failure.seed))
            },
            nondeterministic: nondeterministic, traceHashes: sample)
    }

    /// The whole run's report: this process is one shard (1/1 without `--shard`).
    func runReport(_ scenarios: [ScenarioReport], firstSeed: UInt64, seedCount: Int, shard: Shard,
                   seconds: Double) -> RunReport {
        let options = RunReport.Options(strategy: simulation.strategy.rawValue, pctDepth: simulation.pctDepth,
                                        bug: simulation.bug, determinism: fuse.fuse ? 0 : determinism)
        let run = RunReport.ShardRun(index: shard.index, host: hostName(), milliseconds: Int64((seconds * 1000).rounded()))
        return RunReport(bootsimVersion: bootsimVersion, mode: fuse.fuse ? "fuse" : "simulation", options: options,
                         firstSeed: firstSeed, seedCount: seedCount, shardCount: shard.count, shards: [run],
                         scenarios: scenarios)
    }
}

/// The trace hashes of the first seeds of a scenario, collected as the batch finishes them (in any order).
final class TraceSample {
    let seeds: Set<UInt64>
    private(set) var hashes: [SeedHash] = []

    init(seeds: some Sequence<UInt64>) { self.seeds = Set(seeds) }

    func record(_ result: RunResult) {
        guard seeds.contains(result.seed) else { return }
        hashes.append(SeedHash(seed: result.seed, traceHash: result.traceHash))
        hashes.sort { $0.seed < $1.seed }
    }
}

// TraceSample: recorded under SeedBatch's lock, read after the batch.
extension TraceSample: @unchecked Sendable {}

/// This machine's name, for the report's shard entry (where a shard ran).
func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
