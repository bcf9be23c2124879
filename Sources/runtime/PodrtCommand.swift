import ArgumentParser
import Core
import Podrt

/// The root command. It holds the global flags; named `PodrtCommand` so as not to shadow the `Podrt` module.
struct PodrtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "podrt",
        abstract: "A libpod-like container runtime core: state, locks, reboot detection and refresh.",
        subcommands: [ContainerCommand.self, PS.self, Run.self, ContainerCommand.Create.self, Start.self, Stop.self,
                      Kill.self, Wait.self, Logs.self, Inspect.self, ContainerCommand.Remove.self, PodCommand.self,
                      VolumeCommand.self, SystemCommand.self, EventsCommand.self])

    @OptionGroup var global: GlobalOptions
}

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Show the events log.")

    @ParentCommand var podrt: PodrtCommand
    @OptionGroup var output: FormatOption
    @Option(help: "Only events since this time: Unix seconds, a duration (10m, 2h) or RFC 3339 UTC.")
    var since: String?

    func run() throws {
        let runtime = try podrt.global.open()
        var sinceTime: WallTime?
        if let since {
            guard let parsed = Timestamp.parseSince(since, now: runtime.machine.clock.wallNow()) else {
                throw ValidationError("cannot read --since \(since)")
            }
            sinceTime = parsed
        }
        // A line that is not an event is reported where it is (file:line and why) and the others still print;
        // then exit 1, as for a listing with an unreadable row.
        var failed = false
        for line in try runtime.events.readEach(since: sinceTime) {
            switch line {
            case let .success(event): print(output.json ? event.json.serialized() : event.text)
            case let .failure(error):
                printError("Error: \(error)")
                failed = true
            }
        }
        if failed { throw ExitFailure(code: 1) }
    }
}
