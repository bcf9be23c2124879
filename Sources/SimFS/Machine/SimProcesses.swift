import Glibc

/// A program that `ProcessControl.spawn` can start: it runs on its own thread as a new simulated process
/// and returns its exit code.
public typealias SimProgram = @Sendable (Machine, [String]) throws -> Int32

extension SimWorld {
    /// Adds a process driven by the caller's own thread (a test, or a scheduler), with pids handed out in
    /// order from 100 at every boot.
    public func spawn(name: String, environment: [String: String] = [:]) -> ProcessID {
        lock.withLock { newProcess(name: name, parent: nil, environment: environment, cwd: "/").pid }
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

    /// Blocks until every spawned program thread has returned (after a reboot, say).
    public func settle() {
        lock.withLock { while runningThreads > 0 { lock.wait() } }
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
        for index in process.files.indices {
            if let file = process.files[index] {
                process.files[index] = nil
                release(file)
            }
        }
        if !process.hasThread { process.finished = true }
        log.append(OpRecord(pid: process.pid.rawValue, name: process.name, op: .processExit, errno: 0, path: reason, path2: ""))
        lock.broadcast()
    }

    func startThread(_ process: SimProcess, program: @escaping SimProgram, arguments: [String]) throws {
        process.hasThread = true
        runningThreads += 1
        let box = Unmanaged.passRetained(ThreadStart(world: self, process: process, program: program,
                                                     arguments: arguments))
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { raw in
            let start = Unmanaged<ThreadStart>.fromOpaque(raw!).takeRetainedValue()
            start.run()
            return nil
        }, box.toOpaque())
        pthread_attr_destroy(&attributes)
        if result != 0 {
            box.release()
            process.hasThread = false
            runningThreads -= 1
            processes[process.pid.rawValue] = nil
            throw Errno(rawValue: result)
        }
    }
}

/// What a program thread needs to start.
private final class ThreadStart: @unchecked Sendable {
    let world: SimWorld
    let process: SimProcess
    let program: SimProgram
    let arguments: [String]

    init(world: SimWorld, process: SimProcess, program: @escaping SimProgram, arguments: [String]) {
        self.world = world
        self.process = process
        self.program = program
        self.arguments = arguments
    }

    func run() {
        let status: ExitStatus
        do {
            status = .exited(try program(world.machine(for: process), arguments))
        } catch is ProcessKilled {
            status = .signaled(9)
        } catch {
            status = .exited(1)
        }
        world.lock.withLock {
            world.terminate(process, status: status, reason: "exited")
            process.finished = true
            world.runningThreads -= 1
            world.lock.broadcast()
        }
    }
}
