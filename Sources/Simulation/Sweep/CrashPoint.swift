import Core
import Podrt
import SimFS

/// One place a sweep cuts the power: the machine just before one FileSystem call of the workload, and what
/// the harness knew then (the ledger, and how far the running group had got).
struct CrashPoint: @unchecked Sendable {
    /// 1 for the workload's first FileSystem call.
    var number: Int
    var world: SimSnapshot
    /// Something was pending that a cut could lose (else every outcome is the same).
    var pending: Bool
    var ledger: Ledger
    var config: RuntimeConfig
    var commandLine: String?
    /// The running step's scenario line, and the call about to be made (`podrt-create fsync`).
    var line: Int
    var call: String
    /// The running group: its commands, and each started process as it was (a live one dies in the cut).
    var commands: [Command]
    var processes: [FrozenProcess]
    var changes: [(process: Int, change: ObjectChange)]
}

/// A process of the group as it was at a crash point: ended with its exit code, or killed by the cut.
final class FrozenProcess: ProcessOutcome, @unchecked Sendable {
    let exitCode: Int32?
    let killed: Bool
    let note: String
    let resolvedName: String?

    init(_ process: ScheduledProcess) {
        let ended = process.state == .done
        exitCode = ended ? process.exitCode : nil
        killed = !ended || process.killed
        note = process.note
        resolvedName = process.resolvedName
    }
}

/// Sits between the world and the scheduler of a sweep's recording run: before every FileSystem call of a
/// process of the workload it saves a crash point, then hands the call to the scheduler. The harness's own
/// calls (setup steps, invariant checks) are no crash points.
final class CrashPointTap: SimScheduling, @unchecked Sendable {
    unowned let runner: Runner
    let scheduler: Scheduler
    private(set) var points: [CrashPoint] = []

    init(runner: Runner) {
        self.runner = runner
        scheduler = runner.scheduler
    }

    func willPerform(_ pid: ProcessID, _ op: SimOp) {
        if op.isFileSystemCall, let process = scheduler.byPid[pid.rawValue], process.state != .done, !process.killed {
            record(before: "\(process.name) \(op)")
        }
        scheduler.willPerform(pid, op)
    }

    func spawned(_ child: ProcessID, name: String, by parent: ProcessID, program: @escaping @Sendable (Machine) -> Void) {
        scheduler.spawned(child, name: name, by: parent, program: program)
    }

    func sleep(_ pid: ProcessID, until deadline: MonotonicInstant) -> Bool {
        scheduler.sleep(pid, until: deadline)
    }

    private func record(before call: String) {
        let commands = runner.runningCommands
        let started = scheduler.group.prefix(commands.count)
        let index = Dictionary(uniqueKeysWithValues: started.enumerated().map { ($0.element.serial, $0.offset) })
        let world = runner.world
        points.append(CrashPoint(
            number: points.count + 1, world: world.snapshot(), pending: world.hasPendingWrites,
            ledger: runner.ledger, config: runner.config, commandLine: runner.pendingCommandLine,
            line: runner.stepLine, call: call, commands: commands, processes: started.map(FrozenProcess.init),
            changes: runner.changes.entries.compactMap { entry in index[entry.serial].map { ($0, entry.change) } }))
    }
}

extension SimOp {
    /// A call of the FileSystem protocol (the ops a sweep cuts before).
    var isFileSystemCall: Bool {
        rawValue <= SimOp.realpath.rawValue || self == .lockRange || self == .mapShared || self == .unmapShared
    }
}
