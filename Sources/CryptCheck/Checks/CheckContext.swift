import Core

/// Where the checks look: the machine's files (the live system, or a tree under `--root`) and extra
/// images to scan when a `UUID=`/`LABEL=` has no `/dev/disk/by-*` link.
public struct CheckContext: Sendable {
    /// Files as the checked machine sees them (rooted at `--root`).
    public let fileSystem: any FileSystem
    /// The canonical host path of the root, "" for `/`. libcryptsetup and libblkid get host paths.
    public let hostPrefix: String
    /// Host paths of files and directories to scan for `UUID=`/`LABEL=` (`--scan`).
    public var scanPaths: [String]

    public init(fileSystem: any FileSystem, hostPrefix: String, scanPaths: [String] = []) {
        self.fileSystem = fileSystem
        self.hostPrefix = hostPrefix == "/" ? "" : hostPrefix
        self.scanPaths = scanPaths
    }

    /// Whether this is the live system (no `--root`): then blkid may look up tags itself.
    var isLive: Bool { hostPrefix.isEmpty }

    /// The host path of a path on the checked machine, every symbolic link resolved inside the root.
    func hostPath(_ path: String) throws -> String {
        hostPrefix + (try fileSystem.realpath(path))
    }
}
