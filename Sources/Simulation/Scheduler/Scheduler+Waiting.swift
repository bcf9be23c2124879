import Core
import Podrt
import SimFS

/// Blocking on locks, injections, and deadlock reports.
extension Scheduler {
    /// Parks `process` until a holder of `key` lets go (the wrapper then retries its try-lock).
    func block(_ process: ScheduledProcess, on key: WaitKey) throws {
        if process.killed { throw ProcessKilled(reason: "killed") }
        process.state = .blocked(key)
        if tracksFootprints { process.pending = Footprint(waitingFor: key, mapped: process.mapped) }
        trace.note(process, "wait \(key)", step: step)
        handOff(from: process)
        park(process)
        if process.killed { throw ProcessKilled(reason: "killed") }
    }

    func acquired(_ process: ScheduledProcess, _ key: WaitKey) {
        process.holds[key, default: 0] += 1
    }

    func released(_ process: ScheduledProcess, _ key: WaitKey) {
        if let count = process.holds[key] { process.holds[key] = count > 1 ? count - 1 : nil }
        for waiter in group where waiter.state == .blocked(key) { waiter.state = .runnable }
    }

    /// A process of the group killed `pid` through `ProcessControl.kill`: if it is one of the group's, it
    /// unwinds at its next call, and a parked one is let go so that it can.
    func killedByPeer(_ pid: ProcessID) {
        guard let victim = byPid[pid.rawValue], victim.state != .done, !victim.killed else { return }
        victim.killed = true
        if case .blocked = victim.state { victim.state = .runnable }
        if case .sleeping = victim.state { victim.state = .runnable }
    }

    /// Applies a kill, reboot or power loss at the current step (`by` holds the baton).
    func inject(_ decision: Decision, by process: ScheduledProcess) {
        chooser.disturbed()
        switch decision {
        case let .kill(_, serial):
            guard let victim = group.first(where: { $0.serial == serial && $0.state != .done }) else { return }
            victim.killed = true
            world.kill(victim.pid)
            trace.injected(decision, victim: victim, step: step)
            if victim !== process { unwind(victim, backTo: process) }
        case .reboot, .powerLoss:
            let victims = group.filter { $0.state != .done }
            for victim in victims { victim.killed = true }
            if case let .powerLoss(_, seed) = decision { world.powerLoss(seed: seed) } else { world.reboot() }
            trace.injected(decision, victim: nil, step: step)
            byPid = [:]
            onReboot?()
            for victim in victims where victim !== process { unwind(victim, backTo: process) }
        case .run:
            return
        }
        wakeAllBlocked()
    }

    /// Lets a killed process unwind alone, then takes the baton back.
    func unwind(_ victim: ScheduledProcess, backTo process: ScheduledProcess) {
        guard victim.state != .done else { return }
        victim.returnTo = process
        victim.state = .runnable
        current = victim
        park(process)
    }

    /// Every process is blocked: names the wait-for cycle (or the blocked set if there is none).
    func reportDeadlock(_ blocked: [ScheduledProcess]) {
        chooser.disturbed()
        func holders(_ key: WaitKey) -> [ScheduledProcess] {
            if case let .child(pid) = key { return group.filter { $0.state != .done && $0.pid == pid } }
            return group.filter { $0.state != .done && $0.holds[key] != nil }
        }
        func label(_ p: ScheduledProcess) -> String { "\(p.pid)/\(p.name)" }
        for start in blocked {
            var path: [ScheduledProcess] = [start]
            var edges: [String] = []
            var seen: Set<Int> = [start.serial]
            var node = start
            while case let .blocked(key) = node.state, let owner = holders(key).first {
                edges.append("\(label(node)) waits for \(key) held by \(label(owner))")
                if owner === start {
                    deadlock = edges
                    trace.deadlock(edges.joined(separator: "; "), step: step)
                    return
                }
                if seen.contains(owner.serial) { break }
                seen.insert(owner.serial)
                path.append(owner)
                node = owner
            }
        }
        deadlock = blocked.map { p -> String in
            if case let .blocked(key) = p.state { return "\(label(p)) waits for \(key) (no holder)" }
            return label(p)
        }
        trace.deadlock(deadlock!.joined(separator: "; "), step: step)
    }
}
