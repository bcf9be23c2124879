import Core
import Podrt
import SimFS

/// A process a step started, as the ledger and the invariants see it once it has ended.
protocol ProcessOutcome: AnyObject {
    var exitCode: Int32? { get }
    /// Killed by the scenario (`@crash`) or by an injection.
    var killed: Bool { get }
    /// What it said when it failed.
    var note: String { get }
    /// Its stdout or stderr, when the driver captured it (FUSE mode).
    func captured(stderr: Bool) -> String?
    /// For `rm` and `start`: the name its argument resolved to (a name, an id or an id prefix), when known.
    var resolvedName: String? { get }
}

extension ProcessOutcome {
    func captured(stderr: Bool) -> String? { nil }
}

/// What one group of processes did.
struct GroupOutcome {
    var processes: [any ProcessOutcome]
    /// The machine rebooted (or lost power) while they ran; the driver has called `rebooted()`.
    var rebooted: Bool
    /// Every process was blocked (the wait-for cycle), or they did not finish.
    var deadlock: [String]?
    /// What the processes (by index) created and removed, in the order they did; nil when the driver cannot
    /// see inside its processes (FUSE mode), and the ledger goes by what the commands imply.
    var changes: [(process: Int, change: ObjectChange)]?
}

/// The machine a scenario runs on: the in-process simulation (`Runner`) or a FUSE-mounted machine running
/// the built binaries (`MountedRunner`). The steps, the harness, the ledger and the invariants are shared.
protocol ScenarioDriver: AnyObject {
    var scenario: Scenario { get }
    var seed: UInt64 { get }
    var config: RuntimeConfig { get set }
    var ledger: Ledger { get set }
    var pendingCommandLine: String? { get set }
    var lastGroup: [(command: Command, process: any ProcessOutcome)] { get set }
    /// `check-cmd` commands in force (FUSE mode runs them after every step that changes the machine).
    var checkCommands: [[String]] { get set }
    /// Runs a `check-cmd` (nil: it exited 0).
    func runCheckCommand(_ words: [String]) -> Violation?
    /// The checks of a foreign program's profile (podman's P1–P4), after a step that changes the machine.
    func foreignChecks(after step: Step) -> Violation?
    var generatorFixture: FixtureCase? { get set }
    /// The harness's own process on the machine; it never runs while scheduled processes do.
    func harness() -> Machine
    /// The last database reading of this run, reused while the file's bytes stay the same (nil: read every
    /// time, as in FUSE mode where another process may hold the file).
    var lastReading: DatabaseReading? { get set }
    var bootID: String { get }
    func runProcesses(_ commands: [Command], together: Bool) -> GroupOutcome
    func reboot(powerLoss: Bool, line: Int)
    func addFault(_ rule: FaultRule) -> Violation?
    func clearFaults()
    /// `exit NAME CODE`: the container's process, if it runs, exits with `code` (nil: fine; a violation
    /// when the driver cannot do it).
    func endContainer(_ name: String, code: Int32) -> Violation?
    /// The live container inits, container id → pid; nil when the driver cannot see them (FUSE mode).
    func containerInits() -> [String: Int64]?
}

extension ScenarioDriver {
    func perform(_ step: Step) -> Violation? {
        switch step.action {
        case let .write(path, content, append):
            harnessWrite(path, Array(content.utf8), append: append)
        case let .remove(path):
            harnessRemove(scenario.settings.podmanOnPodrt ? PodmanPaths.podrt(path, config) : path)
        case let .commandLine(text):
            pendingCommandLine = text
        case let .config(pairs):
            applyConfig(pairs)
        case let .group(commands, together):
            return runGroup(commands, together: together)
        case .reboot:
            reboot(powerLoss: false, line: step.line)
            rebooted()
        case .powerLoss:
            reboot(powerLoss: true, line: step.line)
            rebooted()
        case let .fault(rule):
            ledger.faultsThisBoot = true
            ledger.faultsActive = true
            return addFault(rule)
        case .clearFaults:
            ledger.faultsActive = false
            clearFaults()
        case .check:
            return checkInvariants() ?? foreignChecks(after: step)
        case let .expect(ok):
            for (command, process) in lastGroup where !process.killed && (process.exitCode == 0) != ok {
                return Violation(invariant: "E1", message: "`\(command)` \(ok ? "failed" : "succeeded")"
                                 + (process.note.isEmpty ? "" : ": \(process.note)"))
            }
        case let .expectFixture(name):
            return compareWithFixture(name)
        case .snapshot:
            break
        case let .expectExit(code):
            for (command, process) in lastGroup where !process.killed && process.exitCode != code {
                return Violation(invariant: "E1", message: "`\(command)` exited \(process.exitCode.map(String.init) ?? "?"), not \(code)"
                                 + (process.note.isEmpty ? "" : ": \(process.note)"))
            }
        case let .expectOutput(test):
            for (command, process) in lastGroup where !process.killed {
                guard let output = process.captured(stderr: test.stderr) else {
                    return Violation(invariant: "E1", message: "`\(command)`'s output is not captured (expect-output needs --fuse)")
                }
                if output.contains(test.text) != test.contains {
                    let stream = test.stderr ? "stderr" : "stdout"
                    return Violation(invariant: "E1", message: "`\(command)`'s \(stream) \(test.contains ? "lacks" : "contains") `\(test.text)`"
                                     + (output.isEmpty ? " (it is empty)" : ": " + String(output.prefix(300))))
                }
            }
        case let .expectFile(test):
            return expectFile(test)
        case let .checkCommand(words):
            checkCommands.append(words)
            return runCheckCommand(words)
        case let .containerExit(name, code):
            return endContainer(name, code: code)
        }
        return nil
    }

