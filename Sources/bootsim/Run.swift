import ArgumentParser
import Core
import Podrt
import Glibc
import Simulation

/// `bootsim run`: every scenario under many seeds; the project's main job.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run scenarios under many seeds and check the invariants after every step.")

    @Argument(help: "Scenario files or directories (default: the scenarios/ of the repository above the working directory, else above bootsim).")
    var paths: [String] = []

    @Option(help: "How many seeds per scenario.")
    var seeds: Int = 100

    @Option(help: "The first seed (with --seeds 1, exactly this seed).")
    var seed: UInt64?

    @Option(help: "Worker threads.")
    var jobs: Int = 2

    @Option(help: "Run the first K seeds of each scenario a second time and fail if a trace hash differs.")
    var determinism: Int = 0

    @Option(help: ArgumentHelp("Run shard K of N (K counts from 1): of every scenario, the seeds at index i (0 for the "
        + "first seed) with i mod N = K - 1. `bootsim merge` combines the shards' --report json files.", valueName: "k/n"))
    var shard: String?

    @OptionGroup var reports: ReportOptions

    @OptionGroup var simulation: SimulationOptions

    @OptionGroup var fuse: FUSEModeOptions

    func validate() throws {
        if fuse.fuse, simulation.bug != nil { throw ValidationError("--bug works in the simulation only, not with --fuse") }
        _ = try share()
    }

    /// The `--shard`, or all seeds.
    func share() throws -> Shard {
        guard let shard else { return .all }
        do { return try Shard(parsing: shard) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        ensureDeterministicHashing()
        let files = try scenarioFiles(paths)
        var runOptions = simulation.runOptions
        runOptions.mounted = try fuse.setup()
        if !UnitVerifier.available {
            print("note: \(UnitVerifier.analyze) is not installed: G3 (every generated unit verifies) is not checked")
        }
        if runOptions.mounted != nil {
            print("FUSE mode: real podrt and generator processes on a mounted machine; the kernel schedules them")
        }
        let start = realSeconds()
        let count = seed != nil && seeds == 100 ? 1 : seeds
        let first = seed ?? 1
        let share = try share()
        if share.count > 1 {
            print("shard \(share): \(share.seedCount(total: count)) of the \(count) seeds of each scenario, "
                + "those at index i with i mod \(share.count) = \(share.index - 1)")
        }
        var scenarioReports: [ScenarioReport] = []
        for file in files {
            let scenarioStart = realSeconds()
            let scenario = try Scenario.load(path: file, fixtures: simulation.fixtures, runtime: fuse.runtime?.rawValue)
            // A scenario found in a directory that FUSE mode cannot run is skipped, saying why; one named on
            // the command line runs, and fails its setup with the same reason.
            if runOptions.mounted != nil, let gap = scenario.fuseModeGap, !paths.contains(file) {
                print("skipped \(scenario.name): \(gap.message)")
                continue
            }
            let seedList = share.seeds(first: first, total: count)
            if runOptions.strategy == .pct, runOptions.mounted == nil {
                print(scenario.pctBoundDescription(depth: simulation.pctDepth, seeds: seedList.count))
            }
            let counter = ProgressCounter(name: scenario.name, total: seedList.count)
            // FUSE mode has no traces to hash.
            let sample = TraceSample(seeds: seedList.prefix(runOptions.mounted == nil ? RunReport.sampleSize : 0))
            let failures = SeedBatch.run(scenario, seeds: seedList, jobs: jobs, options: runOptions) { result in
                counter.tick()
                counter.mostChoices = max(counter.mostChoices, result.choices)
                sample.record(result)
            }
            counter.finish()
            if runOptions.strategy == .pct, runOptions.mounted == nil, counter.mostChoices > scenario.settings.pctSteps {
                print("note: a run made \(counter.mostChoices) choices, more than pct-steps \(scenario.settings.pctSteps): "
                    + "the bound above holds only for bugs whose change points fall in the first \(scenario.settings.pctSteps)")
            }
            var nondeterministic: [NondeterministicSeed] = []
            for seed in seedList.prefix(runOptions.mounted == nil ? determinism : 0) {
                let first = scenario.run(seed: seed, options: simulation.runOptions)
                let second = scenario.run(seed: seed, options: simulation.runOptions)
                if first.traceHash != second.traceHash || first.violation != second.violation {
                    print("NONDETERMINISM \(scenario.name) seed \(seed): trace hash \(first.traceHash) then \(second.traceHash)")
                    nondeterministic.append(NondeterministicSeed(seed: seed, first: first.traceHash, second: second.traceHash))
                }
            }
            if determinism > 0, runOptions.mounted == nil { print("\(scenario.name): \(min(determinism, seedList.count)) seeds run twice, same trace hashes") }
            scenarioReports.append(try scenarioReport(scenario, file: file, seedsRun: seedList.count, failures: failures,
                                                      nondeterministic: nondeterministic, sample: sample.hashes,
                                                      seconds: realSeconds() - scenarioStart))
            for failure in failures.prefix(3) {
                if runOptions.mounted != nil {
                    print("FAIL \(scenario.name) seed \(failure.seed) (FUSE mode): \(failure.violation!)")
                    print("  after the step at \(file):\(failure.line)")
                } else {
                    report(failure, scenario: scenario, file: file)
                }
            }
            if failures.count > 3 { print("  ... and \(failures.count - 3) more failing seeds") }
        }
        let elapsed = realSeconds() - start
        let report = runReport(scenarioReports, firstSeed: first, seedCount: count, shard: share, seconds: elapsed)
        try reports.write(report)
        printTotals(passed: report.passed, failed: report.failed, seconds: elapsed)
        if report.failed > 0 { throw ExitCode(1) }
    }

    func report(_ failure: RunResult, scenario: Scenario, file: String) {
        var options = simulation.runOptions
        options.detailed = true
        let again = scenario.run(seed: failure.seed, options: options)
        print("FAIL \(scenario.name) seed \(failure.seed): \(failure.violation!)")
        print("  after the step at \(file):\(failure.line)")
        if again.traceHash != failure.traceHash || again.violation != failure.violation {
            print("  NONDETERMINISM: the rerun gave hash \(again.traceHash) vs \(failure.traceHash)")
        }
        print("  decisions: \(failure.decisions.map(\.description).joined(separator: " "))")
        print("  trace (shortened):")
        for line in Trace.shortened(again.events, limit: 25) { print("    " + line) }
        print("  replay: \(replayCommand(file: file, seed: failure.seed))")
    }

    /// The command that repeats one seed: `bootsim replay` in the simulation; in FUSE mode, a one-seed run.
    func replayCommand(file: String, seed: UInt64) -> String {
        fuse.fuse ? "bootsim run --fuse \(file) --seed \(seed) --seeds 1" : "bootsim replay \(file) --seed \(seed)\(simulation.replayFlags)"
    }
}

