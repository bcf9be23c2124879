import Core
@_spi(BugInjection) import Podrt
import SimFS

/// podrt commands as simulated processes: real Core runtime code over the process's machine, its state
/// database through the FileSystem VFS.
extension Runner {
    func podrtProgram(_ command: PodrtCommand, crashAtOp: Int?) -> ProgramSpec {
        let config = self.config, bugs = options.bugs.runtime, changes = self.changes, world = self.world
        return ProgramSpec(name: "podrt-" + command.words[0], crashAtOp: crashAtOp) { machine, process in
            var options = RuntimeOptions(config: config)
            options.ociRuntime = SimOCIRuntime(world: world, caller: process.pid, machine: machine,
                                               stateDirectory: config.tmpDir + "/runc")
            options.forRenumber = command == .renumber
            options.injectedBugs = bugs
            // What this process creates and removes, in the order it does, for the ledger (ScenarioDriver+Ledger).
            options.observer = { [changes] change in changes.append(ObservedChange(serial: process.serial, change: change)) }
            do {
                let runtime = try Runtime(machine: machine, options: options)
                try Runner.execute(command, runtime, process)
                return 0
            } catch {
                process.note = "\(error)"
                return error is ProcessKilled ? 137 : 1
            }
        }
    }

    /// The podrt vocabulary of scenario files (the parser has checked it: `PodrtCommand`).
    static func execute(_ command: PodrtCommand, _ runtime: Runtime, _ process: ScheduledProcess) throws {
        switch command {
        case .ps, .info:
            _ = try runtime.containers()
        case .locks:
            _ = try runtime.lockReport()
        case .renumber:
            try runtime.renumber()
        case .reset:
            try runtime.reset()
        case .start, .run, .stop, .kill:
            try executeContainerCommand(command, runtime, process)
        case let .createContainer(name, pod, volumes):
            _ = try runtime.createContainer(name: name, pod: pod,
                                            volumes: volumes.map { VolumeMount(volume: $0, destination: "/data") },
                                            rootfs: "/var/lib/rootfs", command: Runner.containerCommand)
        case let .createPod(name):
            _ = try runtime.createPod(name: name)
        case let .createVolume(name):
            _ = try runtime.createVolume(name: name)
        case let .createMany(kind, prefix, count):
            for index in 0..<count {
                let name = "\(prefix)\(index)"
                switch kind {
                case .container: _ = try runtime.createContainer(name: name, rootfs: "/var/lib/rootfs", command: Runner.containerCommand)
                case .pod: _ = try runtime.createPod(name: name)
                case .volume: _ = try runtime.createVolume(name: name)
                }
            }
        // `rm X` removes the object named X, else the one whose id is or starts with X (as podman does); the
        // name it resolves to is noted first, for the ledger's check of what a forced removal takes along.
        // Without `-f` podrt refuses an object in use, as podman's `rm` does (scenarios/README.md, "rm").
        case let .remove(.container, name, force):
            process.resolvedName = try runtime.lookupContainer(name).name
            try runtime.removeContainer(process.resolvedName!, force: force)
        case let .remove(.pod, name, force):
            process.resolvedName = try runtime.lookupPod(name).name
            try runtime.removePod(process.resolvedName!, force: force)
        case let .remove(.volume, name, force):
            process.resolvedName = try runtime.lookupVolume(name).name
            try runtime.removeVolume(process.resolvedName!, force: force)
        }
    }
}

/// podrt's configuration, on every driver.
extension ScenarioDriver {
    func applyConfig(_ settings: [ConfigSetting]) {
        for setting in settings {
            switch setting {
            case let .numLocks(count): config.numLocks = UInt32(count)
            case let .tmpDir(path): config.tmpDir = path
            case let .staticDir(path): config.staticDir = path
            case let .lockType(name): config.lockType = LockType(rawValue: name)!
            }
        }
    }
}
