import Core
import Podrt
import SimFS

/// Containers in the in-process simulation: podrt's own start, stop and kill over `SimOCIRuntime`.
extension Runner {
    /// `exit NAME CODE`: the container's init, if one runs, exits with `code`; its monitor records it.
    func endContainer(_ name: String, code: Int32) -> Violation? {
        var reader = StateReader(machine: harness(), config: config)
        reader.remembered = lastReading
        let objects = reader.read(bootID: bootID).objects ?? []
        lastReading = reader.reading
        // A name, else an id or id prefix, as podrt looks a container up.
        let container = objects.first { $0.kind == "container" && $0.name == name }
            ?? objects.first { $0.kind == "container" && $0.id.hasPrefix(name) }
        if let container, let pid = world.monitoredProcess(tag: container.id) { world.exit(pid, code: code) }
        return nil
    }

    func containerInits() -> [String: Int64]? { world.monitoredInits.mapValues { Int64($0.rawValue) } }
}

extension Runner {
    /// The command of a scenario's containers: it runs until a signal or `exit NAME CODE` ends it.
    static let containerCommand = ["/bin/sleep", "infinity"]

    /// The container words of scenario files (`ContainerGrammar`), on podrt's real code paths.
    static func executeContainerCommand(_ command: PodrtCommand, _ runtime: Runtime, _ process: ScheduledProcess) throws {
        switch command {
        case let .start(name):
            // `c2` may be the id prefix of container m2: I7 must know which container was started.
            let container = try runtime.lookupContainer(name)
            process.resolvedName = container.name
            _ = try runtime.startContainer(container.id)
        case let .run(name, code):
            // `podrt run -d --name NAME --rootfs /var/lib/rootfs CMD`: created, then started.
            let command = code.map { ["/bin/sh", "-c", "exit \($0)"] } ?? containerCommand
            process.resolvedName = name
            let container = try runtime.createContainer(name: name, rootfs: "/var/lib/rootfs", command: command)
            _ = try runtime.startContainer(container.id)
        case let .stop(name):
            process.resolvedName = try runtime.lookupContainer(name).name
            try runtime.stopContainer(process.resolvedName!)
        case let .kill(name):
            process.resolvedName = try runtime.lookupContainer(name).name
            try runtime.killContainer(process.resolvedName!, signal: 9)
        default:
            preconditionFailure("not a container command: \(command)")
        }
    }
}
