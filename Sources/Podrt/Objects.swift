import Core
/// A container's life-cycle state, as podman names them.
public enum ContainerState: String, Hashable, Sendable, CaseIterable {
    case unknown, configured, created, running, stopped, paused, stopping, exited, removing

    /// What refresh turns it into after a reboot (podman 5's `resetContainerState`).
    public var afterReboot: ContainerState {
        switch self {
        case .running, .paused, .stopping, .stopped, .exited: return .exited
        case .configured, .created, .unknown: return .configured
        case .removing: return .removing
        }
    }
}

/// A named volume mounted into a container.
public struct VolumeMount: Hashable, Sendable {
    public var volume: String
    public var destination: String
    /// `-v NAME:/dst:ro`.
    public var readOnly: Bool
    public init(volume: String, destination: String, readOnly: Bool = false) {
        self.volume = volume
        self.destination = destination
        self.readOnly = readOnly
    }
}

/// A container: its config (stored as JSON) plus its per-boot state (stored in columns).
public struct Container: Hashable, Sendable {
    public var id: String
    public var name: String
    public var lockID: UInt32
    public var podID: String?
    /// Wall-clock creation time, in nanoseconds since the epoch.
    public var created: Int64
    public var rootfs: String
    public var command: [String]
    public var volumes: [VolumeMount]
    public var runtime: String
    /// `-e K=V`, added to the process's environment after podman's default `PATH`.
    public var environment: [String] = []
    /// `-w DIR`, the process's working directory.
    public var workingDirectory = "/"
    /// `--init`: an init process (catatonit) runs as pid 1 and runs the command (podman's `--init`).
    public var runsInit = false

    // Per-boot state.
    public var state: ContainerState = .configured
    public var pid: Int32 = 0
    public var conmonPID: Int32 = 0
    public var mountpoint = ""
    public var execSessions: [String] = []

    public init(id: String, name: String, lockID: UInt32, podID: String?, created: Int64, rootfs: String,
                command: [String], volumes: [VolumeMount], runtime: String) {
        self.id = id
        self.name = name
        self.lockID = lockID
        self.podID = podID
        self.created = created
        self.rootfs = rootfs
        self.command = command
        self.volumes = volumes
        self.runtime = runtime
    }

    var configJSON: JSON {
        .object([
            ("rootfs", .string(rootfs)),
            ("command", .array(command.map(JSON.string))),
            ("volumes", .array(volumes.map { .object([("name", .string($0.volume)), ("dest", .string($0.destination)), ("ro", .bool($0.readOnly))]) })),
            ("runtime", .string(runtime)),
            ("env", .array(environment.map(JSON.string))),
            ("workdir", .string(workingDirectory)),
        ] + (runsInit ? [("init", .bool(true))] : []))
    }
}

/// A pod: a named group of containers with its own lock.
public struct Pod: Hashable, Sendable {
    public var id: String
    public var name: String
    public var lockID: UInt32
    public var created: Int64
    /// Per-boot state.
    public var cgroupPath = ""

    public init(id: String, name: String, lockID: UInt32, created: Int64) {
        self.id = id
        self.name = name
        self.lockID = lockID
        self.created = created
    }
}

/// A named volume with its own lock.
public struct Volume: Hashable, Sendable {
    public var name: String
    public var lockID: UInt32
    public var created: Int64
    public var driver = "local"
    /// Per-boot state.
    public var mountCount: Int64 = 0
    public var mountpoint = ""

    public init(name: String, lockID: UInt32, created: Int64) {
        self.name = name
        self.lockID = lockID
        self.created = created
    }
}

/// Which kind of object holds a lock or a name.
public enum ObjectKind: String, Hashable, Sendable {
    case container, pod, volume
}

/// An object that owns a lock, as `system locks` and refresh see it.
public struct LockOwner: Hashable, Sendable {
    public var kind: ObjectKind
    public var id: String
    public var name: String
    public var lockID: UInt32
}
