import Core
/// Where one container's per-boot runtime files live: the bundle (`config.json`), runc's pid file and log, and
/// the exit file the monitor writes, all under `<tmp_dir>/containers/ID` (tmpfs: a reboot clears them with the
/// processes); the container's log under `<static_dir>/containers/ID`, which outlives a reboot as podman's
/// `ctr.log` does.
public struct ContainerPaths: Hashable, Sendable {
    public var bundle: String
    public var log: String

    public init(config: RuntimeConfig, id: String) {
        bundle = config.tmpDir + "/containers/" + id
        log = config.staticDir + "/containers/" + id + "/ctr.log"
    }

    public var configFile: String { bundle + "/config.json" }
    public var pidFile: String { bundle + "/pid" }
    public var runtimeLog: String { bundle + "/runtime.log" }
    public var exitFile: String { bundle + "/exit" }
    public var logDirectory: String { String(log.dropLast("/ctr.log".count)) }
}

/// How a container's process ended, as its monitor recorded it.
public struct ContainerExit: Hashable, Sendable {
    public var code: Int32
    public var time: WallTime
}

extension ContainerExit {
    /// The exit file a monitor writes, `CODE SECONDS NANOSECONDS`; nil while there is none. A file that does
    /// not read so is an error naming it and its writer (`monitor`).
    public static func read(_ path: String, _ fileSystem: any FileSystem, monitor: String) throws -> ContainerExit? {
        let bytes: [UInt8]
        do { bytes = try fileSystem.readFile(path, limit: 256) } catch Errno.noSuchFileOrDirectory { return nil }
        let fields = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count == 3, let code = Int32(fields[0]), let seconds = Int64(fields[1]),
              let nanoseconds = Int64(fields[2]) else {
            throw OCIRuntimeError(command: [monitor], message: "exit file \(path) does not read as "
                + "\"CODE SECONDS NANOSECONDS\"")
        }
        return ContainerExit(code: code, time: WallTime(seconds: seconds, nanoseconds: nanoseconds))
    }
}

/// The seam between podrt and the OCI runtime that runs container processes: runc under a monitor on a real
/// machine (`RuncRuntime`); in the simulated world, simulated processes (`SimOCIRuntime` in Simulation). Every signal to a container goes
/// through here, never to a pid read from the database.
public protocol OCIRuntime: Sendable {
    /// Creates and starts container `id` from the bundle in `paths` under a monitor of its own, which logs its
    /// output and records its exit; returns the pid of the container's init. A failure names what was run and
    /// carries the runtime's message.
    func run(id: String, paths: ContainerPaths) throws -> Int32
    /// `runc kill ID SIGNAL`. False when the runtime knows no running container of that id.
    func kill(id: String, signal: Int32, paths: ContainerPaths) throws -> Bool
    /// `runc delete --force`: forgets the container (killing it if it still runs). Gone already is fine.
    func delete(id: String, paths: ContainerPaths) throws
    /// The exit the monitor recorded, nil while the container runs (or never ran in this boot).
    func exit(paths: ContainerPaths) throws -> ContainerExit?
    /// `delete`, with `meanwhile` run while the runtime deletes: runc is a process of its own, and the
    /// database work of an exit need not wait for it. Both run to the end; `meanwhile`'s error comes first.
    func delete(id: String, paths: ContainerPaths, meanwhile: () throws -> Void) throws
}

extension OCIRuntime {
    /// A runtime in this process (the simulated one) deletes first, then runs `meanwhile`: one order of the
    /// two that runc's may interleave.
    public func delete(id: String, paths: ContainerPaths, meanwhile: () throws -> Void) throws {
        try delete(id: id, paths: paths)
        try meanwhile()
    }
}

/// A runtime or monitor failure: what was run, and the runtime's own message.
public struct OCIRuntimeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var command: [String]
    public var message: String
    public var description: String { "\(command.joined(separator: " ")): \(message)" }

    public init(command: [String], message: String) {
        self.command = command
        self.message = message
    }

    /// podman's exit codes for a container that did not start: 127 when its command is not found, 126 when it
    /// cannot be invoked, else 125 (podrt's own error).
    public var exitCode: Int32 {
        if message.contains("executable file not found") || message.contains("no such file or directory") {
            return 127
        }
        if message.contains("permission denied") { return 126 }
        return 125
    }
}

