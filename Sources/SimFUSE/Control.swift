import CFuse3
import Core
import Glibc
import SimFS

/// The commands of the control channel, run by the server between two FUSE requests. A command is a list
/// of words (see `ControlClient`); the answer is an exit status and text.
extension FUSEServer {
    struct ControlAnswer {
        var status: Int32
        var text: String
        /// Names and node attributes to drop from the kernel's cache before the answer goes out.
        var invalidate: [CachedName] = []
        var invalidateAttributes: [UInt64] = []
        var invalidates: Bool { !invalidate.isEmpty || !invalidateAttributes.isEmpty }
        static func ok(_ text: String = "") -> ControlAnswer { ControlAnswer(status: 0, text: text) }
        static func failure(_ text: String) -> ControlAnswer { ControlAnswer(status: 1, text: text + "\n") }
    }

    func control(_ words: [String]) -> ControlAnswer {
        guard let command = words.first else { return .failure("empty command") }
        let rest = Array(words.dropFirst())
        switch command {
        case "reboot":
            return reboot(powerLoss: rest.first == "power-loss", commandLine: rest.count > 1 ? rest[1] : nil)
        case "crash":
            crashed = true
            for pending in pauses.releaseAll() { abandon(pending, EIO) }
            // Cached names and attributes would still answer; dropped, the next call reaches the server's EIO.
            return dropCaches(.ok("crashed: every request fails with EIO until the next reboot (a power loss)\n"))
        case "fault-add":
            guard rest.count == 4 else { return .failure("fault-add needs op, glob, errno, when") }
            let op = SimOp(name: rest[0])
            guard rest[0] == "*" || op.map(Operation.ops.contains) == true else {
                let known = Operation.ops.map(\.description).sorted().joined(separator: " ")
                return .failure("unknown op '\(rest[0])'; known: * \(known)")
            }
            guard let errno = Errno(name: rest[2]) else {
                return .failure("unknown errno '\(rest[2])'; known: \(Errno.knownNames)")
            }
            let trigger: FaultRule.Trigger
            if rest[3].hasPrefix("nth="), let n = Int(rest[3].dropFirst(4)), n > 0 {
                trigger = .nth(n)
            } else if rest[3].hasPrefix("prob="), let p = Double(rest[3].dropFirst(5)), p >= 0, p <= 1 {
                trigger = .probability(p)
            } else if rest[3] == "always" {
                trigger = .always
            } else {
                return .failure("bad fault timing '\(rest[3])'")
            }
            faults.add(FaultRule(op: op, path: rest[1], trigger: trigger, effect: .error(errno)))
            return dropCaches(.ok())
        case "fault-clear":
            faults.clear()
            return .ok()
        case "log":
            let pid = rest.first.flatMap { Int32($0) }
            let entries = log.records.filter { pid == nil || $0.pid.rawValue == pid }
            return .ok(entries.map { $0.description + "\n" }.joined())
        case "pause":
            guard rest.count == 2, let pid = Int32(rest[0]), let n = Int(rest[1]), n > 0 else {
                return .failure("pause needs a pid and an op number ≥ 1")
            }
            pauses.pause(pid, atOp: n)
            return dropCaches(.ok())
        case "resume":
            guard rest.count == 1, let pid = Int32(rest[0]) else { return .failure("resume needs a pid") }
            guard pauses.isPaused(pid) else { return .failure("pid \(pid) is not paused") }
            for pending in pauses.resume(pid) { execute(pending) }
            return .ok()
        case "kill":
            guard rest.count == 1, let pid = Int32(rest[0]), pid > 0 else { return .failure("kill needs a pid") }
            // SIGKILL first: a held request then ends in EINTR for a process that is already dying, so the
            // op it was making never happens (a killed process's last op is lost, as in a crash).
            guard Glibc.kill(pid, SIGKILL) == 0 || errno == ESRCH else { return .failure("kill \(pid): errno \(errno)") }
            // Its descriptors stay: the kernel releases them as the process exits, and may still write back
            // the pages it dirtied through a shared mapping with one of them.
            for pending in pauses.resume(pid) { abandon(pending, EINTR) }
            return .ok()
        case "held":
            guard rest.count == 1, let pid = Int32(rest[0]) else { return .failure("held needs a pid") }
            return .ok("\(pauses.held[pid]?.count ?? 0)\n")
        case "status":
            return .ok(statusLines().map { $0 + "\n" }.joined())
        default:
            return .failure("unknown control command '\(command)'")
        }
    }

    /// `answer`, sent once the kernel has dropped every cached name and attribute, so that the next
    /// lookups and getattrs reach the server (and its fault rules and pause counts).
    func dropCaches(_ answer: ControlAnswer) -> ControlAnswer {
        var answer = answer
        answer.invalidate = nodes.cachedNames()
        answer.invalidateAttributes = Array(nodes.nodes.keys)
        return answer
    }

    func statusLines() -> [String] {
        var lines = machine.statusLines()
        lines.append("state: \(crashed ? "crashed" : "up")")
        lines.append("reboots: \(reboots)")
        lines.append("nodes: \(nodes.count) handles: \(handles.count) ops: \(log.count)")
        lines.append(requestLine())
        lines += faults.active.map { "fault \($0)" }
        lines += pauses.descriptions
        return lines
    }

    /// `requests: TOTAL forget=N lookup=N ...`: every request since the mount (forgets included), by op.
    func requestLine() -> String {
        let total = requestCounts.values.reduce(forgets, +)
        let byOp = requestCounts.map { "\($0.key)=\($0.value)" } + (forgets > 0 ? ["forget=\(forgets)"] : [])
        return (["requests: \(total)"] + byOp.sorted()).joined(separator: " ")
    }

    /// Answers every held request with EIO, closes the old boot's handles, reboots the machine and starts
    /// a fresh node table. The kernel's cached names are dropped (by the loop, before it answers), so it
    /// looks every name up again and gets new node ids, hence new inodes with fresh attributes.
    func reboot(powerLoss: Bool, commandLine: String? = nil) -> ControlAnswer {
        for pending in pauses.releaseAll() { abandon(pending, EIO) }
        handles.reset()
        do {
            try machine.reboot(powerLoss: powerLoss || crashed, commandLine: commandLine)
        } catch {
            return .failure("this machine cannot reboot: \(error)")
        }
        let names = nodes.cachedNames()
        nodes.reset()
        crashed = false
        reboots += 1
        var answer = ControlAnswer.ok()
        answer.invalidate = names
        answer.invalidateAttributes = [NodeTable.rootID]
        return answer
    }
}
