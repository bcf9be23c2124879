extension SimWorld {
    /// Takes the world lock for one call of `process`: the kill check and the scheduling point. Returns
    /// with the lock held.
    @inline(__always)
    func enter(_ process: SimProcess, _ op: SimOp) throws {
        lock.lock()
        if process.killed {
            lock.unlock()
            throw ProcessKilled(reason: process.killReason)
        }
        if let hook = schedulerHook {
            lock.unlock()
            hook.willPerform(process.pid, op)
            lock.lock()
            if process.killed {
                lock.unlock()
                throw ProcessKilled(reason: process.killReason)
            }
        }
    }

    /// The choke point every protocol call of a process goes through: kill check, scheduling point,
    /// faults, the call itself (under the world lock), op log.
    @inline(__always)
    func perform<T>(_ process: SimProcess, _ op: SimOp, _ path: String, _ path2: String = "",
                    _ body: () throws -> T) throws -> T {
        try enter(process, op)
        defer { lock.unlock() }
        return try run(process, op, path, path2, body)
    }

    /// `perform` for a call on a descriptor; faults and the log see the path the file was opened with.
    @inline(__always)
    func perform<T>(_ process: SimProcess, _ op: SimOp, _ fd: Descriptor,
                    _ body: (OpenFile) throws -> T) throws -> T {
        try enter(process, op)
        defer { lock.unlock() }
        guard let file = process.file(fd) else {
            record(process, op, "fd \(fd.rawValue)", "", Errno.badFileDescriptor.rawValue)
            throw Errno.badFileDescriptor
        }
        return try run(process, op, file.path, "") { try body(file) }
    }

    /// For calls that cannot fail (clock reads, randomness, `isAlive`): a killed process is not stopped
    /// here but at its next call that can throw.
    @inline(__always)
    func performQuietly<T>(_ process: SimProcess, _ op: SimOp, _ body: () -> T) -> T {
        lock.lock()
        if !process.killed, let hook = schedulerHook {
            lock.unlock()
            hook.willPerform(process.pid, op)
            lock.lock()
        }
        defer { lock.unlock() }
        monotonic &+= opCostValue
        if !faultRules.isEmpty { _ = applyFaults(process, op, "", "") }
        let value = body()
        record(process, op, "", "", 0)
        return value
    }

    /// Runs one call with the lock held: faults, the body, the log.
    @inline(__always)
    private func run<T>(_ process: SimProcess, _ op: SimOp, _ path: String, _ path2: String,
                        _ body: () throws -> T) throws -> T {
        monotonic &+= opCostValue
        if !faultRules.isEmpty, let errno = applyFaults(process, op, path, path2) {
            record(process, op, path, path2, errno.rawValue)
            throw errno
        }
        do {
            let value = try body()
            record(process, op, path, path2, 0)
            return value
        } catch let errno as Errno {
            record(process, op, path, path2, errno.rawValue)
            throw errno
        } catch {
            record(process, op, path, path2, -1)
            throw error
        }
    }

    @inline(__always)
    func record(_ process: SimProcess, _ op: SimOp, _ path: String, _ path2: String, _ errno: Int32) {
        log.append(OpRecord(pid: process.pid.rawValue, name: process.name, op: op, errno: errno, path: path, path2: path2))
    }

    /// Logs one of the world's own events under pid 0.
    func recordWorldEvent(_ op: SimOp, _ detail: String) {
        monotonic &+= opCostValue
        log.append(OpRecord(pid: 0, name: "world", op: op, errno: 0, path: detail, path2: ""))
    }

    /// Waits, inside a call of `process`, until another process changes something (a mutex or flock is
    /// released, a child ends, a process is killed). Throws `ProcessKilled` if `process` was killed meanwhile.
    /// With a scheduler the thread parks in the scheduler instead of on the condition variable.
    func waitForChange(_ process: SimProcess) throws {
        if let hook = schedulerHook {
            lock.unlock()
            hook.wait(process.pid)
            lock.lock()
        } else {
            lock.wait()
        }
        if process.killed { throw ProcessKilled(reason: process.killReason) }
    }
}
