/// One simulated process a step starts: the generator, or one podrt command (`PodrtCommand`).
public struct Command: Hashable, Sendable, CustomStringConvertible {
    public enum Program: Hashable, Sendable {
        /// The cryptsetup generator; with a fixture case, its crypttab, command line and environment.
        case generator(fixture: String?)
        case podrt(PodrtCommand)
        /// A real program (`exec …`, or `podman …` under the podman profile); FUSE mode only.
        case exec(ExecCommand)
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
        case let .exec(command): return command.description
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

/// `exec [as NAME] [env K=V…] CMD ARG…` or `podman ARG… [@repeat N]`: a real program run in a private mount
/// namespace over the machine (FUSE mode). `{i}` in an argument of a repeated command is 0 … N−1.
public struct ExecCommand: Hashable, Sendable, CustomStringConvertible {
    /// `as NAME`: how reports name the process.
    public var name: String?
    /// `env K=V`, added to the process's environment.
    public var environment: [String]
    public var arguments: [String]
    /// `podman …`: runs podman with the profile's CONTAINERS_CONF.
    public var podman: Bool
    /// `@repeat N`: N processes in a row, each after the last exited 0.
    public var repeatCount: Int

    public init(name: String? = nil, environment: [String] = [], arguments: [String], podman: Bool = false, repeatCount: Int = 1) {
        self.name = name
        self.environment = environment
        self.arguments = arguments
        self.podman = podman
        self.repeatCount = repeatCount
    }

    /// The argument vectors, `{i}` expanded.
    public var chain: [[String]] {
        let base = (podman ? ["podman"] : []) + arguments
        guard repeatCount > 1 || base.contains(where: { $0.contains("{i}") }) else { return [base] }
        return (0..<repeatCount).map { i in base.map { $0.replacingAll("{i}", with: String(i)) } }
    }

    public var description: String {
        if podman { return (["podman"] + arguments).joined(separator: " ") + (repeatCount > 1 ? " @repeat \(repeatCount)" : "") }
        return (["exec"] + (name.map { ["as", $0] } ?? []) + environment.flatMap { ["env", $0] } + arguments).joined(separator: " ")
    }
}

extension String {
    /// Every `target` replaced (no Foundation here).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
