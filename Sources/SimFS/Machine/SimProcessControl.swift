/// `ProcessControl` for one simulated process: children are registered programs on their own threads.
final class SimProcessControl: ProcessControl {
    let world: SimWorld
    let process: SimProcess

    init(world: SimWorld, process: SimProcess) {
        self.world = world
        self.process = process
    }

    var currentProcess: ProcessID { process.pid }

    func environment(_ name: String) -> String? {
        world.performQuietly(process, .environment) { process.environment[name] }
    }

    /// Unknown programs are ENOENT, as `execve` says.
    func spawn(_ arguments: [String], environment: [String], directory: String?) throws -> ProcessID {
        try world.perform(process, .spawn, arguments.first ?? "") {
            guard let command = arguments.first, !command.isEmpty else { throw Errno.noSuchFileOrDirectory }
            let base = command.split(separator: "/").last.map(String.init) ?? command
            let byBase = world.programs.keys.sorted().first { $0.split(separator: "/").last.map(String.init) == base }
            guard let program = world.programs[command] ?? byBase.flatMap({ world.programs[$0] }) else {
                throw Errno.noSuchFileOrDirectory
            }
            var cwd = "/"
            if let directory {
                let node = try world.existing(directory, follow: true, for: process)
                guard node.kind == .directory else { throw Errno.notDirectory }
                cwd = world.directoryPath(node)
            }
            var variables: [String: String] = [:]
            for entry in environment {
                if let equals = entry.firstIndex(of: "=") {
                    variables[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
                }
            }
            let child = world.newProcess(name: base, parent: process.pid, environment: variables, cwd: cwd)
            try world.startThread(child, program: program, arguments: arguments)
            return child.pid
        }
    }

    func wait(_ pid: ProcessID) throws -> ExitStatus {
        try world.perform(process, .wait, pid.description) {
            guard let child = world.processes[pid.rawValue], child.parent == process.pid, !child.reaped else {
                throw Errno.noChildProcess
            }
            try world.block(process, on: .child(child), op: .wait) { child.finished }
            child.reaped = true
            world.processes[pid.rawValue] = nil
            return child.status ?? .exited(0)
        }
    }

    func kill(_ pid: ProcessID, signal: Int32) throws {
        try world.perform(process, .kill, pid.description) {
            guard let target = world.processes[pid.rawValue], target.status == nil else {
                throw Errno.noSuchProcess
            }
            if signal == 0 { return }
            world.terminate(target, status: .signaled(signal), reason: "killed by signal \(signal)")
        }
    }

    func isAlive(_ pid: ProcessID) -> Bool {
        world.performQuietly(process, .isAlive) { world.processes[pid.rawValue]?.isAlive ?? false }
    }
}
