import ArgumentParser
import Core
import Podrt

struct ContainerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container", abstract: "Manage containers.", subcommands: [Create.self, Remove.self, PS.self, SetState.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a container.")

        @ParentCommand var podrt: PodrtCommand
        @Option(help: "Name of the container (a random adjective_surname when missing).")
        var name: String?
        @Option(help: "Pod (name or id) to put the container in.")
        var pod: String?
        @Option(name: [.customShort("v"), .long], help: "A named volume to mount, NAME:/destination.")
        var volume: [String] = []
        @Option(help: "Directory holding the container's root file system.")
        var rootfs: String
        @Argument(parsing: .postTerminator, help: "The command to run.")
        var command: [String] = []

        func run() throws {
            let mounts = try volume.map { spec -> VolumeMount in
                let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, parts[1].hasPrefix("/") else {
                    throw ValidationError("--volume wants NAME:/destination, not \(spec)")
                }
                return VolumeMount(volume: parts[0], destination: parts[1])
            }
            let runtime = try podrt.global.open()
            let container = try runtime.createContainer(name: name, pod: pod, volumes: mounts, rootfs: rootfs,
                                                        command: command)
            print(container.id)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove containers.")

        @ParentCommand var podrt: PodrtCommand
        @Flag(name: .shortAndLong, help: "Remove running containers too.")
        var force = false
        @Argument(help: "Names or ids of the containers.")
        var containers: [String]

        func run() throws {
            let runtime = try podrt.global.open()
            try removeEach(containers) {
                try runtime.removeContainer($0, force: force)
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

/// Removes each named object, printing it; the first failure is reported, the rest still run.
func removeEach(_ keys: [String], _ remove: (String) throws -> Void) throws {
    var failed = false
    for key in keys {
        do {
            try remove(key)
            print(key)
        } catch {
            printError("Error: \(error)")
            failed = true
        }
    }
    if failed { throw ExitFailure(code: 1) }
}

struct PS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps", abstract: "List containers.",
        discussion: "A container whose row in the state database does not read is not listed: it is reported on "
            + "standard error (naming the container and the database), the others are listed, and podrt exits 1.")

    @ParentCommand var podrt: PodrtCommand
    @OptionGroup var output: FormatOption
    @Flag(name: .shortAndLong, help: "Show every container, not only running ones.")
    var all = false

    func run() throws {
        let runtime = try podrt.global.open()
        let containers = try runtime.listContainers(all: all)
        let pods = try runtime.listPods().objects  // for pod names only: `pod ls` reports its own rows
        print(output.json ? Listings.containers(containers.objects, pods: pods).prettyPrinted()
                          : Listings.containerTable(containers.objects, pods: pods))
        try reportUnreadable(containers.unreadable)
    }
}
