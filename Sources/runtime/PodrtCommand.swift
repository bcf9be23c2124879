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
