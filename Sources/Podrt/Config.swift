import Core
/// Which lock manager backs object locks.
public enum LockType: String, Hashable, Sendable, CaseIterable {
    case shm, file
}

/// The runtime's configuration: containers.conf's `[engine]` table, then the command-line overrides.
public struct RuntimeConfig: Hashable, Sendable {
    public var numLocks: UInt32 = 2048
    public var lockType: LockType = .shm
    /// Per-boot state: the alive file, its lock, file locks. Should be on tmpfs.
    public var tmpDir = "/run/podrt"
    /// Persistent state: the database.
    public var staticDir = "/var/lib/podrt"
    /// Where events go; empty means `<static_dir>/events/events.log` (persistent, so a boot's refresh stays visible).
    public var eventsLogfilePath = ""
    /// The SHM lock segment as configured (`[engine] lock_path`); empty means one derived from the store
    /// (`lockSegmentPath`).
    public var lockPath = ""
    /// The default OCI runtime, a key of `runtimes`.
    public var runtime = "runc"
    /// Candidate paths of conmon; empty means the built-in search list.
    public var conmonPath: [String] = []
    /// Candidate paths of podrt's container monitor (`[engine] monitor_path`); the command line puts the one
    /// beside the podrt binary first.
    public var monitorPath: [String] = ["/usr/libexec/podrt/podrt-monitor", "/usr/local/libexec/podrt/podrt-monitor"]
    /// OCI runtime name → candidate paths, searched in order.
    public var runtimes: [String: [String]] = RuntimeConfig.defaultRuntimes

    public static let maxNumLocks: UInt32 = 1 << 20

    public static let defaultRuntimes: [String: [String]] = [
        "runc": ["/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc", "/usr/local/sbin/runc", "/sbin/runc",
                 "/bin/runc", "/usr/lib/cri-o-runc/sbin/runc"],
        "crun": ["/usr/bin/crun", "/usr/sbin/crun", "/usr/local/bin/crun", "/usr/local/sbin/crun", "/sbin/crun",
                 "/bin/crun"],
    ]

    public init() {}

    public var eventsLog: String {
        eventsLogfilePath.isEmpty ? staticDir + "/events/events.log" : eventsLogfilePath
    }

    public var databasePath: String { staticDir + "/podrt.db" }
    public var alivePath: String { tmpDir + "/alive" }
    public var aliveLockPath: String { tmpDir + "/alive.lck" }
    public var fileLocksDir: String { tmpDir + "/locks" }
    /// The SHM lock segment: `lock_path`, else `/dev/shm/podrt_lock_` and a hash of `static_dir`, so every
    /// store on a machine has its own (podman shares one `/libpod_lock` per machine).
    public var lockSegmentPath: String { lockPath.isEmpty ? "/dev/shm/podrt_lock_" + Self.storeHash(staticDir) : lockPath }

    /// 16 hex digits of the FNV-1a hash of `text`: stable across runs and machines.
    static func storeHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// A bad configuration value. `file` and `line` name where it was written, when it came from a file.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var message: String

    public var description: String {
        guard let file else { return message }
        return line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
    }
}

/// Command-line overrides (`--root`, `--runroot`, `--num-locks`, `--lock-type`), applied after the file.
public struct ConfigOverrides: Hashable, Sendable {
    public var staticDir: String?
    public var tmpDir: String?
    public var numLocks: Int64?
    public var lockType: String?
    public var runtime: String?
    public init() {}
}

extension RuntimeConfig {
    /// Applies the entries of a containers.conf-style file. Unknown keys are ignored, as podman does.
    public mutating func apply(_ entries: [TOMLEntry], file: String) throws {
        for entry in entries {
            func fail(_ message: String) -> ConfigError { ConfigError(file: file, line: entry.line, message: message) }
            func string() throws -> String {
                guard case let .string(value) = entry.value else { throw fail("\(entry.key) must be a string") }
                return value
            }
            func strings() throws -> [String] {
                guard case let .array(items) = entry.value else { throw fail("\(entry.key) must be an array") }
                return try items.map {
                    guard case let .string(value) = $0 else { throw fail("\(entry.key) must hold strings") }
                    return value
                }
            }
            switch (entry.table, entry.key) {
            case ("engine", "num_locks"):
                guard case let .integer(value) = entry.value else { throw fail("num_locks must be an integer") }
                numLocks = try Self.checkedNumLocks(value, file: file, line: entry.line)
            case ("engine", "lock_type"):
                lockType = try Self.checkedLockType(try string(), file: file, line: entry.line)
            case ("engine", "tmp_dir"): tmpDir = try string()
            case ("engine", "static_dir"): staticDir = try string()
            case ("engine", "events_logfile_path"): eventsLogfilePath = try string()
            case ("engine", "lock_path"): lockPath = try string()
            case ("engine", "runtime"): runtime = try string()
            case ("engine", "conmon_path"):
                if case .string = entry.value { conmonPath = [try string()] } else { conmonPath = try strings() }
            case ("engine", "monitor_path"):
                if case .string = entry.value { monitorPath = [try string()] } else { monitorPath = try strings() }
            case ("engine.runtimes", _): runtimes[entry.key] = try strings()
            default: continue
            }
        }
        if runtimes[runtime] == nil {
            let line = entries.last { $0.table == "engine" && $0.key == "runtime" }?.line
            throw ConfigError(file: file, line: line, message: "unknown default runtime \"\(runtime)\": not in [engine.runtimes]")
        }
    }

    /// Applies command-line overrides and checks the result.
    public mutating func apply(_ overrides: ConfigOverrides) throws {
        if let value = overrides.staticDir { staticDir = value }
        if let value = overrides.tmpDir { tmpDir = value }
        if let value = overrides.numLocks { numLocks = try Self.checkedNumLocks(value, file: nil, line: nil) }
        if let value = overrides.lockType { lockType = try Self.checkedLockType(value, file: nil, line: nil) }
        if let value = overrides.runtime { runtime = value }
        if runtimes[runtime] == nil {
            throw ConfigError(message: "unknown default runtime \"\(runtime)\": not in [engine.runtimes]")
        }
    }

    static func checkedNumLocks(_ value: Int64, file: String?, line: Int?) throws -> UInt32 {
        guard value >= 1, value <= Int64(maxNumLocks) else {
            throw ConfigError(file: file, line: line,
                              message: "num_locks must be between 1 and \(maxNumLocks), not \(value)")
        }
        return UInt32(value)
    }

    static func checkedLockType(_ value: String, file: String?, line: Int?) throws -> LockType {
        guard let type = LockType(rawValue: value) else {
            throw ConfigError(file: file, line: line, message: "unknown lock type \"\(value)\": use shm or file")
        }
        return type
    }

    /// Reads the configuration: the file at `path` (if given, or if the default exists), then the overrides.
    public static func load(
        fileSystem: any FileSystem, path: String?, overrides: ConfigOverrides,
        defaultPath: String = "/etc/podrt/containers.conf"
    ) throws -> RuntimeConfig {
        var config = RuntimeConfig()
        let file = path ?? defaultPath
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.readFile(file, limit: 1 << 20)
        } catch Errno.noSuchFileOrDirectory where path == nil {
            bytes = []
        } catch let error as Errno {
            throw ConfigError(file: file, message: "cannot read: \(error)")
        }
        if !bytes.isEmpty || path != nil {
            try config.apply(try parseTOML(String(decoding: bytes, as: UTF8.self), file: file), file: file)
        }
        try config.apply(overrides)
        return config
    }
}
