// What the generator intends to do, computed without touching any file: the plan. A writer applies it; the
// `--explain` mode prints it.

/// One change to the file system. Paths are absolute or relative to the working directory, as systemd joins
/// them (`path_join`).
public enum PlanOperation: Equatable, Sendable {
    /// `mkdir` of `path` with `mode`, its missing parents with `parentMode`; an existing directory is fine.
    case makeDirectory(path: Bytes, mode: UInt16, parentMode: UInt16)
    /// A new unit file: it must not exist yet (`O_EXCL`). Written whole, then renamed into place.
    case createUnit(path: Bytes, contents: Bytes)
    /// A drop-in: its directory is created (0755) and any older file is replaced atomically.
    case replaceDropIn(path: Bytes, contents: Bytes)
    /// A symbolic link, its directory created (0755); an existing entry is left alone.
    case symlink(path: Bytes, target: Bytes)

    public var path: Bytes {
        switch self {
        case .makeDirectory(let path, _, _), .createUnit(let path, _), .replaceDropIn(let path, _),
             .symlink(let path, _):
            return path
        }
    }
}

/// The operations of one crypttab line or command-line device. They are applied together or not at all.
public struct PlanEntry: Equatable, Sendable {
    /// The volume name, for messages.
    public var name: Bytes
    public var operations: [PlanOperation]
    public init(name: Bytes, operations: [PlanOperation]) {
        self.name = name
        self.operations = operations
    }
}

/// Everything the generator will do, and what it logged while deciding.
public struct GeneratorPlan: Equatable, Sendable {
    public var entries: [PlanEntry] = []
    public var messages: [LogMessage] = []
    /// Set when any entry failed or reading the crypttab failed: the process exits with status 1.
    public var failed = false

    public init() {}

    public var exitStatus: Int32 { failed ? 1 : 0 }

    /// Every operation, in order.
    public var operations: [PlanOperation] { entries.flatMap(\.operations) }
}
