import ArgumentParser
import Simulation

/// `bootsim hunt NAME`: puts one catalogued bug back and runs its scenarios until a seed catches it.
struct Hunt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put one historical bug back (simulation only) and report the first seed that catches it.")

    @Argument(help: "The catalogue entry (see `bootsim catalog`).")
    var name: String

    @Option(help: "Give up after this many seeds per scenario.")
    var seeds: Int = 1000

    @Option(help: "Worker threads.")
    var jobs: Int = 2

    @Option(help: "Directory of the scenario files.")
    var scenarios: String = "scenarios"

    @OptionGroup var simulation: SimulationOptions

    func run() throws {
        guard let entry = Catalogue.entry(named: name) else {
            throw ValidationError("no catalogue entry \(name); see `bootsim catalog`")
        }
        Catalogue.activate(entry)
        defer { Catalogue.activate(nil) }
        let start = realSeconds()
        for scenarioName in entry.scenarios {
            let file = "\(scenarios)/\(scenarioName).scenario"
            let scenario = try Scenario.load(path: file, fixtures: simulation.fixtures)
            let seedList = (1...UInt64(max(seeds, 1))).map { $0 }
            let failures = SeedBatch.run(scenario, seeds: seedList, jobs: jobs, options: simulation.runOptions,
                                         stopAtFirstFailure: true)
            if let first = failures.first {
                print("caught \(entry.name) (\(entry.source))")
                print("  scenario \(scenarioName), seed \(first.seed): \(first.violation!)")
                print("  decisions: \(first.decisions.map(\.description).joined(separator: " "))")
                print("  replay: bootsim replay \(file) --seed \(first.seed) --bug \(entry.name)\(simulation.replayFlags)")
                print("  shrink: bootsim shrink \(file) --seed \(first.seed) --bug \(entry.name)\(simulation.replayFlags)")
                print("  \(String(format1: realSeconds() - start)) s")
                return
            }
            print("  \(scenarioName): not caught in \(seeds) seeds")
        }
        print("NOT caught: \(entry.name) in \(seeds) seeds per scenario")
        throw ExitCode(1)
    }
}
