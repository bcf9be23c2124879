import Core
import Podrt
import SimFS

/// One thing that happened in a run, for the printed trace and the SVG.
public struct TraceEvent: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable { case start, op, run, wait, sleep, inject, end, deadlock, step }
    public var step: Int
    /// The process's serial number in the run (0: the harness or the machine).
    public var serial: Int
    public var pid: Int32
    public var name: String
    public var kind: Kind
    public var text: String
    /// The machine's virtual time at the event, in nanoseconds of its wall clock (which, unlike the
    /// monotonic clock, goes on across reboots); nil when the run did not record time.
    public var time: Int64?
    /// The scenario command that started the process (`podrt create container app volume=data`), or for a
    /// `step` event the step (`reboot`, `together`); empty for other world events, for processes a process
    /// spawned, and when the run did not name them (`Trace.namingCommands`).
    public var command = ""

    public var description: String {
        let who = serial == 0 ? "world" : "\(serial):\(pid)/\(name)"
        return "[\(step)] \(who) \(kind.rawValue) \(text)"
    }
}

/// Collects trace events; in fast mode only the few that matter (injections, deadlocks, scenario steps).
final class TraceRecorder {
    let detailed: Bool
    private(set) var events: [TraceEvent] = []
    /// The machine's virtual time, stamped on every event when set (runs for reading).
    var clock: (() -> Int64)?

    init(detailed: Bool) { self.detailed = detailed }

    func add(_ step: Int, _ process: ScheduledProcess?, _ kind: TraceEvent.Kind, _ text: String) {
        events.append(TraceEvent(step: step, serial: process?.serial ?? 0, pid: process?.pid.rawValue ?? 0,
                                 name: process?.name ?? "", kind: kind, text: text, time: clock?()))
    }

    func start(_ process: ScheduledProcess) { if detailed { add(0, process, .start, "") } }
    func op(_ process: ScheduledProcess, _ op: SimOp, step: Int) { if detailed { add(step, process, .op, "\(op)") } }
    func switched(to process: ScheduledProcess, step: Int) { if detailed { add(step, process, .run, "") } }
    func note(_ process: ScheduledProcess, _ text: String, step: Int) {
        if detailed { add(step, process, text.hasPrefix("wait") ? .wait : .sleep, text) }
    }
    func ended(_ process: ScheduledProcess, step: Int) {
        if detailed { add(step, process, .end, process.killed ? "killed" : "exit \(process.exitCode ?? -1)") }
    }
    func injected(_ decision: Decision, victim: ScheduledProcess?, step: Int) {
        switch decision {
        case .kill: add(step, victim, .inject, "crash")
        case .reboot: add(step, nil, .inject, "reboot")
        case .powerLoss: add(step, nil, .inject, "power loss")
        case .run: break
        }
    }
    func deadlock(_ text: String, step: Int) { add(step, nil, .deadlock, text) }
    func scenarioStep(_ text: String, step: Int) { add(step, nil, .step, text) }
}
