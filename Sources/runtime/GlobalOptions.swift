import ArgumentParser
import Core
import Glibc
import Podrt

/// The global flags, podman-style. They belong to the root command (`PodrtCommand`), whose parser takes them
/// wherever they appear: before the subcommand (podman's documented form) or after it. Subcommands read them
/// through `@ParentCommand`.
struct GlobalOptions: ParsableArguments {
    /// The built-in values, for the help texts: what applies when neither a flag nor the file sets a key.
    private static let builtIn = RuntimeConfig()

    /// podrt's own file: read when `--config` is not given, and only if it exists (after podman's files).
    static let defaultConfigPath = ConfigSources().podrtFile

    @Option(help: ArgumentHelp("Path of the persistent state directory (overrides [engine] static_dir; "
                               + "default: \(builtIn.staticDir))."))
    var root: String?

    @Option(help: ArgumentHelp("Path of the per-boot state directory, on tmpfs (overrides [engine] tmp_dir; "
                               + "default: \(builtIn.tmpDir))."))
    var runroot: String?

    @Option(help: ArgumentHelp("Path of a containers.conf-style file, read after podman's containers.conf files "
                               + "(default: \(defaultConfigPath), if it exists; see docs/configuration.md)."))
    var config: String?

    @Option(name: .customLong("num-locks"),
            help: "Number of locks (overrides [engine] num_locks; default: \(builtIn.numLocks)).")
    var numLocks: Int64?

    @Option(name: .customLong("lock-type"),
            help: "Lock manager (overrides [engine] lock_type; default: \(builtIn.lockType.rawValue))")
    var lockType: LockType?

    @Option(help: "Default OCI runtime name (overrides [engine] runtime; default: \(builtIn.runtime)).")
    var runtime: String?

    @Option(name: .customLong("machine-root"), help: .hidden)
    var machineRoot: String = "/"

    /// An empty path is a usage error naming its flag (otherwise the first mkdir of it fails, as "creating
    /// static dir : No such file or directory").
    func validate() throws {
        for (flag, value, what) in [("--root", root, "the persistent state directory"),
                                    ("--runroot", runroot, "the per-boot state directory"),
                                    ("--config", config, "a containers.conf-style file")] where value?.isEmpty == true {
            throw ValidationError("\(flag) is empty: expected the path of \(what)")
        }
    }

    /// Opens the runtime: reads the configuration, then the state (refreshing after a reboot).
    func open(forRenumber: Bool = false) throws -> Runtime {
        let machine = Machine.host(root: machineRoot)
        var overrides = ConfigOverrides()
        overrides.staticDir = root
        overrides.tmpDir = runroot
        overrides.numLocks = numLocks
        overrides.lockType = lockType?.rawValue
        overrides.runtime = runtime
        var environment: [String: String] = [:]
        for name in ["CONTAINERS_CONF", "CONTAINERS_CONF_OVERRIDE"] + User.variables {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        // Not root: podman's rootless paths (docs/configuration.md).
        let user = User(uid: geteuid(), gid: getegid(), environment: environment)
        var sources = ConfigSources(environment: environment, explicitFile: config)
        try sources.addUserFile(for: user)
        var config = try RuntimeConfig.load(fileSystem: machine.fileSystem, sources: sources, overrides: overrides,
                                            user: user)
        config.monitorPath.insert(Self.monitorBesideBinary, at: 0)
        var options = RuntimeOptions(config: config)
        options.forRenumber = forRenumber
        let runtime = try Runtime(machine: machine, options: options)
        for warning in runtime.warnings { printError("Warning: \(warning)") }
        return runtime
    }
}

extension GlobalOptions {
    /// `podrt-monitor` in the directory of the running podrt binary (`/proc/self/exe`), as built or installed.
    static var monitorBesideBinary: String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink("/proc/self/exe", &buffer, 4096)
        guard count > 0 else { return "/usr/libexec/podrt/podrt-monitor" }
        let path = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) + "/podrt-monitor"
    }
}

/// `--lock-type shm` or `--lock-type file`; anything else is a usage error that lists both.
extension LockType: ExpressibleByArgument {}

/// `--format`: a listing for people, or JSON.
struct FormatOption: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Option(help: "Output format")
    var format: Format = .table

    var json: Bool { format == .json }
}
