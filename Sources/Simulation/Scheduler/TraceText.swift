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

    /// The serials of the processes involved in a failure: those of the step after which the check failed
    /// (the last step in the trace), those the violation or a deadlock names by pid, and those whose command
    /// names an object the violation names (`podrt create volume late2` for `… volume late2 share lock 0`).
    /// When that finds none, the processes of the last step that started any.
    public static func involved(_ events: [TraceEvent], violation: String) -> Set<Int> {
        let lastStep = events.lastIndex { $0.kind == .step } ?? -1
        var involved: Set<Int> = []
        let deadlocks = events.filter { $0.kind == .deadlock }.map(\.text).joined(separator: " ")
        let named = Set(words(violation))
        for (index, event) in events.enumerated() where event.serial != 0 && event.kind == .start {
            let objects = words(event.command).filter { !vocabulary.contains($0) && Int($0) == nil }
            if index > lastStep || (violation + " " + deadlocks).contains("\(event.pid)/")
                || objects.contains(where: named.contains) {
                involved.insert(event.serial)
            }
        }
        if involved.isEmpty {
            var current: Set<Int> = []
            for event in events {
                if event.kind == .step, !current.isEmpty { involved = current; current = [] }
                if event.kind == .start, event.serial != 0 { current.insert(event.serial) }
            }
            if !current.isEmpty { involved = current }
        }
        return involved
    }

    /// The trace of the processes in `serials` and of the world (steps, reboots, power loss, deadlocks).
    public static func only(_ serials: Set<Int>, in events: [TraceEvent]) -> [TraceEvent] {
        events.filter { $0.serial == 0 || serials.contains($0.serial) }
    }

    /// The words of scenario commands that are not object names.
    static let vocabulary: Set<String> = [
        "podrt", "generator", "create", "rm", "start", "ps", "info", "locks", "renumber", "reset", "container",
        "containers", "pod", "pods", "volume", "volumes", "@crash",
    ]

    /// Words of `text`, with `key=value` giving its value.
    static func words(_ text: String) -> [String] {
        text.split { $0 == " " || $0 == "," || $0 == ":" || $0 == "(" || $0 == ")" || $0 == ";" }.map { word in
            if let equals = word.firstIndex(of: "=") { return String(word[word.index(after: equals)...]) }
            return String(word)
        }
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
