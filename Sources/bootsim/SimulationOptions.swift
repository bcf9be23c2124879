import ArgumentParser
import Core
import Podrt
import Glibc
import Simulation

/// Flags shared by `run`, `replay`, `shrink` and `hunt`.
struct SimulationOptions: ParsableArguments {
    @Option(help: "Scheduling strategy: random is a seeded random walk, pct is probabilistic concurrency testing")
    var strategy: Strategy = .random

    @Option(name: .customLong("pct-depth"), help: "PCT depth d (default: the scenario's, usually 3).")
    var pctDepth: Int?

    @Option(help: "Directory of the generator fixture cases that scenarios name (default: the nearest Fixtures/generator above each scenario file).")
    var fixtures: String?

    @Option(help: "Put this catalogued bug back first (simulation only; see `bootsim catalog`).")
    var bug: String?

    func validate() throws {
        if let bug, Catalogue.entry(named: bug) == nil { throw ValidationError("no catalogue entry \(bug)") }
    }

    /// The flags as run options; the `--bug`, if any, is put back in every run made with them.
    var runOptions: RunOptions {
        var options = RunOptions()
        options.strategy = strategy
        options.pctDepth = pctDepth
        options.bugs = bug.flatMap(Catalogue.entry(named:))?.switches ?? .none
        return options
    }

    /// The flags to repeat in a printed command.
    var replayFlags: String {
        var text = strategy == .random ? "" : " --strategy \(strategy.rawValue)"
        if let pctDepth { text += " --pct-depth \(pctDepth)" }
        if let bug { text += " --bug \(bug)" }
        return text
    }
}

/// `--strategy random` or `--strategy pct`; anything else is a usage error that lists both.
extension Strategy: ExpressibleByArgument {}

/// Seconds on the real monotonic clock, for progress rates (outside the simulation).
func realSeconds() -> Double { Double(HostClock().monotonicNow().nanoseconds) / 1e9 }

/// Writes `text` to stderr.
func printToError(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
}
