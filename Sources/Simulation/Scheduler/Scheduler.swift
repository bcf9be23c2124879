import Core
import Podrt
import Glibc
import SimFS

/// What a scheduled process is doing.
enum ProcessState: Equatable {
    case runnable, running, blocked(WaitKey), sleeping(UInt64), done
}

/// What a process holds or waits for: a mutex of a segment or the flock of a file (both held), or the end
/// of a child (only waited for).
enum WaitKey: Hashable, CustomStringConvertible {
    case mutex(String, Int)
    case flock(String)
    case child(ProcessID)
    var description: String {
        switch self {
        case let .mutex(path, index): return "mutex \(index) of \(path)"
        case let .flock(path): return "flock \(path)"
        case let .child(pid): return "child \(pid)"
        }
    }
}

/// A program to run as one simulated process.
struct ProgramSpec {
    var name: String
    var crashAtOp: Int?
    var body: @Sendable (Machine, ScheduledProcess) -> Int32
}

/// One simulated process under the scheduler.
final class ScheduledProcess {
    let serial: Int
    let pid: ProcessID
    let name: String
    /// The process's own stack, from `FiberPool` while it runs.
    var fiber: Fiber?
    var state: ProcessState = .runnable
    var holds: [WaitKey: Int] = [:]
    var killed = false
    var ops = 0
    /// The scenario's scripted crash: kill this process at its op number `crashAtOp`.
    var crashAtOp: Int?
    /// Who gets the baton back when this (killed) process has unwound.
    var returnTo: ScheduledProcess?
    var exitCode: Int32?
    /// What the program said when it failed (for traces).
    var note = ""
    /// The name of the object a `rm` or `start` resolved its argument to (a name, an id or an id prefix), set
    /// before it acts, so the ledger books the object that was really meant.
    var resolvedName: String?
    /// For `bootsim explore` (`Scheduler.tracksFootprints`): what the process's next transition touches, and the
    /// path or lock its next call names (set by the seam wrappers just before the call reaches the world), and
    /// the files it maps shared (their memory is shared state no call announces).
    var pending = Footprint.local
    var touching: String?
    var touchingWrites = false
    var mapped: [String] = []

    init(serial: Int, pid: ProcessID, name: String) {
        self.serial = serial
        self.pid = pid
        self.name = name
    }
}

/// The seeded scheduler: every simulated process runs real Core code on a fiber of its own (its own stack,
/// on the caller's thread), and exactly one holds the baton. Every protocol call is a scheduling point (the
/// world's hook), where the chooser picks who runs next and may inject a kill, a reboot or a power loss.
/// Blocked processes park; when all wait for time, time jumps; when all are blocked, that is a deadlock and
/// the wait-for cycle is reported. This is the machine's one model of waiting: the world itself never waits.
/// Handing the baton over switches fibers; nothing waits on the kernel. Everything runs on one thread (the
/// group's caller), so the scheduler needs no lock: a call from any other thread is an escape.
final class Scheduler: SimScheduling {
    let world: SimWorld
    let chooser: Chooser
    /// The thread that runs the group (`runGroup`'s caller) and every fiber of it.
    var owner: pthread_t?
    /// The caller's own context, where the baton goes when no process holds it.
    let controller = Fiber()
    /// The fiber that runs now (the controller or a process).
    var running: Fiber?
    var byPid: [Int32: ScheduledProcess] = [:]
    var group: [ScheduledProcess] = []
    var current: ScheduledProcess?
    var nextSerial = 1
    var step = 0
    /// Choice points so far: every call of `chooser.choose`; `.run` decisions are numbered by it.
    var choices = 0
    var trace: TraceRecorder
    var deadlock: [String]?
    var onReboot: (() -> Void)?
    /// A failure of the harness's own rules (a call from outside the scheduler).
    var escape: String?
    /// Seeded injections apply to this group (`together` blocks only).
    var injecting = false
    /// The serials that may run at a scheduling point (reused: there are hundreds of points per seed).
    private var runnable: [Int] = []
    /// The fibers of this group's processes, given back to the pool when the group has ended.
    private var fibers: [Fiber] = []
    /// Keep each process's `pending` footprint up to date (explore's dependence relation); off for speed.
    var tracksFootprints = false
    /// A power cut can be injected: every write is then ordered against every other (the pending list).
    var orderWrites = false

