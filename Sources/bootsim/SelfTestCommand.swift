import ArgumentParser
import Core
import Glibc
import Simulation

/// `bootsim selftest`: generated scenarios against the clean build (issue 23's harness self-test). Every
/// invariant must hold on every seed; a failing scenario is written out with its seeds for `bootsim replay`.
struct SelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Run generated random scenarios on the clean build; any broken invariant is a harness or podrt bug.")

    @Option(help: "How many scenarios to generate.")
    var scenarios: Int = 50

    @Option(help: "How many seeds to run of each.")
    var seeds: Int = 20

    @Option(help: "The generator's seed (the same seed generates the same scenarios).")
    var seed: UInt64 = 1

    @Option(help: "The number of the first scenario.")
    var first: Int = 0

    @Option(help: "Worker threads.")
    var jobs: Int = 2

    @Option(help: "Write each failing scenario to DIR/selftest-N.scenario.")
    var keep: String = "/tmp/bootsim-selftest"

    @Option(help: "Directory of the generator fixture cases (default: the nearest Fixtures/generator above the working directory, else above bootsim).")
    var fixtures: String?

    func run() throws {
        ensureDeterministicHashing()
        let source = fixtures.map(FixtureSource.init(directory:)) ?? {
            let here = FixtureSource(above: ScenarioPaths.workingDirectory())
            guard here.directory == nil, let program = ScenarioPaths.executable() else { return here }
            return FixtureSource(above: ScenarioPaths.parent(program))
        }()
        let start = realSeconds()
        let outcome = SelfTest.run(seed: seed, first: first, count: scenarios, seeds: seeds, jobs: jobs, fixtures: source) { index, failure in
            guard let failure else { return }
            let file = "\(keep)/selftest-\(index).scenario"
            try? makeDirectories(keep)
            try? writeText(file, failure.text)
            if let problem = failure.parseError { print("GENERATOR BUG selftest-\(index): \(problem)"); return }
            let seedList = failure.failures.map { String($0.seed) }.prefix(10).joined(separator: " ")
            print("FAIL selftest-\(index) (\(failure.failures.count) of \(seeds) seeds: \(seedList)): \(failure.failures[0].violation!)")
            print("  after the step at \(file):\(failure.failures[0].line); replay: bootsim replay \(file) "
                + "--seed \(failure.failures[0].seed)" + (source.directory.map { " --fixtures \($0)" } ?? ""))
        }
        let failed = outcome.failures.count
        print("selftest: \(outcome.scenarios) generated scenarios (seed \(seed)), \(seeds) seeds each, "
            + "\(outcome.seeds) runs in \(String(format1: realSeconds() - start)) s")
        print("\(outcome.scenarios - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}

/// `mkdir -p` on the real disk.
func makeDirectories(_ path: String) throws {
    var prefix = ""
    for component in ScenarioPaths.absolute(path).split(separator: "/") {
        prefix += "/" + component
        if mkdir(prefix, 0o755) != 0, errno != EEXIST { throw Errno(rawValue: errno) }
    }
}
