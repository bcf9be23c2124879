import Core
import Podrt
import SimFS

/// How to run a scenario under one seed.
public struct RunOptions: Sendable {
    public var strategy: Strategy = .random
    /// PCT depth; the scenario's when nil.
    public var pctDepth: Int?
    /// Record every op in the trace (replay, failures); off for speed.
    public var detailed = false
    /// Replay these decisions instead of the seed's own.
    public var decisions: [Decision]?
    /// FUSE mode: run on a mounted machine with these binaries instead of in-process.
    public var mounted: MountedSetup?
    /// The catalogued bugs put back in this run's simulated processes (`bootsim hunt`, `--bug`); FUSE mode runs
    /// the release binaries, which cannot take any.
    public var bugs = BugSwitches.none
    public init() {}
}

/// The outcome of one run.
public struct RunResult: Sendable {
    public var seed: UInt64
    public var violation: Violation?
    /// The scenario line of the step after which the violation was found.
    public var line = 0
    public var traceHash: UInt64 = 0
    public var decisions: [Decision] = []
    public var events: [TraceEvent] = []
    public var steps = 0
    /// The scheduler's choice points (two or more processes could run): PCT's k.
    public var choices = 0
    /// The world's op log with paths and errnos (detailed runs only).
    public var opLog: [String] = []
    public var passed: Bool { violation == nil }
}

/// Runs one scenario under one seed: a fresh world, the scheduler, the steps, the invariants.
final class Runner: ScenarioDriver {
    let scenario: Scenario
    let seed: UInt64
    let options: RunOptions
    let world: SimWorld
    let scheduler: Scheduler
    let chooser: Chooser
    var config = RuntimeConfig()
    var ledger = Ledger()
    var pendingCommandLine: String?
    var lastGroup: [(command: Command, process: any ProcessOutcome)] = []
    var checkCommands: [[String]] = []
    var generatorFixture: FixtureCase?
    var harnessBoot: UInt64 = 0
    var harnessMachine: Machine?
    var lastReading: DatabaseReading?
    /// What the running group's podrt processes report creating and removing (`RuntimeOptions.observer`).
    let changes = ObservedChanges()
    /// The step running now and the commands of its group, for a sweep's crash points (CrashPointTap).
    var stepLine = 0
    var runningCommands: [Command] = []

    /// `explicit`: a chooser of the caller's own (`bootsim explore`) in place of the options' strategy.
    init(scenario: Scenario, seed: UInt64, options: RunOptions, chooser explicit: Chooser? = nil) {
        self.scenario = scenario
        self.seed = seed
        self.options = options
        world = SimWorld(seed: seed, commandLine: Self.initialCommandLine(scenario))
        world.opLogCapacity = options.detailed ? 1 << 20 : 64
        let seeds = world.seeds
        let rates = scenario.settings.rates.drawn(seed: seeds.swarm)
        if let explicit {
            chooser = explicit
        } else if let decisions = options.decisions {
            chooser = ScriptedChooser(decisions)
        } else if options.strategy == .pct {
            chooser = PCTChooser(seed: seeds.scheduler, rates: rates,
                                 depth: options.pctDepth ?? scenario.settings.pctDepth, steps: scenario.settings.pctSteps)
        } else {
            chooser = RandomWalkChooser(seed: seeds.scheduler, rates: rates, switchChance: scenario.settings.switchChance)
        }
        scheduler = Scheduler(world: world, chooser: chooser, trace: TraceRecorder(detailed: options.detailed))
        config.numLocks = 2048
        scheduler.onReboot = { [unowned self] in self.rebooted() }
        world.scheduler = scheduler
    }

