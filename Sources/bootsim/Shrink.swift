import ArgumentParser
import Simulation

/// `bootsim shrink`: the smallest decision list that still breaks the same invariant.
struct Shrink: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Minimise a failing seed's decisions (switches, crashes, reboots) while the same invariant breaks.")

    @Argument(help: "The scenario file.")
    var scenario: String

    @Option(help: "The failing seed (required; `run` and `hunt` print failing seeds).")
    var seed: UInt64

    @Option(help: ArgumentHelp("Stop shrinking after this many seconds of real time and print the smallest decision list "
                               + "found so far.", valueName: "seconds"))
    var budget: Double = 55

    @OptionGroup var simulation: SimulationOptions

    func run() throws {
        ensureDeterministicHashing()
        let loaded = try Scenario.load(path: scenario, fixtures: simulation.fixtures)
        let start = realSeconds()
        guard let outcome = Shrinker.shrink(loaded, seed: seed, options: simulation.runOptions, budgetSeconds: budget,
                                            now: realSeconds) else {
            print("seed \(seed) passes: nothing to shrink")
            throw ExitCode(1)
        }
        let minimal = outcome.minimal
        print("\(outcome.original.violation!)")
        print("decisions: \(outcome.original.decisions.count) -> \(minimal.decisions.count) in \(outcome.replays) replays, "
              + "\(String(format1: realSeconds() - start)) s")
        let violation = minimal.violation ?? outcome.original.violation!
        let involved = Trace.involved(minimal.events, violation: violation.description)
        let shown = Trace.only(involved, in: minimal.events)
        print("minimal trace (the processes involved and the world; after the step at \(scenario):\(minimal.line)):")
        for line in Trace.shortened(shown, limit: 80) { print("  " + line) }
        let others = Set(minimal.events.filter { $0.serial != 0 && !involved.contains($0.serial) }.map(\.who))
        if !others.isEmpty { print("  (not shown: \(others.sorted().joined(separator: ", ")))") }
        let list = minimal.decisions.listed
        print("minimal decisions: \(list.isEmpty ? "(none: the default schedule fails)" : list)")
        print("replay: bootsim replay \(scenario) --seed \(seed) --decisions \"\(list)\"\(simulation.replayFlags)")
    }
}
