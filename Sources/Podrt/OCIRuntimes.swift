import Core
/// The OCI runtimes and conmon found on the machine, searched as podman does: each configured runtime's
/// candidate paths in order, and conmon in the configured paths, then the usual places, then `$PATH`.
public struct OCIRuntimes: Hashable, Sendable {
    /// Runtime name → the first executable path found. Runtimes with none found are missing.
    public var found: [String: String]
    public var defaultName: String
    public var conmon: String?

    public static let conmonCandidates = [
        "/usr/libexec/podman/conmon", "/usr/local/libexec/podman/conmon", "/usr/local/lib/podman/conmon",
        "/usr/bin/conmon", "/usr/sbin/conmon", "/usr/local/bin/conmon", "/usr/local/sbin/conmon",
        "/run/current-system/sw/bin/conmon",
    ]

    public static func discover(config: RuntimeConfig, fileSystem: any FileSystem, path: String?) -> OCIRuntimes {
        var found: [String: String] = [:]
        for (name, candidates) in config.runtimes {
            if let hit = candidates.first(where: { isExecutable($0, fileSystem) }) { found[name] = hit }
        }
        let pathDirs = (path ?? "").split(separator: ":").map { "\($0)/conmon" }
        let conmonSearch = (config.conmonPath.isEmpty ? conmonCandidates : config.conmonPath) + pathDirs
        return OCIRuntimes(found: found, defaultName: config.runtime,
                           conmon: conmonSearch.first { isExecutable($0, fileSystem) })
    }

    static func isExecutable(_ path: String, _ fileSystem: any FileSystem) -> Bool {
        guard path.hasPrefix("/"), let status = try? fileSystem.stat(path) else { return false }
        return status.kind == .regular && status.permissions.rawValue & 0o111 != 0
    }

    /// The path of runtime `name` (the default when nil), or an error for commands that need it.
    public func require(_ name: String? = nil) throws -> String {
        let name = name ?? defaultName
        guard let path = found[name] else { throw RuntimeError.runtimeMissing(name) }
        return path
    }
}

/// Errors of the runtime as a whole.
public enum RuntimeError: Error, Hashable, Sendable, CustomStringConvertible {
    case runtimeMissing(String)
    case unknownRuntime(String)
    case containersRunning([String])
    case resetNeedsForce
    case monitorMissing([String])
    case initMissing([String])
    case alreadyRunning(String)
    case notRunning(String)
    case badRootfs(String)

    public var description: String {
        switch self {
        case let .runtimeMissing(name):
            return "OCI runtime \(name) not found: none of the paths in [engine.runtimes] \(name) is an executable"
        case let .unknownRuntime(name): return "unknown OCI runtime \(name): not in [engine.runtimes]"
        case let .containersRunning(names):
            return "containers are still running (\(names.joined(separator: ", "))): shut down with force"
        case .resetNeedsForce: return "system reset removes every container, pod and volume: pass --force"
        case let .monitorMissing(paths):
            return "podrt-monitor not found: none of [engine] monitor_path (\(paths.joined(separator: ", "))) is an executable"
        case let .initMissing(paths):
            return "--init: no init binary: none of [engine] init_path (\(paths.joined(separator: ", "))) is an executable "
                + "(Debian's catatonit package installs /usr/bin/catatonit)"
        case let .alreadyRunning(name): return "container \(name) is already running"
        case let .notRunning(name): return "container \(name) is not running"
        case let .badRootfs(path): return "--rootfs \(path) is not a directory given by its absolute path"
        }
    }
}