    /// `expect-file PATH exists|absent|contains TEXT|lacks TEXT`, read through the harness.
    func expectFile(_ test: ExpectFile) -> Violation? {
        let fs = harness().fileSystem
        let bytes = try? fs.readFile(test.path, limit: 1 << 24)
        let text = bytes.map { String(decoding: $0, as: UTF8.self) }
        let exists = (try? fs.lstat(test.path)) != nil
        switch test.test {
        case .exists where !exists: return Violation(invariant: "E1", message: "\(test.path) does not exist")
        case .absent where exists: return Violation(invariant: "E1", message: "\(test.path) exists")
        case let .contains(wanted) where !(text?.contains(wanted) ?? false):
            return Violation(invariant: "E1", message: "\(test.path) " + (text == nil ? "cannot be read" : "lacks `\(wanted)`"))
        case let .lacks(unwanted) where text?.contains(unwanted) ?? false:
            return Violation(invariant: "E1", message: "\(test.path) contains `\(unwanted)`")
        default: return nil
        }
    }

    func checkAfter(_ step: Step) -> Violation? {
        switch step.action {
        // Under the podman profile a `remove` or `write` is the damage the next command meets: the checks
        // judge what the programs make of it, on either runtime.
        case .remove, .write where scenario.settings.podman || scenario.settings.podmanOnPodrt: return nil
        case .group, .reboot, .powerLoss, .remove, .write, .containerExit:
            return checkInvariants() ?? foreignChecks(after: step) ?? checkCommands.lazy.compactMap(runCheckCommand).first
        default: return nil
        }
    }

    /// After a reboot or power loss: a new boot's bookkeeping.
    func rebooted() {
        ledger.startedThisBoot = []
        ledger.keptLocks = []
        ledger.crashedThisBoot = false
        ledger.podrtSucceededThisBoot = false
        ledger.faultsThisBoot = ledger.faultsActive
        ledger.rebootSinceCheck = true
    }

    func runGroup(_ commands: [Command], together: Bool) -> Violation? {
        let outcome = runProcesses(commands, together: together)
        lastGroup = Array(zip(commands, outcome.processes))
        if let broken = book(outcome) { return broken }
        if let cycle = outcome.deadlock {
            return Violation(invariant: "I5", message: "every process blocked: " + cycle.joined(separator: "; "))
        }
        if commands.contains(where: { if case .generator = $0.program { return true } else { return false } }) {
            return checkGenerator(outcome.processes)
        }
        return nil
    }

    func checkInvariants() -> Violation? {
        // Against real podman the I-invariants (podrt's database and segment) do not apply: P1–P4 do.
        let wanted = scenario.settings.podman ? [] : scenario.settings.invariants.filter { $0.hasPrefix("I") }
        guard !wanted.isEmpty else { return nil }
        var reader = StateReader(machine: harness(), config: config)
        reader.remembered = lastReading
        var state = reader.read(bootID: bootID)
        lastReading = reader.reading
        if let inits = containerInits(), let objects = state.objects {
            state.containerInits = inits
            let fs = harness().fileSystem
            for object in objects where object.kind == "container" && ["running", "paused", "stopping"].contains(object.state)
                && inits[object.id] != object.pid
                && (try? fs.exists(ContainerPaths(config: config, id: object.id).exitFile)) == true {
                state.exitRecorded.insert(object.id)
            }
        }
        return Invariants.check(wanted, state, ledger)
    }

    /// The command line of the first boot: the first `cmdline` step before any reboot.
    static func initialCommandLine(_ scenario: Scenario) -> String {
        for step in scenario.steps {
            if case let .commandLine(text) = step.action { return text }
            if case .reboot = step.action { break }
            if case .powerLoss = step.action { break }
        }
        return ""
    }
}

/// Under `profile: podman` with `runtime: podrt`, a scenario written for podman names podman's per-boot state;
/// podrt keeps the same state elsewhere.
enum PodmanPaths {
    static func podrt(_ path: String, _ config: RuntimeConfig) -> String {
        switch path {
        case "/run/libpod/alive": return config.alivePath
        case "/run/libpod/alive.lck": return config.aliveLockPath
        case "/dev/shm/libpod_lock": return config.lockSegmentPath
        case "/run/libpod": return config.tmpDir
        default: return path
        }
    }
}
