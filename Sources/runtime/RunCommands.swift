import ArgumentParser
import Core
import Glibc
import Podrt

/// The flags `run` and `create` share, as podman's: the first positional argument starts the command, so
/// `podrt run --rootfs DIR sh -c 'echo hi'` needs no `--`.
struct ContainerSpecOptions: ParsableArguments {
    @Option(help: "Name of the container (a random adjective_surname when missing).")
    var name: String?
    @Option(help: "Pod (name or id) to put the container in.")
    var pod: String?
    @Option(name: [.customShort("v"), .long], help: "A named volume to mount, NAME:/destination[:ro].")
    var volume: [String] = []
    @Option(name: [.customShort("e"), .long], help: "An environment variable for the command, KEY=VALUE.")
    var env: [String] = []
    @Option(name: [.customShort("w"), .long], help: "Working directory of the command (default: /).")
    var workdir: String = "/"
    @Flag(help: "Run an init (catatonit) as pid 1 that forwards signals and reaps zombies, as podman's --init.")
    var `init` = false
    @Option(help: "Directory holding the container's root file system.")
    var rootfs: String
    @Argument(parsing: .captureForPassthrough, help: "The command to run, and its arguments.")
    var command: [String] = []

    func create(_ runtime: Runtime) throws -> Container {
        let mounts = try volume.map { spec -> VolumeMount in
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 || (parts.count == 3 && ["ro", "rw"].contains(parts[2])), parts[1].hasPrefix("/") else {
                throw ValidationError("--volume wants NAME:/destination[:ro], not \(spec)")
            }
            return VolumeMount(volume: parts[0], destination: parts[1], readOnly: parts.count == 3 && parts[2] == "ro")
        }
        for variable in env where !variable.contains("=") || variable.hasPrefix("=") {
            throw ValidationError("--env wants KEY=VALUE, not \(variable)")
        }
        guard workdir.hasPrefix("/") else { throw ValidationError("--workdir wants an absolute path, not \(workdir)") }
        // The capture starts at the first argument the parser does not know: a flag there is a mistyped one.
        if let first = command.first, first.hasPrefix("-"), first != "--" { throw ValidationError("unknown flag: \(first)") }
        let arguments = command.first == "--" ? Array(command.dropFirst()) : command
        return try runtime.createContainer(name: name, pod: pod, volumes: mounts, rootfs: absolute(rootfs),
                                           command: arguments, environment: env, workingDirectory: workdir,
                                           runsInit: `init`)
    }
}

/// A path made absolute against the working directory, as podman takes `--rootfs`.
func absolute(_ path: String) -> String {
    guard !path.hasPrefix("/") else { return path }
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let directory = String(cString: buffer)
    return (directory == "/" ? "" : directory) + "/" + path
}

/// podman's exit codes for a container that did not start: 125 for podrt's own errors, 126 when the command
/// cannot be invoked, 127 when it is not found. Prints the error; returns the failure to throw.
func startFailure(_ error: any Error) -> ExitFailure {
    printError("Error: \(error)")
    if let oci = error as? OCIRuntimeError { return ExitFailure(code: oci.exitCode) }
    return ExitFailure(code: 125)
}

/// Copies the container's log to stdout and stderr, each line to the stream it came from; with `follow`,
/// until the container has exited and its log is read to the end.
func printLog(_ runtime: Runtime, _ container: Container, follow: Bool,
              from reader: ContainerLogReader? = nil) throws {
    var reader = try reader ?? ContainerLogReader(fileSystem: runtime.machine.fileSystem,
                                                  path: runtime.paths(of: container).log)
    var running = follow ? try runtime.isContainerRunning(container.id) : false
    // Polled from 50 µs, doubling to 1 ms: a short command's exit (`run --rm /bin/true`) is seen within a
    // fraction of a millisecond, a long one costs a stat per millisecond.
    var pause: UInt64 = 50_000
    while true {
        if running { running = try !runtime.exitRecorded(container) }
        for line in try reader.readAvailable() {
            writeStream(line.stream == .stderr ? 2 : 1, line.text + (line.partial ? "" : "\n"))
        }
        guard running else { break }
        try runtime.machine.clock.sleep(until: runtime.machine.clock.monotonicNow().advanced(byNanoseconds: pause))
        pause = min(pause * 2, 1_000_000)
    }
}

func writeStream(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let done = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if done < 0 { if errno == EINTR { continue } else { return } }
        offset += done
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Create a container and start it.",
        discussion: "Attached, it prints the container's output and exits with its exit code; podrt's own errors "
            + "exit 125, a command that cannot be invoked 126, one that is not found 127.")

    @ParentCommand var podrt: PodrtCommand
    @Flag(name: .shortAndLong, help: "Start the container and print its id, without waiting for it.")
    var detach = false
    @Flag(name: .customLong("rm"), help: "Remove the container once it exits.")
    var remove = false
    @OptionGroup var spec: ContainerSpecOptions

    func run() throws {
        let runtime: Runtime
        let container: Container
        do { runtime = try podrt.global.open() } catch { throw startFailure(error) }
        do { container = try spec.create(runtime) } catch let error as ValidationError { throw error } catch {
            throw startFailure(error)
        }
        do {
            _ = try runtime.startContainer(container.id)
        } catch {
            if remove { try? runtime.removeContainer(container.id, force: true) }
            throw startFailure(error)
        }
        if detach {
            print(container.id)
            return
        }
        let code: Int32
        do {
            try printLog(runtime, container, follow: true)
            code = try runtime.waitContainer(container.id)
            if remove { try runtime.removeContainer(container.id, force: true) }
        } catch {
            throw startFailure(error)
        }
        throw ExitFailure(code: code)
    }
}

struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start containers.")

    @ParentCommand var podrt: PodrtCommand
    @Flag(name: .shortAndLong, help: "Print the container's output and exit with its exit code.")
    var attach = false
    @Argument(help: "Names or ids of the containers.")
    var containers: [String]

    func run() throws {
        let runtime = try podrt.global.open()
        if attach {
            guard containers.count == 1 else { throw ValidationError("start --attach takes one container") }
            let container: Container
            let reader: ContainerLogReader
            do {
                let found = try runtime.lookupContainer(containers[0])
                reader = try ContainerLogReader(fileSystem: runtime.machine.fileSystem, path: runtime.paths(of: found).log,
                                                fromEnd: true)
                container = try runtime.startContainer(found.id)
            } catch { throw startFailure(error) }
            try printLog(runtime, container, follow: true, from: reader)
            throw ExitFailure(code: try runtime.waitContainer(container.id))
        }
        try removeEach(containers, code: 125) { _ = try runtime.startContainer($0) }
    }
}

struct Stop: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop containers: SIGTERM, then SIGKILL.")

    @ParentCommand var podrt: PodrtCommand
    @Option(name: [.customShort("t"), .customLong("time")], help: "Seconds to wait before SIGKILL.")
    var time: UInt64 = 10
    @Argument(help: "Names or ids of the containers.")
    var containers: [String]

    func run() throws {
        let runtime = try podrt.global.open()
        try removeEach(containers, code: 125) { _ = try runtime.stopContainer($0, timeoutSeconds: time) }
    }
}

struct Kill: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kill", abstract: "Send a signal to containers.")

    @ParentCommand var podrt: PodrtCommand
    @Option(name: .shortAndLong, help: "The signal: a number, or a name such as KILL or SIGTERM.")
    var signal: String = "KILL"
    @Argument(help: "Names or ids of the containers.")
    var containers: [String]

    func run() throws {
        guard let number = signalNumber(signal) else { throw ValidationError("unknown signal \(signal)") }
        let runtime = try podrt.global.open()
        try removeEach(containers, code: 125) { try runtime.killContainer($0, signal: number) }
    }
}

/// A signal by number or name (`9`, `KILL`, `SIGKILL`), as `podman kill -s` takes it.
func signalNumber(_ text: String) -> Int32? {
    if let number = Int32(text), (1...64).contains(number) { return number }
    let names: [String: Int32] = ["HUP": 1, "INT": 2, "QUIT": 3, "KILL": 9, "USR1": 10, "USR2": 12, "TERM": 15,
                                  "CONT": 18, "STOP": 19]
    let name = text.uppercased()
    return names[name.hasPrefix("SIG") ? String(name.dropFirst(3)) : name]
}

struct Wait: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wait", abstract: "Wait for containers to exit; print their exit codes.")

    @ParentCommand var podrt: PodrtCommand
    @Argument(help: "Names or ids of the containers.")
    var containers: [String]

    func run() throws {
        let runtime = try podrt.global.open()
        for key in containers { print(try runtime.waitContainer(key)) }
    }
}

struct Logs: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print a container's output.")

    @ParentCommand var podrt: PodrtCommand
    @Flag(name: .shortAndLong, help: "Follow the log until the container exits.")
    var follow = false
    @Argument(help: "Name or id of the container.")
    var container: String

    func run() throws {
        let runtime = try podrt.global.open()
        try printLog(runtime, try runtime.lookupContainer(container), follow: follow)
    }
}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Show containers as JSON, in podman's shape.",
        discussion: "--format json (the default) prints an array, as podman; a Go template ('{{.State.Status}}', "
            + "'{{json .Config.Cmd}}') is run once per container.")

    @ParentCommand var podrt: PodrtCommand
    @Option(help: ArgumentHelp("Output format: json, or a Go template such as '{{.State.Status}}'.", valueName: "format"))
    var format: String = "json"
    @Argument(help: "Names or ids of the containers.")
    var containers: [String]

    func run() throws {
        let report: ReportFormat
        do { report = try ReportFormat(format, name: "inspect") } catch { throw usageFailure(error) }
        let runtime = try podrt.global.open()
        let pods = Dictionary(try runtime.listPods().objects.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var items: [JSON] = []
        var failed = false
        for key in containers {
            do {
                let (container, exit) = try runtime.inspectContainer(key)
                items.append(Listings.inspect(container, exit: exit, paths: runtime.paths(of: container),
                                              podName: container.podID.flatMap { pods[$0] } ?? ""))
            } catch {
                printError("Error: \(error)")
                failed = true
            }
        }
        if report.isTemplate { try printTemplate(report, items) } else { print(JSON.array(items).prettyPrinted()) }
        if failed { throw ExitFailure(code: 125) }
    }
}