    func run() -> RunResult {
        var result = RunResult(seed: seed)
        if let line = scenario.realProgramLine {
            result.violation = Violation(invariant: "setup", message: "line \(line) runs a real program: run it with --fuse")
            result.line = line
            return result
        }
        var steps = scenario.steps[...]
        if let marker = steps.firstIndex(where: { if case .snapshot = $0.action { return true } else { return false } }) {
            var prefixOptions = RunOptions()
            prefixOptions.bugs = options.bugs
            let saved = scenario.prefix.state(bugs: options.bugs) {
                Runner(scenario: scenario, seed: 0, options: prefixOptions).runPrefix(upTo: marker)
            }
            world.restore(saved.world)
            // The restored world brings the prefix run's small log; a detailed run keeps its own capacity.
            world.opLogCapacity = options.detailed ? 1 << 20 : 64
            ledger = saved.ledger
            config = saved.config
            pendingCommandLine = saved.commandLine
            lastReading = saved.lastReading
            if let violation = saved.violation {
                result.violation = violation
                steps = []
            } else {
                steps = steps[(marker + 1)...]
            }
        } else {
            prepareMachine()
        }
        for step in steps {
            scheduler.trace.scenarioStep("line \(step.line)", step: scheduler.step)
            stepLine = step.line
            if let violation = perform(step) ?? checkAfter(step) {
                result.violation = violation
                result.line = step.line
                break
            }
        }
        world.scheduler = nil
        result.traceHash = world.traceHash
        result.decisions = (chooser as? SeededChooser)?.decisions ?? options.decisions ?? []
        result.events = scheduler.trace.events
        result.steps = scheduler.step
        result.choices = scheduler.choices
        if options.detailed { result.opLog = world.opLog.map(\.description) }
        return result
    }

    /// Runs the steps before the `snapshot` marker and saves the machine and the harness's state.
    func runPrefix(upTo marker: Int) -> PrefixState {
        prepareMachine()
        var violation: Violation?
        for step in scenario.steps[..<marker] {
            if let broken = perform(step) ?? checkAfter(step) { violation = broken; break }
        }
        world.scheduler = nil
        return PrefixState(world: world.snapshot(), ledger: ledger, config: config, commandLine: pendingCommandLine,
                           violation: violation, lastReading: lastReading)
    }

    var bootID: String { world.bootID }

    func runProcesses(_ commands: [Command], together: Bool) -> GroupOutcome {
        scheduler.injecting = together
        let specs = commands.map { command -> ProgramSpec in
            switch command.program {
            case let .generator(fixture): return generatorProgram(fixture: fixture, crashAtOp: command.crashAtOp)
            case let .podrt(podrt): return podrtProgram(podrt, crashAtOp: command.crashAtOp)
            // `run()` refuses a scenario with real programs before any step; a real program cannot start here.
            case .exec: return ProgramSpec(name: "exec", crashAtOp: nil) { _, _ in 127 }
            }
        }
        let bootBefore = world.bootCount
        changes.entries = []
        runningCommands = commands
        let processes = scheduler.runGroup(specs)
        let index = Dictionary(uniqueKeysWithValues: processes.enumerated().map { ($0.element.serial, $0.offset) })
        return GroupOutcome(processes: processes, rebooted: world.bootCount != bootBefore, deadlock: scheduler.deadlock,
                            changes: changes.entries.compactMap { entry in index[entry.serial].map { (process: $0, change: entry.change) } })
    }

    func reboot(powerLoss: Bool, line: Int) {
        if powerLoss {
            world.powerLoss(seed: world.seeds.powerLossSeed(UInt64(line)), commandLine: pendingCommandLine)
        } else {
            world.reboot(commandLine: pendingCommandLine)
        }
    }

    func addFault(_ rule: FaultRule) -> Violation? {
        world.addFault(rule)
        return nil
    }

    func clearFaults() { world.clearFaults() }

    func runCheckCommand(_ words: [String]) -> Violation? {
        Violation(invariant: "setup", message: "check-cmd runs a real program: run it with --fuse")
    }

    func foreignChecks(after step: Step) -> Violation? { nil }
}

extension ScheduledProcess: ProcessOutcome {}
