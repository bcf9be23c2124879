import Core
@_spi(BugInjection) import Podrt
import SimFS

/// podrt commands as simulated processes: real Core runtime code over the process's machine, its state
/// database through the FileSystem VFS.
extension Runner {
    func podrtProgram(_ words: [String], crashAtOp: Int?) -> ProgramSpec {
        let config = self.config, bugs = options.bugs.runtime
        return ProgramSpec(name: "podrt-" + (words.first ?? ""), crashAtOp: crashAtOp) { machine, process in
            var options = RuntimeOptions(config: config)
            options.forRenumber = words.first == "renumber"
            options.injectedBugs = bugs
            do {
                let runtime = try Runtime(machine: machine, options: options)
                try Runner.execute(words, runtime, process)
                return 0
            } catch {
                process.note = "\(error)"
                return error is ProcessKilled ? 137 : 1
            }
        }
    }

    /// The podrt vocabulary of scenario files.
    static func execute(_ words: [String], _ runtime: Runtime, _ process: ScheduledProcess) throws {
        func argument(_ index: Int) throws -> String {
            guard index < words.count else { throw ScenarioCommandError(words: words) }
            return words[index]
        }
        switch (words[0], words.count > 1 ? words[1] : "") {
        case ("ps", _), ("info", _):
            _ = try runtime.containers()
        case ("locks", _):
            _ = try runtime.lockReport()
        case ("renumber", _):
            try runtime.renumber()
        case ("reset", _):
            try runtime.reset()
        case ("start", _):
            try runtime.setState(try runtime.lookupContainer(try argument(1)), .running, pid: 4242)
        case ("create", "container"):
            let volumes = words.dropFirst(3).filter { $0.hasPrefix("volume=") }
                .map { VolumeMount(volume: String($0.dropFirst(7)), destination: "/data") }
            let pod = words.dropFirst(3).first { $0.hasPrefix("pod=") }.map { String($0.dropFirst(4)) }
            _ = try runtime.createContainer(name: try argument(2), pod: pod, volumes: volumes, rootfs: "/var/lib/rootfs")
        case ("create", "pod"):
            _ = try runtime.createPod(name: try argument(2))
        case ("create", "volume"):
            _ = try runtime.createVolume(name: try argument(2))
        case ("create", "containers"), ("create", "pods"), ("create", "volumes"):
            let prefix = try argument(2)
            guard let count = Int(try argument(3)) else { throw ScenarioCommandError(words: words) }
            for index in 0..<count {
                let name = "\(prefix)\(index)"
                switch words[1] {
                case "containers": _ = try runtime.createContainer(name: name, rootfs: "/var/lib/rootfs")
                case "pods": _ = try runtime.createPod(name: name)
                default: _ = try runtime.createVolume(name: name)
                }
            }
        // `rm X` removes the object named X, else the one whose id is or starts with X (as podman does), so
        // the name it resolves to is noted first: that object is the one the ledger stops promising.
        case ("rm", "container"):
            process.removing = try runtime.lookupContainer(try argument(2)).name
            try runtime.removeContainer(process.removing!, force: true)
        case ("rm", "pod"):
            process.removing = try runtime.lookupPod(try argument(2)).name
            try runtime.removePod(process.removing!, force: true)
        case ("rm", "volume"):
            process.removing = try runtime.lookupVolume(try argument(2)).name
            try runtime.removeVolume(process.removing!, force: true)
        default:
            throw ScenarioCommandError(words: words)
        }
    }

}

/// The ledger's side of podrt commands, on every driver.
extension ScenarioDriver {
    /// What a successful command means for the ledger.
    func record(_ command: Command, _ process: any ProcessOutcome) {
        guard case let .podrt(words) = command.program else { return }
        ledger.podrtSucceededThisBoot = true
        let kind = words.count > 1 ? words[1] : ""
        switch (words[0], kind) {
        case ("create", "container"), ("create", "pod"), ("create", "volume"):
            ledger.reported.insert("\(kind) \(words[2])")
        case ("create", "containers"), ("create", "pods"), ("create", "volumes"):
            for index in 0..<(Int(words[3]) ?? 0) { ledger.reported.insert("\(kind.dropLast()) \(words[2])\(index)") }
        case ("rm", _):
            ledger.reported.remove("\(kind) \(process.removing ?? words[2])")
        case ("start", _):
            ledger.startedThisBoot.insert(kind)
        case ("reset", _):
            ledger.reported = []
        default:
            break
        }
    }

    /// A `rm` or `reset` that did not report success (or whose success a reboot left unrecorded): what it was
    /// removing may or may not be gone.
    func forgetIfRemoving(_ command: Command, _ process: any ProcessOutcome) {
        guard case let .podrt(words) = command.program else { return }
        if words[0] == "rm", words.count > 2 { ledger.reported.remove("\(words[1]) \(process.removing ?? words[2])") }
        if words[0] == "reset" { ledger.reported = [] }
    }

    func applyConfig(_ pairs: [(String, String)]) {
        for (key, value) in pairs {
            switch key {
            case "num_locks": config.numLocks = UInt32(value) ?? config.numLocks
            case "tmp_dir": config.tmpDir = value
            case "static_dir": config.staticDir = value
            case "lock_type": config.lockType = LockType(rawValue: value) ?? config.lockType
            default: break
            }
        }
    }
}

/// A podrt line in a scenario that the vocabulary does not know.
struct ScenarioCommandError: Error, CustomStringConvertible {
    var words: [String]
    var description: String { "unknown podrt command in scenario: \(words.joined(separator: " "))" }
}
