import ArgumentParser
import Core
import Podrt
import Glibc
import Simulation

/// Flags shared by `run`, `replay`, `shrink` and `hunt`.
struct SimulationOptions: ParsableArguments {
    @Option(help: "Scheduling strategy: random (seeded random walk) or pct (probabilistic concurrency testing).")
    var strategy: String = "random"

    @Option(name: .customLong("pct-depth"), help: "PCT depth d (default: the scenario's, usually 3).")
    var pctDepth: Int?

    @Option(help: "Directory of the generator fixture cases that scenarios name.")
    var fixtures: String = "Fixtures/generator"

    @Option(help: "Put this catalogued bug back first (simulation only; see `bootsim catalog`).")
    var bug: String?

    func validate() throws {
        guard Strategy(rawValue: strategy) != nil else { throw ValidationError("--strategy is random or pct") }
        if let bug, Catalogue.entry(named: bug) == nil { throw ValidationError("no catalogue entry \(bug)") }
    }

    /// Nothing left to do: the `--bug` travels in `runOptions`, a value of each run. Kept only while `run`,
    /// `replay` and `shrink` still call it.
    func activateBug() {}

    /// The flags as run options; the `--bug`, if any, is put back in every run made with them.
    var runOptions: RunOptions {
        var options = RunOptions()
        options.strategy = Strategy(rawValue: strategy) ?? .random
        options.pctDepth = pctDepth
        options.bugs = bug.flatMap(Catalogue.entry(named:))?.switches ?? .none
        return options
    }

    /// The flags to repeat in a printed command.
    var replayFlags: String {
        var text = strategy == "random" ? "" : " --strategy \(strategy)"
        if let pctDepth { text += " --pct-depth \(pctDepth)" }
        if let bug { text += " --bug \(bug)" }
        return text
    }
}

/// Seconds on the real monotonic clock, for progress rates (outside the simulation).
func realSeconds() -> Double { Double(HostClock().monotonicNow().nanoseconds) / 1e9 }

/// Writes `text` to stderr.
func printToError(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
}
