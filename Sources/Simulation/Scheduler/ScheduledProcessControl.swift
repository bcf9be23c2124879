import Core
import SimFS

/// Process control as the scheduler hands it out: `wait` for a child that still runs parks the parent until
/// the child ends (the world itself never waits), and a `kill` lets a parked victim go so it can unwind.
final class ScheduledProcessControl: ScheduledSeam<any ProcessControl>, ProcessControl {

    var currentProcess: ProcessID { inner.currentProcess }
    func environment(_ name: String) -> String? { inner.environment(name) }
    func isAlive(_ pid: ProcessID) -> Bool { inner.isAlive(pid) }

    func spawn(_ arguments: [String], environment: [String], directory: String?) throws -> ProcessID {
        try inner.spawn(arguments, environment: environment, directory: directory)
    }

    func wait(_ pid: ProcessID) throws -> ExitStatus {
        while !scheduler.world.hasEnded(pid) { try scheduler.block(process, on: .child(pid)) }
        return try inner.wait(pid)
    }

    func kill(_ pid: ProcessID, signal: Int32) throws {
        try inner.kill(pid, signal: signal)
        if signal != 0 { scheduler.killedByPeer(pid) }
    }
}

