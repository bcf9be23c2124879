import ArgumentParser
import Core
import Podrt

/// `podrt events`, podman's flags: `--since`/`--until` in podman's time formats, `--filter` and `--format`.
/// podrt has no live event feed, so it always prints the events logged so far and exits, as
/// `podman events --stream=false`; `--stream` (true) is refused with a message saying so.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Show the events log.",
        discussion: "Times (--since, --until): Unix seconds, a duration before now (10m, 1h30m), RFC 3339 "
            + "(2026-12-04T05:00:00Z or with an offset, +01:00), 2006-01-02T15:04:05 or 2006-01-02 (UTC). "
            + "Filters (--filter KEY=VALUE, repeatable): type (container, pod, volume, system), event "
            + "(create, start, stop, died, remove, refresh, renumber), container, pod, volume (a name, or an id "
            + "prefix). The same key twice matches either value; different keys must all match. podrt does not "
            + "stream: it prints the events logged so far and exits, as podman events --stream=false.")

    @ParentCommand var podrt: PodrtCommand
    @OptionGroup var output: TemplateFormatOption
    @Option(help: "Only events at or after this time.")
    var since: String?
    @Option(help: "Only events at or before this time.")
    var until: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("Filter the events, KEY=VALUE.", valueName: "filter"))
    var filter: [String] = []
    @Option(help: ArgumentHelp("Only false is supported: podrt prints the logged events and exits.", valueName: "bool"))
    var stream: String?

    func run() throws {
        if let stream {
            switch stream {
            case "false", "0", "f", "F", "FALSE", "False": break
            case "true", "1", "t", "T", "TRUE", "True":
                throw usageFailure(ValidationError("podrt events does not stream (podrt has no live event feed): "
                    + "use --stream=false, or leave --stream out, to print the events logged so far"))
            default: throw usageFailure(ValidationError("invalid --stream value \"\(stream)\": it wants true or false"))
            }
        }
        let format = try output.read("events")
        let filters: EventFilter
        do { filters = try EventFilter(filter) } catch { throw usageFailure(error) }
        let runtime = try podrt.global.open()
        let now = runtime.machine.clock.wallNow()
        func time(_ text: String?, _ flag: String) throws -> WallTime? {
            guard let text else { return nil }
            guard let parsed = Timestamp.parseInputTime(text, now: now) else {
                throw usageFailure(ValidationError("cannot read \(flag) \(text): it wants Unix seconds, a duration "
                    + "(10m), RFC 3339 (2006-01-02T15:04:05Z or +01:00), 2006-01-02T15:04:05 or 2006-01-02"))
            }
            return parsed
        }
        let sinceTime = try time(since, "--since")
        let untilTime = try time(until, "--until")
        // A line that is not an event is reported where it is (file:line and why) and the others still print;
        // then exit 1, as for a listing with an unreadable row.
        var failed = false
        var rows: [JSON] = []
        for line in try runtime.events.readEach(since: sinceTime) {
            switch line {
            case let .success(event):
                if let untilTime, untilTime < event.time { continue }
                guard filters.matches(event) else { continue }
                switch format {
                case .json: print(event.json.serialized())
                case .table: print(event.text)
                case .template: rows.append(EventFilter.row(event))
                }
            case let .failure(error):
                printError("Error: \(error)")
                failed = true
            }
        }
        if format.isTemplate { try printTemplate(format, rows) }
        if failed { throw ExitFailure(code: 1) }
    }
}

/// `events --filter`, podman's keys for what podrt logs.
struct EventFilter {
    static let keys = ["type", "event", "container", "pod", "volume"]
    var values: [(key: String, value: String)] = []

    init(_ filters: [String]) throws {
        for filter in filters {
            guard let equals = filter.firstIndex(of: "="), Self.keys.contains(String(filter[..<equals])) else {
                throw ValidationError("invalid filter \"\(filter)\": it wants KEY=VALUE, KEY one of "
                    + Self.keys.joined(separator: ", "))
            }
            values.append((String(filter[..<equals]), String(filter[filter.index(after: equals)...])))
        }
    }

    func matches(_ event: Event) -> Bool {
        Set(values.map(\.key)).allSatisfy { key in
            values.filter { $0.key == key }.contains { filter in
                let named = event.name == filter.value || (!filter.value.isEmpty && event.id.hasPrefix(filter.value))
                switch key {
                case "type": return event.type == filter.value
                case "event": return event.status == filter.value
                default: return event.type == key && named  // container, pod, volume
                }
            }
        }
    }

    /// What a template sees: podman's event fields.
    static func row(_ event: Event) -> JSON {
        .object([
            ("ID", .string(event.id)), ("Name", .string(event.name)), ("Status", .string(event.status)),
            ("Type", .string(event.type)), ("Time", .string(Timestamp.goString(event.time))),
            ("TimeNano", .number(event.time.seconds &* 1_000_000_000 &+ event.time.nanoseconds)),
        ])
    }
}
