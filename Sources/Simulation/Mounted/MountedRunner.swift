import Core
import Glibc
import Podrt
import SimFS
import SimFUSE

/// FUSE mode (`bootsim run --fuse`): the binaries it runs and where it mounts.
public struct MountedSetup: Sendable {
    /// `bootsim` itself, for `bootsim mount --background` and `unmount`.
    public var bootsim: String
    public var podrt: String
    /// The generator; it runs in a mount namespace where the machine's /etc, /run and /proc/cmdline are
    /// bound over the real ones.
    public var generator: String
    /// Mount points and the programs' output go under this directory (outside any mount).
    public var scratch = "/tmp/bootsim-fuse"
    /// A group whose processes have not all ended after this many seconds breaks I5.
    public var timeout = 60.0

    public init(bootsim: String, podrt: String, generator: String) {
        self.bootsim = bootsim
        self.podrt = podrt
        self.generator = generator
    }
}

/// Runs a scenario on a FUSE-mounted simulated machine: the steps start the built `podrt` and
/// `systemd-cryptsetup-generator` as real processes, reboots and faults go through the control channel,
/// and the harness reads the machine through the mount. The kernel schedules the processes, so a seed
/// fixes the machine (boot ids, power-loss outcomes) and the injections, not the interleaving.
final class MountedRunner: ScenarioDriver {
    let scenario: Scenario
    let seed: UInt64
    let setup: MountedSetup
    var config = RuntimeConfig()
    var ledger = Ledger()
    var pendingCommandLine: String?
    var lastGroup: [(command: Command, process: any ProcessOutcome)] = []
    var checkCommands: [[String]] = []
    /// Under the podman profile: what podman promised (Mounted/PodmanChecks.swift) and the lock count its
    /// configuration has.
    var podman = PodmanLedger()
    var podmanLocksWritten: UInt32?
    var generatorFixture: FixtureCase?
    let directory: String
    let mountPoint: String
    /// The harness's view through the mount (made after mounting: a rooted file system holds its root open).
    lazy var host = Machine.host(root: mountPoint)
    /// The injections' stream (the run's scheduler seed) and the rates, swarm rates drawn.
    var random: SplitMix64
    let rates: InjectionRates
    var injectionsLeft: Int
    var spawned = 0

    init(scenario: Scenario, seed: UInt64, setup: MountedSetup) {
        self.scenario = scenario
        self.seed = seed
        self.setup = setup
        directory = setup.scratch + "/\(scenario.name)-\(seed)-\(getpid())"
        mountPoint = directory + "/machine"
        let seeds = RunSeeds(seed)
        random = SplitMix64(seed: seeds.scheduler)
        rates = scenario.settings.rates.drawn(seed: seeds.swarm)
        injectionsLeft = rates.any ? rates.limit : 0
        config.numLocks = 2048
    }

    func run() -> RunResult {
        var result = RunResult(seed: seed)
        if let gap = scenario.fuseModeGap {
            result.violation = Violation(invariant: "setup", message: gap.message)
            result.line = gap.line
            return result
        }
        if let problem = mount() {
            result.violation = Violation(invariant: "setup", message: problem)
            unmount()
            return result
        }
        defer { unmount() }
        prepareMachine()
        if scenario.settings.podman { preparePodman() }
        for step in scenario.steps {
            if let violation = perform(step) ?? checkAfter(step) {
                result.violation = violation
                result.line = step.line
                break
            }
        }
        return result
    }

    // MARK: the machine

    func harness() -> Machine { host }
    /// Never set: the real podrt may hold the database between checks, so every check reads it.
    var lastReading: DatabaseReading? { get { nil } set {} }

