import Core
import Glibc
import Podrt
import SimFUSE

/// A group's real processes: gated starts, scripted crashes and seeded injections through the server's
/// pauses, and reboots that kill every process first (as a real one does).
extension MountedRunner {
    /// What happens to a process once the server holds its Nth request.
    enum Action { case kill, reboot, powerLoss }

    /// Each process of a `together` group makes on the order of this many requests; injections are
    /// placed uniformly among them.
    static let requestsPerProcess = 200

    /// The generator's view: the machine's /etc, /run and /proc/cmdline over the real ones, in a private
    /// mount namespace (the binary itself, and the rest of /proc, stay the host's).
    static let generatorNamespace = #"""
        set -e; mount --make-rprivate /; for d in etc run proc/cmdline; do mount --bind "$1/$d" "/$d"; done
        shift; exec "$@"
        """#

    func runProcesses(_ commands: [Command], together: Bool) -> GroupOutcome {
        if scenario.settings.podman { writePodmanConfiguration() }
        let processes = commands.map { command -> RealProcess in
            spawned += 1
            let output = directory + "/p\(spawned)"
            switch command.program {
            case let .generator(fixture):
                let run = prepareGenerator(fixture: fixture)
                let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"] + run.environment.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }
                return RealProcess(chain: [["/usr/bin/unshare", "-m", "/bin/sh", "-c", Self.generatorNamespace, "namespace",
                                            mountPoint, setup.generator] + run.arguments.dropFirst()],
                                   environment: environment, output: output)
            case let .podrt(podrt):
                return RealProcess(chain: podrtChain(podrt), environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], output: output)
            case let .exec(exec):
                return RealProcess(chain: execChain(exec), environment: execEnvironment(exec), output: output)
            }
        }
        var plans: [Int: (op: Int, action: Action)] = [:]
        for (index, command) in commands.enumerated() {
            if let op = command.crashAtOp { plans[index] = (op, .kill) }
        }
        if together, injectionsLeft > 0, let injection = drawInjection(processes: commands.count), plans[injection.index] == nil {
            injectionsLeft -= 1
            plans[injection.index] = (injection.op, injection.action)
        }
        var gates: [String] = []
        for (index, process) in processes.enumerated() {
            let gate = directory + "/gate\(spawned)-\(index)"
            do {
                try process.start(gate: gate)
                gates.append(gate)
            } catch {
                process.exitCode = 127
                process.note = "could not start: \(error)"
            }
        }
        for (index, plan) in plans where processes[index].running {
            _ = control(["pause", String(processes[index].pid), String(plan.op)])
        }
        for gate in gates { RealProcess.openGate(gate) }
        return wait(for: processes, plans: plans)
    }

    /// Polls the processes to their end, carrying out a plan once its process is held.
    private func wait(for processes: [RealProcess], plans: [Int: (op: Int, action: Action)]) -> GroupOutcome {
        var plans = plans
        let clock = HostClock()
        let deadline = clock.monotonicNow().advanced(byNanoseconds: UInt64(setup.timeout * 1e9))
        while processes.contains(where: \.running) {
            for process in processes { process.poll() }
            for (index, plan) in plans where processes[index].running {
                let pid = processes[index].pid
                guard let held = control(["held", String(pid)]), Int(held.text.filter(\.isNumber)) ?? 0 > 0 else { continue }
                plans[index] = nil
                switch plan.action {
                case .kill:
                    kill([processes[index]])
                case .reboot, .powerLoss:
                    kill(processes.filter(\.running))
                    reboot(powerLoss: plan.action == .powerLoss, line: 0)
                    rebooted()
                    return GroupOutcome(processes: processes, rebooted: true, deadlock: nil, changes: nil)
                }
            }
            if deadline < clock.monotonicNow() {
                let stuck = processes.filter(\.running).map { "pid \($0.pid) still running after \(Int(setup.timeout)) s" }
                kill(processes.filter(\.running))
                return GroupOutcome(processes: processes, rebooted: false, deadlock: stuck, changes: nil)
            }
            usleep(500)
        }
        return GroupOutcome(processes: processes, rebooted: false, deadlock: nil, changes: nil)
    }

    /// SIGKILL through the server, which fails held requests so that they never happen; then reap. All are
    /// signalled before any is reaped: one may sleep uninterruptibly on a directory lock that another's held
    /// request keeps.
    private func kill(_ victims: [RealProcess]) {
        for process in victims {
            process.killed = true
            _ = control(["kill", String(process.pid)])
        }
        for process in victims { process.reap() }
    }

    /// The seed's injection for this group, if any: which process, at which of its requests, and what.
    func drawInjection(processes: Int) -> (index: Int, op: Int, action: Action)? {
        let total = rates.kill + rates.reboot + rates.powerLoss
        guard total > 0, random.chance(min(1, total * Double(Self.requestsPerProcess * processes))) else { return nil }
        let pick = Double(random.below(1_000_000)) / 1_000_000 * total
        let action: Action = pick < rates.kill ? .kill : pick < rates.kill + rates.reboot ? .reboot : .powerLoss
        return (random.below(processes), 1 + random.below(Self.requestsPerProcess), action)
    }

    /// The podrt command lines for a scenario's podrt command (a chain for `create KINDs PREFIX N`).
    func podrtChain(_ command: PodrtCommand) -> [[String]] {
        let global = [setup.podrt, "--machine-root", mountPoint, "--root", config.staticDir, "--runroot", config.tmpDir,
                      "--num-locks", String(config.numLocks), "--lock-type", config.lockType.rawValue]
        func create(_ kind: PodrtObjectKind, _ name: String) -> [String] {
            switch kind {
            case .container: return global + ["container", "create", "--name", name, "--rootfs", "/var/lib/rootfs"]
            case .pod: return global + ["pod", "create", "--name", name]
            case .volume: return global + ["volume", "create", name]
            }
        }
        switch command {
        case .ps: return [global + ["ps", "-a"]]
        case .info: return [global + ["system", "info"]]
        case .locks: return [global + ["system", "locks"]]
        case .renumber: return [global + ["system", "renumber"]]
        case .reset: return [global + ["system", "reset", "--force"]]
        // No OCI runtime runs containers on the mounted machine: `start` records the state with FUSE mode's
        // hidden `set-state`; run, stop and kill are refused before mounting (`MountedRunner.unsupported`).
        case let .start(name): return [global + ["container", "set-state", name, "running", "--pid", "4242"]]
        case .run, .stop, .kill: return []
        case let .createContainer(name, pod, volumes):
            return [create(.container, name) + (pod.map { ["--pod", $0] } ?? []) + volumes.flatMap { ["-v", $0 + ":/data"] }]
        case let .createPod(name): return [create(.pod, name)]
        case let .createVolume(name): return [create(.volume, name)]
        case let .createMany(kind, prefix, count): return (0..<count).map { create(kind, prefix + String($0)) }
        case let .remove(kind, name, force): return [global + [kind.rawValue, "rm"] + (force ? ["-f"] : []) + [name]]
        }
    }
}
