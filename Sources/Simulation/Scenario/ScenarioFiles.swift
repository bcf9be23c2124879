import Core
import Podrt

/// Loading scenario files and their fixtures from the real disk (the harness's side), and running them.
extension Scenario {
    /// Reads and parses the scenario file at `path`, and loads the fixture cases it names: from `fixtures` when
    /// given, else from the nearest `Fixtures/generator` above the file (`FixtureSource`), so it loads from any
    /// working directory.
    /// `runtime`: what a `profile: podman` scenario's `podman` steps run, over its `runtime:` setting.
    public static func load(path: String, fixtures: String? = nil, runtime: String? = nil) throws -> Scenario {
        let absolute = ScenarioPaths.absolute(path)
        guard let bytes = try? HostFileSystem().readFile(absolute, limit: 1 << 20) else {
            throw PathNotFound(what: "scenario file", path: absolute,
                               hint: ScenarioPaths.isDirectory(absolute) ? "it is a directory" : "")
        }
        var scenario = try parse(String(decoding: bytes, as: UTF8.self), path: path, runtime: runtime)
        let scenarioDirectory = ScenarioPaths.parent(absolute)
        try scenario.loadFixtures(from: fixtures.map(FixtureSource.init(directory:)) ?? FixtureSource(above: scenarioDirectory),
                                  scenarioDirectory: scenarioDirectory)
        return scenario
    }

    /// Loads every fixture case the steps name; one that is not there is an error at the word that names it,
    /// saying where it was looked for.
    mutating func loadFixtures(from source: FixtureSource, scenarioDirectory: String = ScenarioPaths.workingDirectory()) throws {
        for reference in fixtureReferences where fixtures[reference.name] == nil {
            let named = reference.name.contains("/")
            let directory = named ? (reference.name.hasPrefix("/") ? "" : scenarioDirectory) : source.directory
            func error(found: String, expected: String) -> ScenarioError {
                ScenarioError(path: path, line: reference.line, column: reference.column, found: found, expected: expected,
                              suggestion: named ? nil : Spelling.nearest(reference.name, in: source.names))
            }
            guard let directory else {
                throw error(found: "`\(reference.name)`, but there is no \(source.searched)",
                            expected: "a fixture case (`--fixtures DIR` names their directory)")
            }
            let base = named ? ScenarioPaths.absolute(directory + "/" + reference.name) : directory + "/" + reference.name
            do {
                fixtures[reference.name] = try FixtureCase.load(directory: ScenarioPaths.parent(base),
                                                               name: String(base.split(separator: "/").last ?? ""))
            } catch let unsupported as FixtureCase.Unsupported {
                throw error(found: "`\(reference.name)`, whose input \(unsupported.path) is \(unsupported.why)",
                            expected: "a fixture case a scenario can run")
            } catch let notFound as FixtureCase.NotFound {
                throw error(found: "`\(reference.name)`, which is no fixture case (no \(notFound.tried))",
                            expected: named ? "a fixture case directory" : "a case of \(directory)")
            }
        }
    }

    /// The `.scenario` files of a directory, sorted.
    public static func files(in directory: String) throws -> [String] {
        guard let entries = try? HostFileSystem().readdir(ScenarioPaths.absolute(directory)) else {
            throw PathNotFound(what: "scenario directory", path: ScenarioPaths.absolute(directory))
        }
        return entries.map(\.name).filter { $0.hasSuffix(".scenario") }.sorted().map { directory + "/" + $0 }
    }

    /// The files `paths` name (a directory stands for its `.scenario` files); with none, the `scenarios/`
    /// directory of the repository bootsim runs in or was built in: the nearest above the working directory,
    /// else above the bootsim executable.
    public static func files(named paths: [String]) throws -> [String] {
        guard !paths.isEmpty else {
            let cwd = ScenarioPaths.workingDirectory()
            let program = ScenarioPaths.executable().map(ScenarioPaths.parent)
            guard let directory = ScenarioPaths.nearest("scenarios", above: cwd)
                    ?? program.flatMap({ ScenarioPaths.nearest("scenarios", above: $0) }) else {
                throw PathNotFound(what: "scenarios/ directory", path: cwd,
                                   hint: "nor in any directory above it or above \(program ?? "bootsim"); name scenario files")
            }
            return try files(in: directory)
        }
        var files: [String] = []
        for path in paths {
            if ScenarioPaths.isDirectory(ScenarioPaths.absolute(path)) { files += try Self.files(in: path) } else { files.append(path) }
        }
        return files
    }

    /// Why FUSE mode cannot run this scenario, or nil: its first step that needs a container process
    /// (`podrt run|stop|kill`, `exit NAME CODE`), which only the in-process simulated OCI runtime provides.
    public var fuseModeGap: (line: Int, message: String)? {
        MountedRunner.unsupported(self).map { ($0.line, "FUSE mode runs no container processes (the simulated OCI "
            + "runtime is in-process only): \($0.what) on line \($0.line) needs `bootsim run` without --fuse") }
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
