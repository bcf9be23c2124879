/// `ProcessControl` for one simulated process: children are registered programs (`SimWorld.register`).
final class SimProcessControl: ProcessSeam, ProcessControl {

    var currentProcess: ProcessID { process.pid }

    func environment(_ name: String) -> String? {
        world.performQuietly(process, .environment) { process.environment[name] }
    }

    /// Unknown programs are ENOENT, as `execve` says. Under a scheduler the child becomes one of its
    /// processes; without one it runs to its end here, before `spawn` returns.
    func spawn(_ arguments: [String], environment: [String], directory: String?) throws -> ProcessID {
        let (child, program) = try world.perform(process, .spawn, arguments.first ?? "") {
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
            child.credentials = process.credentials  // fork(2) copies them, and the umask
            child.umask = process.umask
            return (child, program)
        }
        let machineWorld = world
        if let hook = world.schedulerHook {
            hook.spawned(child.pid, name: child.name, by: process.pid) { machine in
                machineWorld.run(program, arguments, as: child, on: machine)
            }
        } else {
            world.run(program, arguments, as: child, on: world.machine(for: child))
        }
        return child.pid
    }

    /// Reaps an ended child. One that still runs can be waited for only under a scheduler (its wrapper parks
    /// the parent until the child ends); without one, nobody else could run it: EDEADLK.
    func wait(_ pid: ProcessID) throws -> ExitStatus {
        try world.perform(process, .wait, pid.description) {
            guard let child = world.processes[pid.rawValue], child.parent == process.pid, !child.reaped else {
                throw Errno.noChildProcess
            }
            try world.block { child.status != nil }
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
