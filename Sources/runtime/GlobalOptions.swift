import ArgumentParser
import Core
import Podrt

/// The global flags, podman-style: given before the subcommand, accepted after it too.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Path of the persistent state directory (static_dir).")
    var root: String?

    @Option(help: "Path of the per-boot state directory (tmp_dir); should be on tmpfs.")
    var runroot: String?

    @Option(help: "Path of a containers.conf-style configuration file.")
    var config: String?

    @Option(name: .customLong("num-locks"), help: "Number of locks (overrides [engine] num_locks).")
    var numLocks: Int64?

    @Option(name: .customLong("lock-type"), help: "Lock manager (overrides [engine] lock_type; default: shm)")
    var lockType: LockType?

    @Option(help: "Default OCI runtime name.")
    var runtime: String?

    @Option(name: .customLong("machine-root"), help: .hidden)
    var machineRoot: String = "/"

    /// Opens the runtime: reads the configuration, then the state (refreshing after a reboot).
    func open(forRenumber: Bool = false) throws -> Runtime {
        let machine = Machine.host(root: machineRoot)
        var overrides = ConfigOverrides()
        overrides.staticDir = root
        overrides.tmpDir = runroot
        overrides.numLocks = numLocks
        overrides.lockType = lockType?.rawValue
        overrides.runtime = runtime
        var options = RuntimeOptions(config: try RuntimeConfig.load(fileSystem: machine.fileSystem, path: config,
                                                                    overrides: overrides))
        options.databasePathPrefix = machineRoot == "/" ? "" : machineRoot
        options.forRenumber = forRenumber
        let runtime = try Runtime(machine: machine, options: options)
        for warning in runtime.warnings { printError("Warning: \(warning)") }
        return runtime
    }

    /// The flags that take a value, for moving them behind the subcommand words.
    static let valueFlags: Set<String> = ["--root", "--runroot", "--config", "--num-locks", "--lock-type", "--runtime",
                                          "--machine-root"]
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
