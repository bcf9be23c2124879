import ArgumentParser
import Simulation

/// `bootsim explore`: every schedule of a scenario's `together` blocks within a bound, not a sample.
struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every schedule of a scenario within K preemptions and injections, and check the invariants in each.")

    @Argument(help: "The scenario file.")
    var scenario: String

    @Option(help: ArgumentHelp("K: switches away from a process that could go on, plus injections (kill, reboot, "
                               + "power cut, as the scenario's inject: allows), per schedule; switches where a process "
                               + "blocks or ends are free.", valueName: "k"))
    var preemptions: Int = 2

    @Option(name: .customLong("max-schedules"), help: ArgumentHelp("Stop after N schedules (default: none, until exhausted).", valueName: "n"))
    var maxSchedules: Int?

    @Option(help: "Put this catalogued bug back first (simulation only; see `bootsim catalog`).")
    var bug: String?

    @Option(help: "Worker threads; the result is the same for any number.")
    var jobs: Int = 2

    @Option(help: "The world's seed (names, boot ids); explore makes every scheduling choice itself.")
    var seed: UInt64 = 1

    @Flag(name: .customLong("no-reduction"), help: "Run every schedule within the bound, without sleep sets.")
    var noReduction = false

    @Option(help: "Directory of the generator fixture cases (default: the nearest Fixtures/generator above the scenario).")
    var fixtures: String?

    func validate() throws {
        if let bug, Catalogue.entry(named: bug) == nil { throw ValidationError("no catalogue entry \(bug); see `bootsim catalog`") }
        if preemptions < 0 { throw ValidationError("--preemptions must be 0 or more, not \(preemptions)") }
        if let maxSchedules, maxSchedules < 1 { throw ValidationError("--max-schedules must be 1 or more, not \(maxSchedules)") }
        if jobs < 1 { throw ValidationError("--jobs must be 1 or more, not \(jobs)") }
    }

    func run() throws {
        ensureDeterministicHashing()
        let loaded = try Scenario.load(path: scenario, fixtures: fixtures)
        var options = ExploreOptions()
        options.preemptions = preemptions
        options.maxSchedules = maxSchedules
        options.jobs = jobs
        options.reduce = !noReduction
        options.seed = seed
        options.bugs = bug.flatMap(Catalogue.entry(named:))?.switches ?? .none
        let start = realSeconds()
        let ticker = ProgressTicker(start: start)
        let summary = Explorer.explore(loaded, options: options) { done in ticker.tick(done) }
        let elapsed = realSeconds() - start
        let rate = Double(summary.schedules) / max(elapsed, 1e-9)
        print("\(loaded.name): K=\(preemptions)\(bug.map { ", bug \($0)" } ?? ""), seed \(seed), \(jobs) jobs"
              + (noReduction ? ", no reduction" : ", sleep sets"))
        print("  choice points of the default schedule: \(summary.runPoints) run, \(summary.injectionPoints) injection")
        print("  schedules explored: \(summary.schedules)")
        print("  pruned by the reduction: \(summary.pruned)")
        print("  distinct end states: \(summary.endStates.count)")
        print("  \(String(format1: elapsed)) s, \(Int(rate.rounded())) schedules/s")
        if let failure = summary.failure, let violation = failure.violation {
            print("FAIL: \(violation) (after the step at \(scenario):\(failure.line))")
            print("  decisions: \(failure.decisions.listed)")
            print("  replay: bootsim replay \(scenario) --seed \(seed) --decisions \"\(failure.decisions.listed)\""
                  + (bug.map { " --bug \($0)" } ?? ""))
        }
        let how = summary.failure != nil ? "stopped at the first break"
            : summary.exhausted ? "exhausted" : "stopped by --max-schedules \(maxSchedules ?? 0)"
        print("\(how) within K=\(preemptions): \(summary.passed) passed, \(summary.failed) failed")
        if summary.failure != nil { throw ExitCode(1) }
    }
}

/// Progress on stderr every two seconds of a long exploration.
final class ProgressTicker: @unchecked Sendable {
    let start: Double
    var last: Double

    init(start: Double) {
        self.start = start
        last = start
    }

    /// Called under the explorer's lock.
    func tick(_ done: Int) {
        let now = realSeconds()
        guard now - last >= 2 else { return }
        last = now
        printToError("explore: \(done) schedules, \(Int((Double(done) / (now - start)).rounded()))/s")
    }
}