    /// What a process that reaches the real world does (`RealWorldGuard`): installed on every process's fiber.
    let onEscape: EscapeHandler

    init(world: SimWorld, chooser: Chooser, trace: TraceRecorder, onEscape: EscapeHandler = .crash) {
        self.world = world
        self.chooser = chooser
        self.trace = trace
        self.onEscape = onEscape
    }

    // MARK: Running a group

    /// The machine as `process` sees it under the scheduler.
    func machine(for process: ScheduledProcess) -> Machine {
        let raw = world.machine(for: process.pid)
        return Machine(fileSystem: ScheduledFileSystem(raw.fileSystem, scheduler: self, process: process),
                       clock: raw.clock, mutexes: ScheduledMutexSegments(raw.mutexes, scheduler: self, process: process),
                       processes: ScheduledProcessControl(raw.processes, scheduler: self, process: process),
                       random: raw.random)
    }

    /// Runs `bodies` as concurrent processes until every one has ended, and the children they spawned.
    /// Returns the processes of `programs` (their exit codes; nil: killed).
    func runGroup(_ programs: [ProgramSpec]) -> [ScheduledProcess] {
        owner = pthread_self()
        running = controller
        var started: [ScheduledProcess] = []
        for program in programs {
            let process = join(world.spawn(name: program.name), name: program.name)
            process.crashAtOp = program.crashAtOp
            started.append(process)
            let body = program.body
            start(process) { view in body(view, process) }
        }
        handOff()
        while group.contains(where: { $0.state != .done }) {
            precondition(current != nil, "bootsim: no process holds the baton while some have not ended")
            switchAway(from: controller)
        }
        group = []
        running = nil
        FiberPool.put(fibers)
        fibers = []
        return started
    }

    /// Adds the simulated process `pid` to the group, runnable.
    private func join(_ pid: ProcessID, name: String) -> ScheduledProcess {
        let process = ScheduledProcess(serial: nextSerial, pid: pid, name: name)
        nextSerial += 1
        byPid[pid.rawValue] = process
        group.append(process)
        chooser.added(serial: process.serial)
        trace.start(process)
        return process
    }

    /// Gives `process` a fiber that runs `body` on the machine as the process sees it, then ends it.
    private func start(_ process: ScheduledProcess, _ body: @escaping (Machine) -> Int32) {
        let view = machine(for: process)
        let fiber = FiberPool.take()
        fibers.append(fiber)
        process.fiber = fiber
        fiber.locals = FiberLocals.empty
        fiber.locals[FiberLocals.escapeHandler].first = Unmanaged.passUnretained(onEscape).toOpaque()
        process.pending = .local
        fiber.body = { [self] in
            process.state = .running
            let code = body(view)
            process.exitCode = process.killed ? nil : code
            if !process.killed { world.exit(process.pid, code: code) }
            ended(process)
            process.fiber = nil
            fiber.exitTarget = baton
            running = fiber.exitTarget
        }
    }

    /// A process of the group spawned a child (`ProcessControl.spawn`): it joins the group as a process of
    /// its own, runnable from the parent's next scheduling point on.
    func spawned(_ child: ProcessID, name: String, by parent: ProcessID,
                 program: @escaping @Sendable (Machine) -> Void) {
        guard let spawner = byPid[parent.rawValue], current === spawner else {
            escaped("process \(parent) spawned \(child) without the baton")
            return
        }
        let process = join(child, name: name)
        start(process) { view in
            program(view)
            return 0  // the world has ended the child with the program's own status
        }
    }

    /// The fiber that holds the baton: the current process's, or the controller's when none does.
    var baton: Fiber { current?.fiber ?? controller }

    /// Switches from `fiber` (running) to whoever holds the baton; returns once the baton comes back to it.
    func switchAway(from fiber: Fiber) {
        let target = baton
        guard target !== fiber else { return }
        running = target
        fiber.switchTo(target)
    }