/// runc, driven much as podman drives it: `run --detach` under a monitor (`podrt-monitor`, our conmon; one
/// runc process where podman's `create` and `start` take two), then `kill` and `delete`, with runc's state
/// directory (`--root`) under podrt's tmp dir and its messages in a JSON log that errors quote. Runs through the machine's `ProcessControl` and `FileSystem` only.
public struct RuncRuntime: OCIRuntime {
    public var runc: String
    public var monitor: String
    /// runc's `--root`: `<tmp_dir>/runc`.
    public var stateDirectory: String
    /// `runc --rootless true`: podrt runs as a user (`RuntimeConfig.rootlessUID`).
    public var rootless: Bool
    let machine: Machine

    public init(runc: String, monitor: String, stateDirectory: String, rootless: Bool = false, machine: Machine) {
        self.runc = runc
        self.monitor = monitor
        self.stateDirectory = stateDirectory
        self.rootless = rootless
        self.machine = machine
    }

    public func run(id: String, paths: ContainerPaths) throws -> Int32 {
        let command = [monitor, runc, stateDirectory, paths.runtimeLog, paths.bundle, id, paths.pidFile, paths.log,
                       paths.exitFile] + (rootless ? ["rootless"] : [])
        let status = try run(command)
        guard status == .exited(0) else {
            throw OCIRuntimeError(command: [runc, "run", "--detach", id], message: lastMessage(paths) ?? "monitor \(status)")
        }
        let text = try machine.fileSystem.readFile(paths.pidFile, limit: 64)
        guard let pid = Int32(String(decoding: text, as: UTF8.self).filter { !$0.isWhitespace }), pid > 0 else {
            throw OCIRuntimeError(command: [runc, "run", "--detach", id], message: "pid file \(paths.pidFile) holds no pid")
        }
        return pid
    }

    public func kill(id: String, signal: Int32, paths: ContainerPaths) throws -> Bool {
        do {
            try runc(["kill", id, String(signal)], paths: paths)
            return true
        } catch let error as OCIRuntimeError
            where error.message.contains("not running") || error.message.contains("does not exist") {
            return false
        }
    }

    public func delete(id: String, paths: ContainerPaths) throws {
        try delete(id: id, paths: paths) {}
    }

    /// `runc delete --force` started, `meanwhile` run, then runc waited for. podman too records an exit and
    /// removes a container's row whatever the runtime's delete gives, and reports the delete's error after.
    public func delete(id: String, paths: ContainerPaths, meanwhile: () throws -> Void) throws {
        let arguments = ["delete", "--force", id]
        let pid = try startRunc(arguments, paths: paths)
        var failure: (any Error)?
        do { try meanwhile() } catch { failure = error }
        do {
            try finishRunc(arguments, pid, paths: paths)
        } catch let error as OCIRuntimeError where error.message.contains("does not exist") {
        } catch {
            if failure == nil { failure = error }
        }
        if let failure { throw failure }
    }

    public func exit(paths: ContainerPaths) throws -> ContainerExit? {
        try ContainerExit.read(paths.exitFile, machine.fileSystem, monitor: monitor)
    }

    /// `runc --root R --log L --log-format json ARGS`; a failure carries runc's last logged message.
    func runc(_ arguments: [String], paths: ContainerPaths) throws {
        try finishRunc(arguments, try startRunc(arguments, paths: paths), paths: paths)
    }

    /// `runc` started with `arguments`, its log file fresh.
    func startRunc(_ arguments: [String], paths: ContainerPaths) throws -> ProcessID {
        try? machine.fileSystem.unlink(paths.runtimeLog)
        return try spawn([runc, "--root", stateDirectory, "--log", paths.runtimeLog, "--log-format", "json",
                          "--rootless", rootless ? "true" : "false"] + arguments)
    }

    /// Waits for the `runc` that `startRunc` started; a failure carries runc's last logged message.
    func finishRunc(_ arguments: [String], _ pid: ProcessID, paths: ContainerPaths) throws {
        let status = try machine.processes.wait(pid)
        guard status == .exited(0) else {
            throw OCIRuntimeError(command: [runc] + arguments, message: lastMessage(paths) ?? "exited with \(status)")
        }
    }

    func run(_ command: [String]) throws -> ExitStatus { try machine.processes.wait(try spawn(command)) }

    func spawn(_ command: [String]) throws -> ProcessID {
        do { return try machine.processes.spawn(command, environment: [], directory: nil) } catch let error as Errno {
            throw OCIRuntimeError(command: command, message: "cannot run \(command[0]): \(error)")
        }
    }

    /// The `msg` of the last line of runc's JSON log.
    func lastMessage(_ paths: ContainerPaths) -> String? {
        guard let bytes = try? machine.fileSystem.readFile(paths.runtimeLog, limit: 1 << 16) else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n").reversed() {
            if let json = try? JSON.parse(String(line)), let message = json["msg"]?.stringValue { return message }
        }
        return nil
    }
}
