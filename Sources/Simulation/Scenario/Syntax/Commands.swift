/// One simulated process a step starts: the generator, or one podrt command (`PodrtCommand`).
public struct Command: Hashable, Sendable, CustomStringConvertible {
    public enum Program: Hashable, Sendable {
        /// The cryptsetup generator; with a fixture case, its crypttab, command line and environment.
        case generator(fixture: String?)
        case podrt(PodrtCommand)
    }
    public var program: Program
    /// Kill the process at its op number N (`@crash N`).
    public var crashAtOp: Int?

    public init(program: Program, crashAtOp: Int? = nil) {
        self.program = program
        self.crashAtOp = crashAtOp
    }

    /// The line as a scenario would write it (without `@crash`).
    public var description: String {
        switch program {
        case let .generator(fixture): return fixture.map { "generator fixture=\($0)" } ?? "generator"
        case let .podrt(command): return "podrt " + command.words.joined(separator: " ")
        }
    }
}

/// The kinds of podrt object a scenario names (podrt's `ObjectKind`).
public enum PodrtObjectKind: String, CaseIterable, Hashable, Sendable {
    case container, pod, volume
}

/// The podrt vocabulary of scenario files (scenarios/README.md, "podrt words"), checked by the parser, so a
/// runner never meets a command it does not know.
public enum PodrtCommand: Hashable, Sendable {
    case ps, info, locks, renumber, reset
    /// podrt's real start, run (create, then start; `exitCode`: its command exits at once with it), stop
    /// and kill, over the machine's OCI runtime (scenarios/README.md, "Containers").
    case start(String)
    case run(String, exitCode: Int?)
    case stop(String)
    case kill(String)
    case createContainer(name: String, pod: String?, volumes: [String])
    case createPod(String)
    case createVolume(String)
    /// `create containers|pods|volumes PREFIX N`: PREFIX0 … PREFIX(N−1), in one process.
    case createMany(PodrtObjectKind, prefix: String, count: Int)
    /// `rm KIND NAME` refuses an object in use, as podman's `rm` does; `rm -f` takes what uses it along
    /// (scenarios/README.md, "rm").
    case remove(PodrtObjectKind, name: String, force: Bool)

    /// The words after `podrt`, as the parser reads them.
    public var words: [String] {
        switch self {
        case .ps: return ["ps"]
        case .info: return ["info"]
        case .locks: return ["locks"]
        case .renumber: return ["renumber"]
        case .reset: return ["reset"]
        case let .start(name): return ["start", name]
        case let .run(name, code): return ["run", name] + (code.map { ["exit=\($0)"] } ?? [])
        case let .stop(name): return ["stop", name]
        case let .kill(name): return ["kill", name]
        case let .createContainer(name, pod, volumes):
            return ["create", "container", name] + (pod.map { ["pod=" + $0] } ?? []) + volumes.map { "volume=" + $0 }
        case let .createPod(name): return ["create", "pod", name]
        case let .createVolume(name): return ["create", "volume", name]
        case let .createMany(kind, prefix, count): return ["create", kind.rawValue + "s", prefix, String(count)]
        case let .remove(kind, name, force): return ["rm"] + (force ? ["-f"] : []) + [kind.rawValue, name]
        }
    }
}

/// One `config KEY=VALUE`: podrt configuration for the later commands.
public enum ConfigSetting: Hashable, Sendable {
    case numLocks(Int)
    case tmpDir(String)
    case staticDir(String)
    /// `shm` or `file` (podrt's `LockType`).
    case lockType(String)

    /// As the scenario writes it: `num_locks=64`.
    public var text: String {
        switch self {
        case let .numLocks(count): return "num_locks=\(count)"
        case let .tmpDir(path): return "tmp_dir=\(path)"
        case let .staticDir(path): return "static_dir=\(path)"
        case let .lockType(type): return "lock_type=\(type)"
        }
    }
}
