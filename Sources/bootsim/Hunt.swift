import ArgumentParser
import Simulation

/// `bootsim hunt NAME`: puts one catalogued bug back and runs its scenarios until a seed catches it.
struct Hunt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put one historical bug back (simulation only) and report the first seed that catches it.")

    @Argument(help: "The catalogue entry (see `bootsim catalog`).")
    var name: String

    @Option(help: ArgumentHelp("Give up after seeds 1 to N of each of the entry's scenarios.", valueName: "n"))
    var seeds: Int = 1000

    @Option(help: "Worker threads (seeds run in batches of 8 per thread).")
    var jobs: Int = 2

    @Option(help: ArgumentHelp("Directory of the scenario files, relative to the current directory.", valueName: "directory"))
    var scenarios: String = "scenarios"

    @OptionGroup var simulation: SimulationOptions

    func validate() throws {
        if let bug = simulation.bug, bug != name {
            throw ValidationError("hunt puts back the bug it hunts (\(name)); --bug \(bug) would be ignored")
        }
    }

    func run() throws {
        ensureDeterministicHashing()
        guard let entry = Catalogue.entry(named: name) else {
            throw ValidationError("no catalogue entry \(name); see `bootsim catalog`")
        }
        let start = realSeconds()
        let loaded = try entry.scenarios.map {
            try Scenario.load(path: "\(scenarios)/\($0).scenario", fixtures: simulation.fixtures)
        }
        guard let found = Hunter.hunt(entry, scenarios: loaded, seeds: seeds, jobs: jobs, options: simulation.runOptions) else {
            print("NOT caught: \(entry.name) in \(seeds) seeds per scenario (\(entry.scenarios.joined(separator: ", ")))")
            throw ExitCode(1)
        }
        let file = "\(scenarios)/\(found.scenario).scenario"
        print("caught \(entry.name) (\(entry.source))")
        if let loss = found.loss {
            print("  sweep of \(found.scenario) (seed 1): crash point \(loss.point), before `\(loss.call)` in the step at "
                  + "line \(loss.line), outcome \(loss.outcome): \(loss.violation)")
            print("  the same sweep without the bug: loses nothing there (or breaks something else)")
            print("  replay: bootsim sweep \(file) --point \(loss.point) --outcome \(loss.outcome) --bug \(entry.name)")
            print("  \(String(format1: realSeconds() - start)) s")
            return
        }
        print("  scenario \(found.scenario), seed \(found.result.seed) (\(found.seedsRun) seeds run): \(found.result.violation!)")
        print("  the same seed without the bug: passes or breaks something else")
        print("  decisions: \(found.result.decisions.listed)")
        print("  replay: bootsim replay \(file) --seed \(found.result.seed) --bug \(entry.name)\(simulation.replayFlags)")
        print("  shrink: bootsim shrink \(file) --seed \(found.result.seed) --bug \(entry.name)\(simulation.replayFlags)")
        print("  \(String(format1: realSeconds() - start)) s")
    }
}
