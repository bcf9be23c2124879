import ArgumentParser
import Core
import Podrt

struct ContainerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container", abstract: "Manage containers.", subcommands: [Create.self, Run.self, Start.self, Stop.self, Kill.self, Wait.self, Logs.self,
                                         Inspect.self, Remove.self, PS.self, SetState.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a container.")

        @ParentCommand var podrt: PodrtCommand
        @OptionGroup var spec: ContainerSpecOptions

        func run() throws {
            print(try spec.create(try podrt.global.open()).id)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove containers.")

        @ParentCommand var podrt: PodrtCommand
        @Flag(name: .shortAndLong, help: "Remove running containers too (killed through the OCI runtime).")
        var force = false
        @Flag(name: .shortAndLong, help: "Remove every container.")
        var all = false
        @Argument(help: "Names or ids of the containers.")
        var containers: [String] = []

        func run() throws {
            let runtime = try podrt.global.open()
            let keys = all ? try runtime.containers(all: true).map(\.id) : containers
            try removeEach(keys, code: Self.exitCode) {
                try runtime.removeContainer($0, force: force)
            }
        }

        /// podman-rm(1)'s exit status: 1 when a container does not exist, 2 when one runs (without
        /// `--force`), 125 for any other failure; with several failures the highest.
        static func exitCode(_ error: any Error) -> Int32 {
            switch error {
            case StateError.noSuch(.container, _): return 1
            case RuntimeError.containersRunning: return 2
            default: return 125
            }
        }
    }
}

extension ContainerCommand {
    /// For harnesses (bootsim's FUSE mode): records a state as an OCI runtime would report it, without
    /// running anything, e.g. `running` with a pid so that the next boot's refresh must reset it.
    struct SetState: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-state", shouldDisplay: false)
        @ParentCommand var podrt: PodrtCommand
        @Argument var container: String
        @Argument var state: String
        @Option var pid: Int32 = 0

        func run() throws {
            guard let value = ContainerState(rawValue: state) else { throw ValidationError("unknown state '\(state)'") }
            let runtime = try podrt.global.open()
            try runtime.setState(try runtime.lookupContainer(container), value, pid: pid)
        }
    }
}

/// Removes each named object, printing it; the first failure is reported, the rest still run; then exit
/// `code`: 1 as podman's rm (an object that did not exist), 125 as its start, stop and kill.
func removeEach(_ keys: [String], code: Int32 = 1, _ remove: (String) throws -> Void) throws {
    try removeEach(keys, code: { _ in code }, remove)
}

/// The same, with an exit status per failure (`code`); the run exits with the highest.
func removeEach(_ keys: [String], code: (any Error) -> Int32, _ remove: (String) throws -> Void) throws {
    var status: Int32 = 0
    for key in keys {
        do {
            try remove(key)
            print(key)
        } catch {
            printError("Error: \(error)")
            status = max(status, code(error))
        }
    }
    if status != 0 { throw ExitFailure(code: status) }
}
