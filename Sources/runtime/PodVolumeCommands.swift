import ArgumentParser
import Core
import Podrt

struct PodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pod", abstract: "Manage pods.", subcommands: [Create.self, Start.self, Stop.self, Remove.self, List.self])

    /// Runs `act` on each pod and prints its id; reports each member that failed, and podman's 125 then
    /// ("error starting some containers").
    static func each(_ pods: [String], _ runtime: Runtime, _ what: String,
                     _ act: (String) throws -> [(container: String, error: any Error)]) throws {
        for pod in pods {
            let failures = try act(pod)
            for failure in failures { printError("Error: \(what) container \(failure.container) of pod \(pod): \(failure.error)") }
            guard failures.isEmpty else { throw ExitFailure(code: 125) }
            print(try runtime.lookupPod(pod).id)
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "Start pods: each pod's containers.")
        @ParentCommand var podrt: PodrtCommand
        @Argument(help: "Names or ids of the pods.")
        var pods: [String]

        func run() throws {
            let runtime = try podrt.global.open()
            try each(pods, runtime, "starting") { try runtime.startPod($0) }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop pods: each pod's running containers.")
        @ParentCommand var podrt: PodrtCommand
        @Option(name: [.customShort("t"), .customLong("time")], help: "Seconds to wait before SIGKILL.")
        var time: UInt64 = 10
        @Argument(help: "Names or ids of the pods.")
        var pods: [String]

        func run() throws {
            let runtime = try podrt.global.open()
            try each(pods, runtime, "stopping") { try runtime.stopPod($0, timeoutSeconds: time) }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a pod.")
        @ParentCommand var podrt: PodrtCommand
        @Option(help: "Name of the pod (a random adjective_surname when missing).")
        var name: String?

        func run() throws { print(try podrt.global.open().createPod(name: name).id) }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove pods.")
        @ParentCommand var podrt: PodrtCommand
        @Flag(name: .shortAndLong, help: "Remove the pods' containers too.")
        var force = false
        @Argument(help: "Names or ids of the pods.")
        var pods: [String]

        func run() throws {
            let runtime = try podrt.global.open()
            try removeEach(pods) { try runtime.removePod($0, force: force) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List pods.")
        @ParentCommand var podrt: PodrtCommand
        @OptionGroup var output: FormatOption

        func run() throws {
            let runtime = try podrt.global.open()
            let pods = try runtime.listPods()
            let containers = try runtime.listContainers(all: true).objects  // for counts: `ps -a` reports its rows
            print(output.json ? Listings.pods(pods.objects, containers: containers).prettyPrinted()
                              : Listings.podTable(pods.objects, containers: containers))
            try reportUnreadable(pods.unreadable)
        }
    }
}

struct VolumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volume", abstract: "Manage volumes.", subcommands: [Create.self, Remove.self, List.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a volume.")
        @ParentCommand var podrt: PodrtCommand
        @Argument(help: "Name of the volume (a random id when missing).")
        var name: String?

        func run() throws { print(try podrt.global.open().createVolume(name: name).name) }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove volumes.")
        @ParentCommand var podrt: PodrtCommand
        @Flag(name: .shortAndLong, help: "Remove the containers that use them too.")
        var force = false
        @Argument(help: "Names of the volumes.")
        var volumes: [String]

        func run() throws {
            let runtime = try podrt.global.open()
            try removeEach(volumes) { try runtime.removeVolume($0, force: force) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List volumes.")
        @ParentCommand var podrt: PodrtCommand
        @OptionGroup var output: FormatOption

        func run() throws {
            let volumes = try podrt.global.open().listVolumes()
            print(output.json ? Listings.volumes(volumes.objects).prettyPrinted() : Listings.volumeTable(volumes.objects))
            try reportUnreadable(volumes.unreadable)
        }
    }
}
