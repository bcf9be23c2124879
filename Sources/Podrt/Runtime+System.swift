import Core
/// What `system locks` finds: every lock should belong to exactly one object and be reserved.
public struct LockReport: Hashable, Sendable {
    public var allocated: [UInt32]
    public var available: UInt32?
    /// Lock ids claimed by more than one object.
    public var conflicts: [(lock: UInt32, objects: [LockOwner])]
    /// Objects whose lock id is not allocated in the lock manager.
    public var unreserved: [LockOwner]
    /// Allocated ids that no object claims.
    public var orphaned: [UInt32]
    /// Ids some process holds right now.
    public var held: [UInt32]
    /// Rows that do not read (their lock, when its id reads, is counted as theirs above).
    public var unreadable: [CorruptRowError] = []

    public var isClean: Bool { conflicts.isEmpty && unreserved.isEmpty && orphaned.isEmpty && unreadable.isEmpty }

    public static func == (a: LockReport, b: LockReport) -> Bool { a.json == b.json }
    public func hash(into hasher: inout Hasher) { hasher.combine(json) }

    public var json: JSON {
        func owner(_ o: LockOwner) -> JSON {
            .object([("type", .string(o.kind.rawValue)), ("id", .string(o.id)), ("name", .string(o.name)),
                     ("lock", .number(Int64(o.lockID)))])
        }
        return .object([
            ("allocated", .number(Int64(allocated.count))),
            ("available", available.map { .number(Int64($0)) } ?? .null),
            ("conflicts", .array(conflicts.map { .object([("lock", .number(Int64($0.lock))),
                                                          ("objects", .array($0.objects.map(owner)))]) })),
            ("unreserved", .array(unreserved.map(owner))),
            ("orphaned", .array(orphaned.map { .number(Int64($0)) })),
            ("held", .array(held.map { .number(Int64($0)) })),
            ("unreadable", .array(unreadable.map { .string($0.description) })),
        ])
    }
}

extension Runtime {
    public func lockReport() throws -> LockReport {
        let rows = try store.lockOwners()
        let owners = rows.objects + rows.unreadable.compactMap(\.lockOwner)
        let allocated = try locks.allocated()
        let allocatedSet = Set(allocated)
        var byLock: [UInt32: [LockOwner]] = [:]
        for owner in owners { byLock[owner.lockID, default: []].append(owner) }
        return LockReport(
            allocated: allocated, available: try locks.available(),
            conflicts: byLock.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            unreserved: owners.filter { !allocatedSet.contains($0.lockID) },
            orphaned: allocated.filter { byLock[$0] == nil },
            held: try locks.locksHeld(), unreadable: rows.unreadable)
    }

    /// `system renumber`: under the alive lock, frees every lock and hands containers, pods and volumes fresh
    /// ids in one transaction. Open the runtime with `forRenumber` so a segment of the old size is rebuilt.
    public func renumber() throws {
        let aliveLock = try AliveLock(fileSystem: machine.fileSystem, path: config.aliveLockPath)
        defer { aliveLock.release() }
        var freed = false
        do {
            try store.transaction {
                // Every row must read before a lock is freed or a row written: renumber rewrites every lock id.
                let owners = try store.lockOwners().all()
                try locks.freeAll()
                freed = true
                for owner in owners {
                    if injectedBugs.contains(.renumberSkipsVolumes), owner.kind == .volume { continue }  // BugInjection: #23052
                    try store.setLockID(owner, try locks.allocate())
                }
            }
        } catch {
            // Put the old reservations back before reporting.
            if freed {
                try locks.freeAll()
                try reserveAllLocks(expectFree: true)
            }
            throw ContextError(context: "renumbering locks", underlying: error)
        }
        try events.append(Event(time: machine.clock.wallNow(), type: "system", status: "renumber", bootID: bootID))
    }

    /// `system migrate`: the schema is migrated on open; with `newRuntime`, every container moves to it. The
    /// runtime must be configured and installed (as `create` requires) before anything changes; a path names
    /// the configured runtime found there.
    public func migrate(newRuntime requested: String?) throws -> Int {
        guard let requested else { return 0 }
        let installed = ociRuntimes
        let newRuntime = requested.hasPrefix("/")
            ? installed.found.first { $0.value == requested }?.key ?? requested : requested
        guard config.runtimes[newRuntime] != nil else { throw RuntimeError.unknownRuntime(requested) }
        _ = try installed.require(newRuntime)
        return try store.transaction {
            var count = 0
            for var container in try store.containers().all() where container.runtime != newRuntime {
                container.runtime = newRuntime
                try store.updateConfig(of: container)
                count += 1
            }
            return count
        }
    }

    /// `system reset --force`: removes every container, pod and volume and frees every lock.
    public func reset() throws {
        for container in try containers(all: true) { try remove(container, force: true) }
        for pod in try pods() { try removePod(pod.id, force: true) }
        for volume in try volumes() { try removeVolume(volume.name, force: true) }
        try locks.freeAll()
    }

    /// `system info`.
    public func info() throws -> JSON {
        let oci = ociRuntimes
        return .object([
            ("host", .object([
                ("bootID", .string(bootID)),
                ("ociRuntimes", .object(config.runtimes.keys.sorted().map { name in
                    (name, oci.found[name].map(JSON.string) ?? .null)
                })),
                ("defaultRuntime", .string(config.runtime)),
                ("conmon", oci.conmon.map(JSON.string) ?? .null),
            ])),
            ("store", .object([
                ("staticDir", .string(config.staticDir)), ("tmpDir", .string(config.tmpDir)),
                ("databasePath", .string(config.databasePath)), ("eventsLog", .string(config.eventsLog)),
                ("containers", .number(Int64(try store.count(.container)))),
                ("pods", .number(Int64(try store.count(.pod)))), ("volumes", .number(Int64(try store.count(.volume)))),
            ])),
            ("locks", .object([
                ("lockType", .string(config.lockType.rawValue)),
                ("lockSegment", config.lockType == .shm ? .string(config.lockSegmentPath) : .null),
                ("numLocks", locks.capacity.map { .number(Int64($0)) } ?? .null),
                ("freeLocks", try locks.available().map { .number(Int64($0)) } ?? .null),
            ])),
        ])
    }
}
