extension SimWorld {
    /// The scheduling point of one call of `process`, before the world lock is taken: the kill check, then
    /// the scheduler's hook (which may switch to another process first).
    @inline(__always)
    func enter(_ process: SimProcess, _ op: SimOp) throws {
        guard let hook = schedulerHook else { return }
        try lock.withLock {
            if process.killed { throw ProcessKilled(reason: process.killReason) }
        }
        hook.willPerform(process.pid, op)
    }

    /// The choke point every protocol call of a process goes through: kill check, scheduling point,
    /// faults, the call itself (under the world lock), op log.
    @inline(__always)
    func perform<T>(_ process: SimProcess, _ op: SimOp, _ path: String, _ path2: String = "",
                    _ body: () throws -> T) throws -> T {
        try enter(process, op)
        return try lock.withLock {
            if process.killed { throw ProcessKilled(reason: process.killReason) }
            return try run(process, op, path, path2, body)
        }
    }

    /// `perform` for a call on a descriptor; faults and the log see the path the file was opened with.
    @inline(__always)
    func perform<T>(_ process: SimProcess, _ op: SimOp, _ fd: Descriptor,
                    _ body: (OpenFile) throws -> T) throws -> T {
        try enter(process, op)
        return try lock.withLock {
            if process.killed { throw ProcessKilled(reason: process.killReason) }
            guard let file = process.file(fd) else {
                record(process, op, "fd \(fd.rawValue)", "", Errno.badFileDescriptor.rawValue)
                throw Errno.badFileDescriptor
            }
            return try run(process, op, file.path, "") { try body(file) }
        }
    }

    /// For calls that cannot fail (clock reads, randomness, `isAlive`): a killed process is not stopped
    /// here but at its next call that can throw.
    @inline(__always)
    func performQuietly<T>(_ process: SimProcess, _ op: SimOp, _ body: () -> T) -> T {
        if let hook = schedulerHook, !lock.withLock({ process.killed }) { hook.willPerform(process.pid, op) }
        return lock.withLock {
            monotonic &+= opCostValue
            if !faultRules.isEmpty { _ = applyFaults(process, op, "", "") }
            let value = body()
            record(process, op, "", "", 0)
            return value
        }
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

    /// A call of `process` that may go on only once `ready()` holds (a mutex or flock free, a child ended).
    /// Nothing waits inside the world: under a scheduler the process's wrappers only try, and park in the
    /// scheduler until a holder lets go; without one, one thread drives the machine and nobody else can
    /// act, so waiting could never end (EDEADLK, where Linux would hang).
    func block(until ready: () -> Bool) throws {
        if !ready() { throw Errno.deadlock }
    }
}