    var bootID: String {
        let bytes = (try? host.fileSystem.readFile("/proc/sys/kernel/random/boot_id", limit: 64)) ?? []
        return bytes.split(separator: 0x0A).first.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    func mount() -> String? {
        _ = HostProcessControl.run(["/bin/mkdir", "-p", mountPoint])
        let status = HostProcessControl.run([setup.bootsim, "mount", mountPoint, "--background", "--seed", String(seed),
                                             "--cmdline", Self.initialCommandLine(scenario)])
        return status == 0 ? nil : "bootsim mount \(mountPoint) failed (status \(status))"
    }

    func unmount() {
        if HostProcessControl.run([setup.bootsim, "unmount", mountPoint]) != 0 {
            _ = HostProcessControl.run(["/bin/umount", "-l", mountPoint])
        }
        _ = HostProcessControl.run(["/bin/rm", "-rf", directory])
    }

    func control(_ words: [String]) -> ControlClient.Answer? {
        try? ControlClient.send(words, to: mountPoint)
    }

    func reboot(powerLoss: Bool, line: Int) {
        _ = control(["reboot", powerLoss ? "power-loss" : "clean"] + (pendingCommandLine.map { [$0] } ?? []))
    }

    func addFault(_ rule: FaultRule) -> Violation? {
        guard case let .error(code) = rule.effect else {
            return Violation(invariant: "setup", message: "latency faults have no FUSE-mode counterpart")
        }
        guard let ops = rule.op.map({ Self.fuseOps[$0.description] }) ?? ["*"] else {
            return Violation(invariant: "setup", message: "fault op \(rule.op!) has no FUSE request")
        }
        let when: String
        switch rule.trigger {
        case let .nth(n): when = "nth=\(n)"
        case let .probability(p): when = "prob=\(p)"
        case .always: when = "always"
        }
        for op in ops {
            let answer = control(["fault-add", op, rule.path, code.name, when])
            if answer?.status != 0 {
                return Violation(invariant: "setup", message: "fault-add \(op) failed: \(answer?.text ?? "no answer")")
            }
        }
        return nil
    }

    func clearFaults() { _ = control(["fault-clear"]) }

    /// The first step FUSE mode cannot run: `podrt run|stop|kill` or `exit NAME CODE`.
    static func unsupported(_ scenario: Scenario) -> (line: Int, what: String)? {
        for step in scenario.steps {
            switch step.action {
            case .containerExit: return (step.line, "`exit`")
            case let .group(commands, _):
                for command in commands {
                    guard case let .podrt(podrt) = command.program else { continue }
                    switch podrt {
                    case .run, .stop, .kill: return (step.line, "`\(command)`")
                    default: break
                    }
                }
            default: break
            }
        }
        return nil
    }

    func endContainer(_ name: String, code: Int32) -> Violation? {
        Violation(invariant: "setup", message: "FUSE mode cannot end a container's process (`exit \(name) \(code)`)")
    }

    func containerInits() -> [String: Int64]? { nil }

    /// The FUSE requests behind each FileSystem op of a fault rule.
    static let fuseOps: [String: [String]] = [
        "open": ["open", "create"], "read": ["read"], "write": ["write"], "fsync": ["fsync", "fsyncdir"],
        "fdatasync": ["fsync"], "close": ["flush", "release"], "truncate": ["setattr"], "chmod": ["setattr"],
        "chown": ["setattr"], "stat": ["getattr"], "lstat": ["getattr"], "fstat": ["getattr"], "mkdir": ["mkdir"],
        "rmdir": ["rmdir"], "unlink": ["unlink"], "rename": ["rename"], "symlink": ["symlink"],
        "readlink": ["readlink"], "link": ["link"], "readdir": ["readdir"],
    ]
}

extension HostProcessControl {
    /// Runs a program to its end; its exit status (128+N for signal N).
    static func run(_ arguments: [String]) -> Int32 {
        let processes = HostProcessControl()
        guard let pid = try? processes.spawn(arguments, environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
                                             directory: nil),
              let status = try? processes.wait(pid) else { return 127 }
        return status.shellCode
    }
}

extension MountedSetup {
    /// Detaches mounts that an earlier, killed `bootsim run --fuse` left under `scratch` (their directory
    /// names end in the pid of a process that is gone) and removes their directories.
    public func removeStaleMounts() {
        guard let info = try? HostFileSystem().readFile("/proc/self/mountinfo") else { return }
        for line in info.split(separator: 0x0A) {
            let fields = line.split(separator: 0x20)
            guard fields.count > 4 else { continue }
            let point = String(decoding: fields[4], as: UTF8.self)
            guard point.hasPrefix(scratch + "/"), point.hasSuffix("/machine") else { continue }
            let run = point.dropLast("/machine".count)
            guard let pid = run.split(separator: "-").last.flatMap({ Int32($0) }), !RealProcess.processes.isAlive(ProcessID(rawValue: pid))
            else { continue }
            _ = HostProcessControl.run(["/bin/umount", "-l", point])
            _ = HostProcessControl.run(["/bin/rm", "-rf", String(run)])
        }
    }
}
