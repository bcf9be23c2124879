import Core
import Podrt

/// Loading scenario files and their fixtures from the real disk (the harness's side), and running them.
extension Scenario {
    /// Reads and parses `path`, and loads the fixture cases it names from `fixtures`.
    public static func load(path: String, fixtures: String = "Fixtures/generator") throws -> Scenario {
        let bytes = try HostFileSystem().readFile(path, limit: 1 << 20)
        var scenario = try parse(String(decoding: bytes, as: UTF8.self), path: path)
        for reference in scenario.fixtureReferences where scenario.fixtures[reference.name] == nil {
            do {
                scenario.fixtures[reference.name] = try FixtureCase.load(directory: fixtures, name: reference.name)
            } catch let missing as FixtureCase.NotFound {
                throw ScenarioError(path: path, line: reference.line, column: reference.column,
                                    found: "`\(reference.name)`, which is no fixture case (\(missing.tried) not found)",
                                    expected: "a case of \(fixtures)",
                                    suggestion: Spelling.nearest(reference.name, in: FixtureCase.names(in: fixtures)))
            }
        }
        return scenario
    }

    /// The `.scenario` files of a directory, sorted.
    public static func files(in directory: String) throws -> [String] {
        try HostFileSystem().readdir(directory).map(\.name).filter { $0.hasSuffix(".scenario") }.sorted()
            .map { directory + "/" + $0 }
    }

    /// Runs this scenario under `seed`.
    public func run(seed: UInt64, options: RunOptions = RunOptions()) -> RunResult {
        if let setup = options.mounted { return MountedRunner(scenario: self, seed: seed, setup: setup).run() }
        return Runner(scenario: self, seed: seed, options: options).run()
    }

    /// The PCT guarantee for this scenario: 1/(n·k^(d−1)), n its largest group.
    public func pctBound(depth: Int? = nil) -> (processes: Int, steps: Int, depth: Int, probability: Double) {
        var largest = 1
        for step in steps { if case let .group(commands, _) = step.action { largest = max(largest, commands.count) } }
        let d = depth ?? settings.pctDepth
        return (largest, settings.pctSteps, d, PCTChooser.bound(processes: largest, steps: settings.pctSteps, depth: d))
    }

    /// The PCT guarantee in words, for `seeds` seeds: per seed 1/(n·k^(d−1)), and 1−(1−p)^seeds over all.
    public func pctBoundDescription(depth: Int? = nil, seeds: Int) -> String {
        let bound = pctBound(depth: depth)
        var missed = 1.0
        for _ in 0..<seeds { missed *= 1 - bound.probability }
        let inverse = (1 / bound.probability).rounded()
        let percent = (1 - missed) * 100
        let overAll = percent >= 1 ? String(Int(percent.rounded())) : String(Double(Int(percent * 1000)) / 1000)
        return "\(name): PCT depth \(bound.depth), \(bound.processes) processes in the largest group, \(bound.steps) steps: "
            + "a bug of depth \(bound.depth) is hit by each seed with probability at least 1/\(Int(inverse)), "
            + "by these \(seeds) seeds at least \(overAll)%"
    }
}
