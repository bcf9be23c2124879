import Core
/// Removing objects: under the object's lock, delete the row, then free the lock and log the event.
extension Runtime {
    public func removeContainer(_ key: String, force: Bool = false) throws {
        let container = try lookupContainer(key)
        try remove(container, force: force)
    }

    func remove(_ container: Container, force: Bool) throws {
        let lock = try locks.retrieve(container.lockID)
        try withLock(lock) {
            var current = try sync(container)
            var stillMounted = false
            if try isRunning(current) {
                guard force else { throw RuntimeError.containersRunning([container.name]) }
                // Through runc, which signals only the container's own init, never a recorded pid.
                let oci = try ociRuntime(for: current)
                if try oci.kill(id: current.id, signal: Self.signalKill, paths: paths(of: current)) {
                    _ = try waitForExit(paths(of: current), oci, nanoseconds: 10_000_000_000)
                }
                // Exited before its files go: a removal cut short leaves an exited row, not a running one
                // whose process and exit file are gone. Its exit also unmounts its volumes.
                current = try sync(current)
                stillMounted = try isRunning(current)
            }
            if current.state != .configured { try removeRuntimeFiles(current) }  // never started: nothing to remove
            // Only the process that deletes the row frees the lock: a lock freed twice could be someone else's.
            observer?(.removing(.container, name: container.name))
            guard try deleteRow(lockID: container.lockID, {
                if stillMounted { try adjustMountCounts(current, by: -1) }
                return try store.deleteContainer(container.id)
            }) else {
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
        try removeTree(volumeDirectory(volume.name))  // its data, as podman's local driver
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
        var every = try store.containers()
        // A running container whose monitor recorded its exit is shown exited, as podman syncs each one.
        for (index, container) in every.objects.enumerated() where [.running, .paused, .stopping].contains(container.state) {
            guard try hasRuntimeState(container) else { continue }
            every.objects[index] = try withLock(try locks.retrieve(container.lockID)) { try sync(container) }
        }
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
    /// it, each is stopped through the runtime (SIGTERM, then SIGKILL once `grace` passes) and ends up exited
    /// with the code its monitor recorded.
    public func shutdown(force: Bool, graceNanoseconds: UInt64 = 10_000_000_000) throws {
        let running = try containers(all: true).filter(isRunning)
        guard !running.isEmpty else { return }
        guard force else { throw RuntimeError.containersRunning(running.map(\.name)) }
        for container in running {
            try stopContainer(container.id, timeoutSeconds: (graceNanoseconds + 999_999_999) / 1_000_000_000)
        }
    }
}
