import Core
/// Removing objects: under the object's lock, delete the row, then free the lock and log the event.
extension Runtime {
    static let signalKill: Int32 = 9
    static let signalTerminate: Int32 = 15

    public func removeContainer(_ key: String, force: Bool = false) throws {
        let container = try lookupContainer(key)
        try remove(container, force: force)
    }

    func remove(_ container: Container, force: Bool) throws {
        let lock = try locks.retrieve(container.lockID)
        try withLock(lock) {
            if isRunning(container) {
                guard force else { throw RuntimeError.containersRunning([container.name]) }
                try? machine.processes.kill(ProcessID(rawValue: container.pid), signal: Self.signalKill)
            }
            // Only the process that deletes the row frees the lock: a lock freed twice could be someone else's.
            observer?(.removing(.container, name: container.name))
            guard try deleteRow(lockID: container.lockID, { try store.deleteContainer(container.id) }) else {
                throw StateError.noSuch(.container, container.name)
            }
        }
        try freeLock(container.lockID)
        try event(.container, "remove", id: container.id, name: container.name)
    }

    public func removePod(_ key: String, force: Bool = false) throws {
        let pod = try lookupPod(key)
        let members = try store.containers(where: "pod_id = ?", [.text(pod.id)]).all()
        if !members.isEmpty {
            guard force else { throw StateError.podHasContainers(name: pod.name, containers: members.map(\.name)) }
            for container in members { try remove(container, force: true) }
        }
        try withLock(try locks.retrieve(pod.lockID)) {
            observer?(.removing(.pod, name: pod.name))
            guard try deleteRow(lockID: pod.lockID, { try store.deletePod(pod.id) }) else {
                throw StateError.noSuch(.pod, pod.name)
            }
        }
        try freeLock(pod.lockID)
        try event(.pod, "remove", id: pod.id, name: pod.name)
    }

    public func removeVolume(_ name: String, force: Bool = false) throws {
        let volume = try lookupVolume(name)
        let users = try containers(all: true).filter { $0.volumes.contains { $0.volume == volume.name } }
        if !users.isEmpty {
            guard force else { throw StateError.volumeInUse(name: volume.name, containers: users.map(\.name)) }
            for container in users { try remove(container, force: true) }
        }
        try withLock(try locks.retrieve(volume.lockID)) {
            observer?(.removing(.volume, name: volume.name))
            guard try deleteRow(lockID: volume.lockID, { try store.deleteVolume(volume.name) }) else {
                throw StateError.noSuch(.volume, volume.name)
            }
        }
        try freeLock(volume.lockID)
        try event(.volume, "remove", id: volume.name, name: volume.name)
    }

    /// A removal's delete transaction; false when the row was already gone. One that fails may have committed
    /// all the same (SQLite can fail after its commit point), so its lock is kept (`ObjectChange.keptLock`).
    func deleteRow(lockID: UInt32, _ delete: () throws -> Bool) throws -> Bool {
        do { return try store.transaction(delete) } catch {
            observer?(.keptLock(lockID))
            throw error
        }
    }

    /// Frees a lock whose object is gone. Already free is fine: the state is what it should be. One that
    /// cannot be freed stays allocated (`ObjectChange.keptLock`).
    func freeLock(_ id: UInt32) throws {
        do { try locks.free(id) } catch LockError.notAllocated {} catch {
            observer?(.keptLock(id))
            throw error
        }
    }

    /// Whether the container's recorded process is alive in this boot.
    func isRunning(_ container: Container) -> Bool {
        guard [.running, .paused, .stopping].contains(container.state), container.pid > 0 else { return false }
        return machine.processes.isAlive(ProcessID(rawValue: container.pid))
    }

    // MARK: Listings

    /// Containers, oldest first; only running ones unless `all`. A row that does not read is an error: for
    /// the commands that act on what they get.
    public func containers(all: Bool = true) throws -> [Container] { try listContainers(all: all).all() }

    public func pods() throws -> [Pod] { try store.pods().all() }

    public func volumes() throws -> [Volume] { try store.volumes().all() }

    /// What the listing commands show: the objects whose rows read, and an error for each row that does not
    /// (reported, and never rewritten). A container that does not read is reported even without `all`: it
    /// might be running.
    public func listContainers(all: Bool = true) throws -> ObjectRows<Container> {
        let every = try store.containers()
        return all ? every : every.filter { $0.state == .running }
    }

    public func listPods() throws -> ObjectRows<Pod> { try store.pods() }

    public func listVolumes() throws -> ObjectRows<Volume> { try store.volumes() }

    /// Records a container's state (the start/stop work of a later issue, and tests, use it).
    public func setState(_ container: Container, _ state: ContainerState, pid: Int32 = 0) throws {
        var updated = container
        updated.state = state
        updated.pid = pid
        try store.transaction { try store.updateState(of: updated) }
    }

    // MARK: Shutdown

    /// Ends the runtime's use of running containers. Without `force`, running containers are an error; with
    /// it, each is sent SIGTERM, then SIGKILL if it outlives `grace`, and is marked exited.
    public func shutdown(force: Bool, graceNanoseconds: UInt64 = 10_000_000_000) throws {
        let running = try containers(all: true).filter(isRunning)
        guard !running.isEmpty else { return }
        guard force else { throw RuntimeError.containersRunning(running.map(\.name)) }
        for container in running {
            let pid = ProcessID(rawValue: container.pid)
            try? machine.processes.kill(pid, signal: Self.signalTerminate)
            let deadline = machine.clock.monotonicNow().advanced(byNanoseconds: graceNanoseconds)
            while machine.processes.isAlive(pid), machine.clock.monotonicNow() < deadline {
                try machine.clock.sleep(until: machine.clock.monotonicNow().advanced(byNanoseconds: 10_000_000))
            }
            if machine.processes.isAlive(pid) { try? machine.processes.kill(pid, signal: Self.signalKill) }
            try setState(container, .exited)
        }
    }
}