/// A run's closing lines, the last of them `N passed, N failed` (which CI reads).
func printTotals(passed: Int, failed: Int, seconds: Double) {
    print("\(passed + failed) seeds in \(String(format1: seconds)) s (\(Int(Double(passed + failed) / max(seconds, 1e-9))) seeds/s)")
    print("\(passed) passed, \(failed) failed")
}

/// Prints `name: done/total seeds, N seeds/s` about once a second.
final class ProgressCounter {
    let name: String
    let total: Int
    let start = realSeconds()
    var done = 0
    var lastPrint = realSeconds()
    /// The most scheduler choices one run made (PCT's k).
    var mostChoices = 0

    init(name: String, total: Int) {
        self.name = name
        self.total = total
    }

    func tick() {
        done += 1
        let now = realSeconds()
        if now - lastPrint >= 1 {
            lastPrint = now
            printToError("\(name): \(done)/\(total) seeds, \(Int(Double(done) / (now - start))) seeds/s")
        }
    }

    func finish() {
        let elapsed = realSeconds() - start
        print("\(name): \(done) seeds, \(Int(Double(done) / max(elapsed, 1e-9))) seeds/s")
    }
}

/// The scenario files named by `paths` (directories expand to their .scenario files); default: the
/// repository's scenarios/, found from the working directory or from bootsim's own path.
func scenarioFiles(_ paths: [String]) throws -> [String] {
    try Scenario.files(named: paths)
}

extension String {
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}

// ProgressCounter: ticked under SeedBatch's lock.
extension ProgressCounter: @unchecked Sendable {}
