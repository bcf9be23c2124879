/// A container's init under its monitor, as `runc run --detach` under podrt-monitor leaves it: the init is a
/// process that runs no code here (a scenario step ends it with a code, or a signal kills it), and the
/// monitor, when the init ends, writes `CODE SECONDS NANOSECONDS` to the exit file (128+N for signal N) and
/// exits, as podrt-monitor does when it reaps runc's init. No podrt process needs to run for that. Both die
/// with the machine: a reboot or power cut kills them and records nothing (the exit file's tmpfs goes too).
struct Monitored {
    let monitor: SimProcess
    let exitFile: String
    /// Whose init this is (the container id, as runc's state names it).
    let tag: String
}

extension SimWorld {
    /// `parent` starts a detached init named `name` under a monitor of its own (one `spawn` op of the
    /// parent, a scheduling point). Returns the init's pid.
    public func startMonitored(by parent: ProcessID, name: String, tag: String, exitFile: String) throws -> ProcessID {
        guard let caller = lock.withLock({ processes[parent.rawValue] }) else { throw Errno.noSuchProcess }
        return try perform(caller, .spawn, name) {
            // The monitor is a session of its own (setsid), not the caller's child: it outlives the caller.
            let monitor = newProcess(name: "podrt-monitor", parent: nil, environment: [:], cwd: "/")
            monitor.credentials = caller.credentials
            let initProcess = newProcess(name: name, parent: monitor.pid, environment: [:], cwd: "/")
            initProcess.credentials = caller.credentials
            monitored[initProcess.pid.rawValue] = Monitored(monitor: monitor, exitFile: exitFile, tag: tag)
            return initProcess.pid
        }
    }

    /// The tag of `pid` if it is a live monitored init: runc's check that a pid is still the container's.
    public func monitoredTag(_ pid: ProcessID) -> String? {
        lock.withLock { monitored[pid.rawValue].flatMap { processes[pid.rawValue]?.isAlive == true ? $0.tag : nil } }
    }

    /// Every live monitored init: tag → pid.
    public var monitoredInits: [String: ProcessID] {
        lock.withLock {
            var inits: [String: ProcessID] = [:]
            for (pid, entry) in monitored where processes[pid]?.isAlive == true { inits[entry.tag] = ProcessID(rawValue: pid) }
            return inits
        }
    }

    /// The live monitored init tagged `tag`, if any (a scenario's `exit NAME CODE` ends it).
    public func monitoredProcess(tag: String) -> ProcessID? {
        lock.withLock {
            monitored.keys.sorted().first { monitored[$0]!.tag == tag && processes[$0]?.isAlive == true }
                .map { ProcessID(rawValue: $0) }
        }
    }

    /// The monitor's work once `process` has ended (lock held): the exit file, written whole (podrt-monitor
    /// writes a temporary file and renames it), then the monitor reaps the init and exits 0.
    func recordExit(of process: SimProcess, _ entry: Monitored) {
        let code: Int32
        switch process.status {
        case let .exited(value)?: code = value
        case let .signaled(signal)?: code = 128 + signal
        case nil: code = 255
        }
        let now = wallTimeNow()
        let text = Array("\(code) \(now.seconds) \(now.nanoseconds)\n".utf8)
        let monitor = entry.monitor
        var errno: Int32 = 0
        do {
            let fd = try openFile(entry.exitFile, [.write, .create, .truncate], permissions: FilePermissions(rawValue: 0o600),
                                  for: monitor)
            _ = try text.withUnsafeBytes { try writeFile(monitor.file(fd)!, $0, at: nil) }
            closeFile(fd, for: monitor)
        } catch let error as Errno {
            errno = error.rawValue  // the bundle is gone: the real monitor's write fails the same way
        } catch {
            errno = Errno.ioError.rawValue
        }
        record(monitor, .write, entry.exitFile, "", errno)
        processes[process.pid.rawValue] = nil  // reaped by its monitor
        terminate(monitor, status: .exited(0), reason: "exited")
        processes[monitor.pid.rawValue] = nil
    }
}
