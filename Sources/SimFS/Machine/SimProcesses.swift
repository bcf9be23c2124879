/// A program that `ProcessControl.spawn` can start as a new simulated process: under a scheduler it is a new
/// process of the scheduler; without one it runs to its end before `spawn` returns. It returns its exit code.
public typealias SimProgram = @Sendable (Machine, [String]) throws -> Int32

extension SimWorld {
    /// Adds a process driven by the caller's own thread (a test, or a scheduler), with pids handed out in
    /// order from 100 at every boot.
    public func spawn(name: String, environment: [String: String] = [:]) -> ProcessID {
        lock.withLock { newProcess(name: name, parent: nil, environment: environment, cwd: "/").pid }
    }

    /// Keeps the fault rules off process `pid`: a harness that sets the machine up or reads it to judge it is
    /// outside the system under test, and must see the disk as it is, not as a faulty disk lets it.
    public func exemptFromFaults(_ pid: ProcessID) {
        lock.withLock { processes[pid.rawValue]?.faultExempt = true }
    }

    /// Sets the file-system identity of `pid` (a FUSE request's caller, or a simulated `setuid`): the owner
    /// of what it creates, and whose read, write and search permissions SimFS checks (Permissions.swift).
    /// With `kernelDropsSetID` SimFS leaves the set-id effects to the kernel (`SimProcess.kernelDropsSetID`);
    /// `groups`, when given, supplies the supplementary groups on first need instead of `credentials.groups`.
    public func setCredentials(_ pid: ProcessID, _ credentials: Credentials, kernelDropsSetID: Bool = false,
                               groups: (() -> [UInt32])? = nil) {
        lock.withLock {
            guard let process = processes[pid.rawValue] else { return }
            process.credentials = credentials
            process.kernelDropsSetID = kernelDropsSetID
            process.groupSource = groups
        }
    }

    /// The machine as process `pid` sees it. A view of a process that has died throws `ProcessKilled`.
    public func machine(for pid: ProcessID) -> Machine {
        let process = lock.withLock { processes[pid.rawValue] }
        precondition(process != nil, "no simulated process \(pid)")
        return machine(for: process!)
    }

    func machine(for process: SimProcess) -> Machine {
        Machine(fileSystem: SimFileSystem(world: self, process: process),
                clock: SimClock(world: self, process: process),
                mutexes: SimMutexSegments(world: self, process: process),
                processes: SimProcessControl(world: self, process: process),
                random: SimRandom(world: self, process: process))
    }

    /// Makes `name` runnable through `ProcessControl.spawn` (matched against `arguments[0]`, also by its
    /// last path component).
    public func register(program name: String, _ body: @escaping SimProgram) {
        lock.withLock { programs[name] = body }
    }

    /// Kills `pid` from outside (a crash): its next call throws `ProcessKilled`, its mutexes become
    /// owner-dead, its descriptors close. `wait` reports `.signaled(signal)`.
    public func kill(_ pid: ProcessID, signal: Int32 = 9) {
        lock.withLock {
            guard let process = processes[pid.rawValue] else { return }
            terminate(process, status: .signaled(signal), reason: "killed by signal \(signal)")
        }
    }

    /// Ends a caller-driven process normally.
    public func exit(_ pid: ProcessID, code: Int32 = 0) {
        lock.withLock {
            guard let process = processes[pid.rawValue] else { return }
            terminate(process, status: .exited(code), reason: "exited")
        }
    }

    /// The live processes, by pid.
    public var liveProcesses: [ProcessID] {
        lock.withLock { processes.values.filter(\.isAlive).map(\.pid).sorted() }
    }

    func newProcess(name: String, parent: ProcessID?, environment: [String: String], cwd: String) -> SimProcess {
        let pid = ProcessID(rawValue: nextPid)
        nextPid += 1
        let random = SplitMix64(seed: seeds.process(boot: bootCountValue, pid: pid))
        let process = SimProcess(pid: pid, name: name, parent: parent, bootCount: bootCountValue,
                                 environment: environment, cwd: cwd, random: random)
        processes[pid.rawValue] = process
        return process
    }

    /// Ends a process (with the lock held): owner-dead mutexes, closed descriptors, waiters woken.
    func terminate(_ process: SimProcess, status: ExitStatus, reason: String) {
        guard process.status == nil else { return }
        process.killed = true
        process.killReason = reason
        process.status = status
        for mutex in process.heldMutexes where mutex.owner === process {
            mutex.owner = nil
            mutex.ownerDied = true
        }
        process.heldMutexes = []
        if !process.mappings.isEmpty { detachMappings(of: process) }
        for index in process.files.indices {
            if let file = process.files[index] {
                process.files[index] = nil
                release(file)
            }
        }
        log.append(OpRecord(pid: process.pid.rawValue, name: process.name, op: .processExit, errno: 0, path: reason, path2: ""))
        if !monitored.isEmpty, let entry = monitored.removeValue(forKey: process.pid.rawValue) { recordExit(of: process, entry) }
    }

    /// Runs a spawned program on `machine` (the child's view) and ends the child with its exit code: an
    /// error it does not handle is exit 1, a kill leaves the status the kill set.
    func run(_ program: SimProgram, _ arguments: [String], as child: SimProcess, on machine: Machine) {
        let status: ExitStatus
        do {
            status = .exited(try program(machine, arguments))
        } catch is ProcessKilled {
            status = .signaled(9)
        } catch {
            status = .exited(1)
        }
        lock.withLock { terminate(child, status: status, reason: "exited") }
    }

    /// Whether `pid` has ended (or never was): a parent's `wait` for it would return at once.
    public func hasEnded(_ pid: ProcessID) -> Bool {
        lock.withLock { processes[pid.rawValue]?.status != nil || processes[pid.rawValue] == nil }
    }
}
