import ArgumentParser
import Simulation

/// `bootsim sweep`: cut the power before every FileSystem call of a workload, with several outcomes each.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Crash-point sweep: cut the power before each FileSystem call of a workload, boot, and check I6 and I1-I3.",
        discussion: """
            The workload runs once under the seed; before each of its FileSystem calls the machine is saved. For \
            every saved point the sweep restores it, cuts the power (all pending writes dropped, all kept, and \
            seeded subsets with torn 512-byte sectors), boots, checks the scenario's invariants, runs `podrt ps` \
            (the boot's refresh) and checks again. Steps before a `snapshot` step are not swept.
            """)

    @Argument(help: "Workload scenario files (default: scenarios/sweep-standard.scenario of the repository).")
    var paths: [String] = []

    @Option(help: "The seed of the workload's run and of the mixed outcomes.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Seeded mixed outcomes per crash point, beside all-dropped and all-kept (at most \(Sweep.maxSubsets)).",
                               valueName: "n"))
    var subsets: Int = 2

    @Option(help: "Worker threads.")
    var jobs: Int = 2

    @Option(help: ArgumentHelp("Only crash point K (from 1), as a loss's replay command names it.", valueName: "k"))
    var point: Int?

    @Option(help: ArgumentHelp("With --point: only this outcome (drop, keep, mix-J).", valueName: "outcome"))
    var outcome: String?

    @Option(help: "Directory of the generator fixture cases that scenarios name (default: the nearest Fixtures/generator above each scenario file).")
    var fixtures: String?

    @Option(help: "Put this catalogued bug back first (simulation only; see `bootsim catalog`).")
    var bug: String?

    func validate() throws {
        if let bug, Catalogue.entry(named: bug) == nil { throw ValidationError("no catalogue entry \(bug); see `bootsim catalog`") }
        if let outcome, Sweep.Outcome(outcome) == nil {
            throw ValidationError("--outcome \(outcome): expected drop, keep or mix-J with J from 1 to \(Sweep.maxSubsets)")
        }
        if outcome != nil, point == nil { throw ValidationError("--outcome needs --point") }
        if let point, point < 1 { throw ValidationError("--point \(point): crash points count from 1") }
        guard (0...Sweep.maxSubsets).contains(subsets) else {
            throw ValidationError("--subsets \(subsets): expected 0 to \(Sweep.maxSubsets)")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs \(jobs): expected at least 1") }
    }

    func run() throws {
        ensureDeterministicHashing()
        let files = try paths.isEmpty ? Self.standardWorkload() : scenarioFiles(paths)
        var options = Sweep.Options()
        options.seed = seed
        options.subsets = subsets
        options.jobs = jobs
        options.point = point
        options.outcome = outcome.flatMap(Sweep.Outcome.init)
        options.bugs = bug.flatMap(Catalogue.entry(named:))?.switches ?? .none
        var total = Sweep.Result()
        var first: (file: String, loss: Sweep.Loss)?
        let start = realSeconds()
        for file in files {
            let scenario = try Scenario.load(path: file, fixtures: fixtures)
            let began = realSeconds()
            let result = Sweep.run(scenario, options: options)
            let seconds = max(realSeconds() - began, 1e-9)
            if let failure = result.workloadFailure {
                print("\(scenario.name): the workload fails without any cut: \(failure)")
                print("  replay: bootsim replay \(file) --seed \(seed)\(bugFlag)")
                throw ExitCode(1)
            }
            print("\(scenario.name): \(result.points) crash points, \(result.outcomes) outcomes, \(result.lost) lost "
                  + "(\(String(format1: seconds)) s: \(Int(Double(result.points) / seconds)) points/s, "
                  + "\(Int(Double(result.outcomes) / seconds)) outcomes/s; \(result.distinct) distinct states, "
                  + "\(result.cut) cuts made)")
            total.points += result.points
            total.outcomes += result.outcomes
            total.lost += result.lost
            if first == nil, let loss = result.firstLoss { first = (file, loss) }
        }
        print("\(total.points) crash points, \(total.outcomes) outcomes, \(total.lost) lost (\(String(format1: realSeconds() - start)) s)")
        guard let first else { return }
        let loss = first.loss
        print("first loss: crash point \(loss.point), before `\(loss.call)` in the step at \(first.file):\(loss.line), "
              + "outcome \(loss.outcome): \(loss.violation)")
        print("  replay: bootsim sweep \(first.file) --seed \(seed) --point \(loss.point) --outcome \(loss.outcome)\(bugFlag)")
        throw ExitCode(1)
    }

    var bugFlag: String { bug.map { " --bug \($0)" } ?? "" }

    /// scenarios/sweep-standard.scenario of the repository's scenarios/ directory (as `bootsim run` finds it).
    static func standardWorkload() throws -> [String] {
        let all = try Scenario.files(named: [])
        guard let standard = all.first(where: { $0.hasSuffix("/sweep-standard.scenario") }) else {
            throw ValidationError("no sweep-standard.scenario among \(all.count) scenario files of the repository's scenarios/")
        }
        return [standard]
    }
}
