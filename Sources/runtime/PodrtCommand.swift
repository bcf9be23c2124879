import ArgumentParser
import Core
import Podrt

/// The root command. It holds the global flags; named `PodrtCommand` so as not to shadow the `Podrt` module.
struct PodrtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "podrt",
        abstract: "A libpod-like container runtime core: state, locks, reboot detection and refresh.",
        subcommands: [ContainerCommand.self, PS.self, PodCommand.self, VolumeCommand.self, SystemCommand.self,
                      EventsCommand.self])

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
        for event in try runtime.events.read(since: sinceTime) {
            print(output.json ? event.json.serialized() : event.text)
        }
    }
}
