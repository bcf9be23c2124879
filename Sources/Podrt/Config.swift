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
    /// The user's uid when podrt runs rootless (not as root), else nil (`RuntimeConfig(user:)`).
    public var rootlessUID: UInt32?
    /// And its gid: a rootless container maps its root to this uid and gid (`runc --rootless true`).
    public var rootlessGID: UInt32 = 0
    /// The default OCI runtime, a key of `runtimes`.
    public var runtime = "runc"
    /// Candidate paths of conmon; empty means the built-in search list.
    public var conmonPath: [String] = []
    /// Candidate paths of podrt's container monitor (`[engine] monitor_path`); the command line puts the one
    /// beside the podrt binary first.
    public var monitorPath: [String] = ["/usr/libexec/podrt/podrt-monitor", "/usr/local/libexec/podrt/podrt-monitor"]
    /// Candidate paths of the init binary for `--init` (podman's `[containers] init_path`, read here from
    /// `[engine] init_path`): Debian's catatonit, which podman uses.
    public var initPath: [String] = ["/usr/libexec/podman/catatonit", "/usr/bin/catatonit"]
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
    /// store on a machine has its own (podman shares one `/libpod_lock` per machine). Rootless, the name
    /// also carries the uid, as podman's `/libpod_rootless_lock_<uid>`: `/dev/shm/podrt_rootless_lock_<uid>_<hash>`.
    public var lockSegmentPath: String {
        guard lockPath.isEmpty else { return lockPath }
        guard let rootlessUID else { return "/dev/shm/podrt_lock_" + Self.storeHash(staticDir) }
        return "/dev/shm/podrt_rootless_lock_\(rootlessUID)_" + Self.storeHash(staticDir)
    }

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
    /// Applies a containers.conf-style document: the keys podrt knows in `[engine]` and `[engine.runtimes]`.
    /// Unknown keys and tables are ignored, as podman does; a known key of the wrong type names file, line and key.
    /// Returns where the document sets `engine.runtime`, if it does (for `checkRuntime`).
    @discardableResult
    public mutating func apply(_ document: TOMLTable, file: String) throws -> (file: String, line: Int)? {
        guard let engine = try table(document, "engine", file: file, line: 1) else { return nil }
        for key in engine.keys {
            let line = engine.line(of: key) ?? 1
            let value = engine[key]!
            func fail(_ expected: String) -> ConfigError {
                ConfigError(file: file, line: line, message: "engine.\(key) must be \(expected), not \(value.kindName)")
            }
            func string() throws -> String {
                guard case let .string(text) = value else { throw fail("a string") }
                return text
            }
            func strings(_ value: TOMLValue, name: String) throws -> [String] {
                guard case let .array(items) = value else {
                    throw ConfigError(file: file, line: line, message: "\(name) must be an array of strings, not \(value.kindName)")
                }
                return try items.map {
                    guard case let .string(text) = $0 else {
                        throw ConfigError(file: file, line: line,
                                          message: "\(name) must be an array of strings; it holds \($0.kindName)")
                    }
                    return text
                }
            }
            switch key {
            case "num_locks":
                guard case let .integer(number) = value else { throw fail("an integer") }
                numLocks = try Self.checkedNumLocks(number, file: file, line: line)
            case "lock_type": lockType = try Self.checkedLockType(try string(), file: file, line: line)
            case "tmp_dir": tmpDir = try string()
            case "static_dir": staticDir = try string()
            case "events_logfile_path": eventsLogfilePath = try string()
            case "lock_path": lockPath = try string()
            case "runtime": runtime = try string()
            case "conmon_path":
                if case let .string(path) = value { conmonPath = [path] } else {
                    conmonPath = try strings(value, name: "engine.conmon_path")
                }
            case "init_path":
                if case let .string(path) = value { initPath = [path] } else {
                    initPath = try strings(value, name: "engine.init_path")
                }
            case "monitor_path":
                if case let .string(path) = value { monitorPath = [path] } else {
                    monitorPath = try strings(value, name: "engine.monitor_path")
                }
            case "runtimes":
                guard let table = try self.table(engine, key, file: file, line: line, name: "engine.runtimes") else { break }
                for name in table.keys {
                    let line = table.line(of: name) ?? line
                    do { runtimes[name] = try strings(table[name]!, name: "engine.runtimes.\(dotted([name]))") } catch var error as ConfigError {
                        error.line = line
                        throw error
                    }
                }
            default: continue
            }
        }
        return engine.line(of: "runtime").map { (file, $0) }
    }

    /// `parent[key]` when it is a table; nil when absent; an error when it is something else.
    private func table(_ parent: TOMLTable, _ key: String, file: String, line: Int, name: String? = nil) throws -> TOMLTable? {
        guard let value = parent[key] else { return nil }
        guard case let .table(table) = value else {
            throw ConfigError(file: file, line: parent.line(of: key) ?? line,
                              message: "\(name ?? key) must be a table, not \(value.kindName)")
        }
        return table
    }

    /// The default runtime must be one of `runtimes`: checked once every file and flag has been applied.
    /// `setAt` is the file and line that last set `runtime`, if a file did.
    public func checkRuntime(setAt: (file: String, line: Int)? = nil) throws {
        guard runtimes[runtime] == nil else { return }
        throw ConfigError(file: setAt?.file, line: setAt?.line,
                          message: "unknown default runtime \"\(runtime)\": not in [engine.runtimes]")
    }

    /// Applies command-line overrides and checks the result (`runtimeSetAt`: as for `checkRuntime`).
    public mutating func apply(_ overrides: ConfigOverrides, runtimeSetAt: (file: String, line: Int)? = nil) throws {
        if let value = overrides.staticDir { staticDir = value }
        if let value = overrides.tmpDir { tmpDir = value }
        if let value = overrides.numLocks { numLocks = try Self.checkedNumLocks(value, file: nil, line: nil) }
        if let value = overrides.lockType { lockType = try Self.checkedLockType(value, file: nil, line: nil) }
        if let value = overrides.runtime { runtime = value }
        try checkRuntime(setAt: overrides.runtime == nil ? runtimeSetAt : nil)
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
}