    /// Gives the baton to the chosen runnable process, or handles the case where none can run.
    func handOff(from previous: ScheduledProcess? = nil) {
        while true {
            let runnable = group.filter { $0.state == .runnable }
            if !runnable.isEmpty {
                let serials = runnable.map(\.serial)
                let preferred = serials[0]
                choices += 1
                let chosen = chooser.choose(step: choices, runnable: serials, preferred: preferred, current: nil)
                give(runnable.first { $0.serial == chosen } ?? runnable[0], from: previous)
                return
            }
            let sleepers = group.filter { if case .sleeping = $0.state { return true } else { return false } }
            if let wake = sleepers.compactMap({ p -> UInt64? in if case let .sleeping(t) = p.state { return t } else { return nil } }).min() {
                world.advanceClock(to: MonotonicInstant(nanoseconds: wake))
                chooser.disturbed()
                for process in sleepers { if case let .sleeping(t) = process.state, t <= wake { process.state = .runnable } }
                continue
            }
            let blocked = group.filter { if case .blocked = $0.state { return true } else { return false } }
            if !blocked.isEmpty {
                reportDeadlock(blocked)
                for process in blocked {
                    process.killed = true
                    world.kill(process.pid)
                    process.state = .runnable
                }
                continue
            }
            current = nil
            return
        }
    }

    func give(_ next: ScheduledProcess, from previous: ScheduledProcess?) {
        if next !== previous { trace.switched(to: next, step: step) }
        current = next
    }

    /// Parks the calling process until it holds the baton again.
    func park(_ process: ScheduledProcess) {
        while current !== process { switchAway(from: process.fiber!) }
        process.state = .running
    }

    /// The process's body returned.
    func ended(_ process: ScheduledProcess) {
        process.state = .done
        chooser.ended(serial: process.serial)
        process.holds = [:]
        trace.ended(process, step: step)
        wakeAllBlocked()
        if let back = process.returnTo {
            process.returnTo = nil
            current = back
            return
        }
        if current === process { handOff(from: process) }
    }

    func wakeAllBlocked() {
        for process in group { if case .blocked = process.state { process.state = .runnable } }
    }

    // MARK: SimScheduling

    func willPerform(_ pid: ProcessID, _ op: SimOp) {
        guard let process = byPid[pid.rawValue], process.state != .done else {
            if !group.isEmpty { escaped("process \(pid) called \(op) while a scheduled group runs") }
            return
        }
        guard current === process, let fiber = process.fiber, running === fiber,
              let owner, pthread_equal(owner, pthread_self()) != 0 else {
            escaped("process \(pid) (\(process.name)) called \(op) without the baton")
            return
        }
        step += 1
        process.ops += 1
        trace.op(process, op, step: step)
        if tracksFootprints {
            process.pending = Footprint(op, process.touching, writes: process.touchingWrites, mapped: process.mapped,
                                        orderWrites: orderWrites)
            process.touching = nil
            process.touchingWrites = false
        }
        if let at = process.crashAtOp, process.ops >= at {
            process.crashAtOp = nil
            inject(.kill(step: step, serial: process.serial), by: process)
        } else if injecting, let decision = chooser.injection(step: step, live: { [group] in
            group.filter { $0.state != .done && !$0.killed }.map(\.serial)
        }) {
            inject(decision, by: process)
        }
        if process.killed { return }
        // `group` is in serial order (serials are handed out as processes join), so this list is sorted.
        runnable.removeAll(keepingCapacity: true)
        for other in group where other === process || other.state == .runnable { runnable.append(other.serial) }
        if runnable.count == 1 {
            chooser.proceeds(serial: process.serial)
            return
        }
        choices += 1
        let chosen = chooser.choose(step: choices, runnable: runnable, preferred: process.serial,
                                    current: process.serial)
        guard chosen != process.serial, let next = group.first(where: { $0.serial == chosen }) else { return }
        process.state = .runnable
        give(next, from: process)
        park(process)
    }

    func sleep(_ pid: ProcessID, until deadline: MonotonicInstant) -> Bool {
        guard let process = byPid[pid.rawValue], current === process, !process.killed else { return false }
        process.state = .sleeping(deadline.nanoseconds)
        if tracksFootprints { process.pending = Footprint(kind: .local, mapped: process.mapped) }
        trace.note(process, "sleep", step: step)
        handOff(from: process)
        park(process)
        return true
    }

    /// Determinism is checked, not hoped for: any call from outside the baton stops the harness loudly.
    func escaped(_ message: String) {
        escape = message
        fatalError("bootsim: nondeterminism escaped the scheduler: \(message)")
    }
}

// A scheduled process is touched only by its scheduler's thread (its own fiber or the scheduler's code).
extension ScheduledProcess: @unchecked Sendable {}

// Scheduler: used only by the thread that runs its group (checked at every scheduling point).
extension Scheduler: @unchecked Sendable {}
