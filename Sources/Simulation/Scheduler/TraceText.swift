/// Printing traces.
public enum Trace {
    /// The events worth reading: scenario steps, switches, waits, crashes, reboots, deadlocks and ends; runs of
    /// ops are folded into one line per process stretch. The last `limit` lines are kept. Processes are named
    /// by their command line and events carry their virtual time when the run recorded them
    /// (`Scenario.runForReading`).
    public static func shortened(_ events: [TraceEvent], limit: Int) -> [String] {
        var lines: [String] = []
        var pendingOps: [String] = []
        var pendingWho = ""
        let origin = events.first?.time
        func flush() {
            guard !pendingOps.isEmpty else { return }
            let shown = pendingOps.count > 6 ? pendingOps.prefix(3) + ["…"] + pendingOps.suffix(2) : pendingOps[...]
            lines.append("\(pendingWho) ops ×\(pendingOps.count): " + shown.joined(separator: " "))
            pendingOps = []
        }
        for event in events {
            if event.kind == .op {
                if event.who != pendingWho { flush(); pendingWho = event.who }
                pendingOps.append(event.text)
            } else {
                flush()
                lines.append(event.line(since: origin))
            }
        }
        flush()
        return lines.count > limit ? ["… \(lines.count - limit) earlier lines"] + lines.suffix(limit) : lines
    }

    /// Every event, one per line (for `replay --trace`), with its virtual time when recorded.
    public static func full(_ events: [TraceEvent]) -> String {
        let origin = events.first?.time
        return events.map { $0.line(since: origin) }.joined(separator: "\n") + "\n"
    }
}

extension TraceEvent {
    /// Who an event is about: `world`, or `serial:pid/` and the command line (the program's name when the run
    /// did not record it).
    public var who: String {
        serial == 0 ? "world" : "\(serial):\(pid)/\(command.isEmpty ? name : command)"
    }

    /// One readable line: `[step] who kind text`, with the virtual time since `origin` when recorded.
    func line(since origin: Int64?) -> String {
        let at = time.map { " +" + TraceTimeAxis.duration($0 - (origin ?? $0), precision: 1_000) } ?? ""
        let what = kind == .step && !command.isEmpty ? "\(text): \(command)" : text
        return "[\(step)\(at)] \(who) \(kind.rawValue) \(what)"
    }
}
