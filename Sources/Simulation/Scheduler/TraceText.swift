/// Printing traces.
public enum Trace {
    /// The events worth reading: scenario steps, switches, waits, crashes, reboots, deadlocks and ends; runs of
    /// ops are folded into one line per process stretch. The last `limit` lines are kept.
    public static func shortened(_ events: [TraceEvent], limit: Int) -> [String] {
        var lines: [String] = []
        var pendingOps: [String] = []
        var pendingWho = ""
        func flush() {
            guard !pendingOps.isEmpty else { return }
            let shown = pendingOps.count > 6 ? pendingOps.prefix(3) + ["…"] + pendingOps.suffix(2) : pendingOps[...]
            lines.append("\(pendingWho) ops ×\(pendingOps.count): " + shown.joined(separator: " "))
            pendingOps = []
        }
        for event in events {
            if event.kind == .op {
                let who = "\(event.serial):\(event.pid)/\(event.name)"
                if who != pendingWho { flush(); pendingWho = who }
                pendingOps.append(event.text)
            } else {
                flush()
                lines.append(event.description)
            }
        }
        flush()
        return lines.count > limit ? ["… \(lines.count - limit) earlier lines"] + lines.suffix(limit) : lines
    }

    /// Every event, one per line (for `replay --trace`).
    public static func full(_ events: [TraceEvent]) -> String {
        events.map(\.description).joined(separator: "\n") + "\n"
    }
}
