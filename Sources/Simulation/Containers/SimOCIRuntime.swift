import Core
import Podrt
import SimFS

/// The simulated machine's OCI runtime, in place of runc under podrt-monitor (`RuncRuntime`): the rest of
/// podrt is the same code. `run` reads the bundle's `config.json` as runc does, keeps runc's state in
/// `<tmp_dir>/runc/ID/state.json` (tmpfs: a reboot erases it, as it erases runc's `/run`), and starts the
/// container's init under a simulated monitor (`SimWorld.startMonitored`), which writes the exit file when
/// the init ends. Signals go to the init only after checking, as runc does, that the pid is still this
/// container's. Every file and process call goes through the calling podrt process's machine (scheduling
/// points of the seeded scheduler); nothing here reads a real clock or randomness.
struct SimOCIRuntime: OCIRuntime {
    let world: SimWorld
    /// The podrt process that drives the runtime (runc runs as its child on a real machine).
    let caller: ProcessID
    let machine: Machine
    /// runc's `--root`: `<tmp_dir>/runc`.
    let stateDirectory: String

    /// How a command behaves in the simulated container (its rootfs has no programs): `true`, `false` and
    /// `sh -c "exit N"` exit at once with their code; anything else runs until a signal or the scenario's
    /// `exit NAME CODE` ends it.
    static func immediateExit(_ args: [String]) -> Int32? {
        let program = args.first.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        if program == "true", args.count == 1 { return 0 }
        if program == "false", args.count == 1 { return 1 }
        if program == "sh", args.count == 3, args[1] == "-c", args[2].hasPrefix("exit "),
           let code = Int32(args[2].dropFirst(5)), (0...255).contains(code) { return code }
        return nil
    }

    func run(id: String, paths: ContainerPaths) throws -> Int32 {
        let command = ["runc", "--root", stateDirectory, "run", "--detach", id]
        let fs = machine.fileSystem
        func fail(_ message: String) -> OCIRuntimeError { OCIRuntimeError(command: command, message: message) }
        let text = String(decoding: try fs.readFile(paths.configFile, limit: 1 << 20), as: UTF8.self)
        guard let config = try? JSON.parse(text), let args = config["process"]?["args"]?.arrayValue?.compactMap(\.stringValue),
              let program = args.first, !program.isEmpty else {
            throw fail("\(paths.configFile): process.args must name a program")
        }
        let directory = stateDirectory + "/" + id
        try fs.makeDirectories(directory, permissions: FilePermissions(rawValue: 0o711))
        guard try !fs.exists(directory + "/state.json") else { throw fail("container with id exists: \(id)") }
        let name = program.split(separator: "/").last.map(String.init) ?? program
        let pid = try world.startMonitored(by: caller, name: name, tag: id, exitFile: paths.exitFile)
        try write(directory + "/state.json", JSON.object([("id", .string(id)), ("init_process_pid", .number(Int64(pid.rawValue))),
                                                          ("bundle", .string(paths.bundle))]).serialized())
        try write(paths.pidFile, String(pid.rawValue))  // runc's --pid-file
        if let code = Self.immediateExit(args) { world.exit(pid, code: code) }
        return pid.rawValue
    }

    func kill(id: String, signal: Int32, paths: ContainerPaths) throws -> Bool {
        guard let pid = try initPid(id), world.monitoredTag(pid) == id else { return false }  // "container not running"
        do { try machine.processes.kill(pid, signal: signal) } catch Errno.noSuchProcess { return false }
        return true
    }

    func delete(id: String, paths: ContainerPaths) throws {
        let directory = stateDirectory + "/" + id
        if let pid = try initPid(id), world.monitoredTag(pid) == id {
            do { try machine.processes.kill(pid, signal: 9) } catch Errno.noSuchProcess {}
        }
        do { try machine.fileSystem.unlink(directory + "/state.json") } catch Errno.noSuchFileOrDirectory {}
        do { try machine.fileSystem.rmdir(directory) } catch Errno.noSuchFileOrDirectory {}
    }

    func exit(paths: ContainerPaths) throws -> ContainerExit? {
        try ContainerExit.read(paths.exitFile, machine.fileSystem, monitor: "podrt-monitor")
    }

    /// The init's pid from runc's state; nil when runc knows no container `id` in this boot.
    func initPid(_ id: String) throws -> ProcessID? {
        let bytes: [UInt8]
        do { bytes = try machine.fileSystem.readFile(stateDirectory + "/" + id + "/state.json", limit: 1 << 16) }
        catch Errno.noSuchFileOrDirectory { return nil }
        guard let state = try? JSON.parse(String(decoding: bytes, as: UTF8.self)),
              let pid = state["init_process_pid"]?.intValue, pid > 0, pid <= Int64(Int32.max) else {
            throw OCIRuntimeError(command: ["runc", "state", id], message: "\(stateDirectory)/\(id)/state.json is no runc state")
        }
        return ProcessID(rawValue: Int32(pid))
    }

    func write(_ path: String, _ text: String) throws {
        let fs = machine.fileSystem
        let fd = try fs.open(path, [.write, .create, .truncate], permissions: FilePermissions(rawValue: 0o600))
        defer { try? fs.close(fd) }
        try fs.writeAll(fd, Array(text.utf8))
    }
}
