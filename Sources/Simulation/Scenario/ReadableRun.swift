import Core
import SimFS

/// A run for people to read (`replay`, `shrink`'s result): the same run as `Scenario.run`, with every event
/// recorded, stamped with the machine's virtual time, and each process named by the command that started it.
extension Scenario {
    /// Runs `seed` as `run(seed:options:)` does (same world, schedule and trace hash), detailed. Recording
    /// time reads the world's clock only; it is no protocol call, so the run and its op log are unchanged.
    /// FUSE mode has no scheduler trace: it runs as `run` does.
    public func runForReading(seed: UInt64, options: RunOptions = RunOptions()) -> RunResult {
        var options = options
        options.detailed = true
        guard options.mounted == nil else { return run(seed: seed, options: options) }
        let runner = Runner(scenario: self, seed: seed, options: options)
        let world = runner.world
        runner.scheduler.trace.clock = {
            let now = world.wallNow
            return now.seconds &* 1_000_000_000 &+ now.nanoseconds
        }
        var result = runner.run()
        result.events = Trace.namingCommands(result.events, in: self)
        return result
    }
}

extension Trace {
    /// Names each process a scenario step started by its command line (`podrt create volume late2`, with
    /// `@crash N` if given): a step's processes start in the order of its commands, right after the step's
    /// `step line N` event. Processes that a process spawned keep only their program's name. Each step event
    /// gets the step's `summary` (`reboot`, `together`, `podrt create pod p1`).
    public static func namingCommands(_ events: [TraceEvent], in scenario: Scenario) -> [TraceEvent] {
        var commandsAt: [Int: [String]] = [:]
        var summaries: [Int: String] = [:]
        for step in scenario.steps {
            summaries[step.line] = step.summary
            guard case let .group(commands, _) = step.action else { continue }
            commandsAt[step.line] = commands.map(\.line)
        }
        var pending: [String] = []
        var named: [Int: String] = [:]
        return events.map { event in
            var event = event
            if event.kind == .step, let line = stepLine(event) {
                pending = commandsAt[line] ?? []
                event.command = summaries[line] ?? ""
            } else if event.kind == .start, event.serial != 0, named[event.serial] == nil, !pending.isEmpty {
                named[event.serial] = pending.removeFirst()
            }
            if let command = named[event.serial] { event.command = command }
            return event
        }
    }

    /// The scenario line of a `step` event (`line 15`).
    static func stepLine(_ event: TraceEvent) -> Int? {
        guard event.kind == .step, event.text.hasPrefix("line ") else { return nil }
        return Int(event.text.dropFirst("line ".count))
    }
}

extension Command {
    /// The command as the scenario file writes it.
    public var line: String { description + (crashAtOp.map { " @crash \($0)" } ?? "") }
}

extension Step {
    /// The step as the scenario file writes it, in one line: `reboot`, `power-loss`, `together`, a command,
    /// `write PATH`, `fault write /etc/** …`, `expect ok`.
    public var summary: String {
        switch action {
        case let .write(path, _, append): return (append ? "append " : "write ") + path
        case let .remove(path): return "remove \(path)"
        case let .commandLine(text): return "cmdline \(text)"
        case let .config(settings): return "config " + settings.map(\.text).joined(separator: " ")
        case let .group(commands, together):
            return together || commands.count != 1 ? "together" : commands[0].line
        case .reboot: return "reboot"
        case .powerLoss: return "power-loss"
        case let .fault(rule): return "fault \(rule.op.map { "\($0)" } ?? "*") \(rule.path)"
        case .clearFaults: return "clear-faults"
        case .check: return "check"
        case let .expect(ok): return ok ? "expect ok" : "expect fail"
        case let .expectFixture(name): return "expect-fixture \(name)"
        case .snapshot: return "snapshot"
        case let .expectExit(code): return "expect exit=\(code)"
        case let .expectOutput(test): return "expect-output \(test.stderr ? "stderr" : "stdout") \(test.contains ? "contains" : "lacks") \(test.text)"
        case let .expectFile(test): return "expect-file \(test.path)"
        case let .checkCommand(words): return "check-cmd " + words.joined(separator: " ")
        case let .containerExit(name, code): return "exit \(name) \(code)"
        }
    }
}
