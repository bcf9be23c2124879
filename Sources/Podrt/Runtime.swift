import Core
/// How to open a runtime beyond its configuration.
public struct RuntimeOptions: Sendable {
    public var config: RuntimeConfig
    /// A lock manager to use instead of the configured one (tests).
    public var lockManager: (any LockManager)?
    /// Opening for `system renumber`: a lock segment of the wrong size is rebuilt instead of refused.
    public var forRenumber = false
    /// The historical bugs put back in this runtime (simulation only; see `InjectedBugs`).
    @_spi(BugInjection) public var injectedBugs: InjectedBugs = []
    /// Told of every object this runtime creates or removes, as it happens (`ObjectChange`); nil outside
    /// harnesses.
    public var observer: (@Sendable (ObjectChange) -> Void)?
    /// The OCI runtime to run containers with instead of runc under podrt-monitor (a simulated one).
    public var ociRuntime: (any OCIRuntime)?

    public init(config: RuntimeConfig) { self.config = config }
}

/// What a runtime does to an object, told to `RuntimeOptions.observer` as it happens, for a harness that keeps
/// its own books (bootsim's ledger): a create once its row is inserted, inside its transaction, so before any
/// other process can see (and remove) it; a removal just before its row is deleted. So the changes of several
/// processes arrive in the order they took effect; a create whose commit then fails has told of an object it
/// never reported (the harness counts only creates that exit 0); a process that is killed, or fails, half-way
/// has still said every object it may have taken; and a forced removal says which containers it took along.
public enum ObjectChange: Hashable, Sendable {
    case created(ObjectKind, name: String)
    case removing(ObjectKind, name: String)
    /// A lock left allocated on purpose although its object may be gone: a failed create whose row no read
    /// could rule out, a removal whose commit failed (SQLite can fail after its commit point, so the row may be
    /// gone), a free that failed. A leak, which the next boot's refresh reclaims, rather than a lock two objects
    /// could be given.
    case keptLock(UInt32)
}

/// Wraps an error with what was being done, as in "allocating lock for new container: …".
public struct ContextError: Error, CustomStringConvertible {
    public var context: String
    public var underlying: any Error
    public var description: String { "\(context): \(underlying)" }
}

/// The runtime: state database, lock manager, reboot detection. Opening it runs refresh on the first use
/// after a boot, under the alive lock, so exactly one process per boot refreshes.
public final class Runtime {
    public let machine: Machine
    public let config: RuntimeConfig
    let store: StateStore
    public let locks: any LockManager
    public let events: EventLog
    public let bootID: String
    /// The historical bugs put back (`RuntimeOptions.injectedBugs`): empty outside the simulation.
    let injectedBugs: InjectedBugs
    /// `RuntimeOptions.observer`.
    let observer: (@Sendable (ObjectChange) -> Void)?
    /// `RuntimeOptions.ociRuntime`.
    let givenOCIRuntime: (any OCIRuntime)?
    /// What opening did about the boot: nothing, a repair of the reservations, or a full refresh.
    public private(set) var startup: Startup = .nothing
    /// Problems that did not stop the command (lock conflicts found while reserving).
    public private(set) var warnings: [String] = []

    public enum Startup: Hashable, Sendable { case nothing, repaired, refreshed }

    static let bootIDPath = "/proc/sys/kernel/random/boot_id"

    public init(machine: Machine, options: RuntimeOptions) throws {
        self.machine = machine
        let config = options.config  // a local, so the closures below need not capture a half-built self
        self.config = config
        let fs = machine.fileSystem
        try within("creating tmp dir \(config.tmpDir)") {
            try fs.makeDirectories(config.tmpDir, permissions: FilePermissions(rawValue: 0o700))
        }
        try within("creating static dir \(config.staticDir)") {
            try fs.makeDirectories(config.staticDir, permissions: FilePermissions(rawValue: 0o700))
        }
        let store = try StateStore(path: config.databasePath, vfs: FileSystemVFS(machine: machine, injectedBugs: options.injectedBugs))
        self.store = store
        events = EventLog(fileSystem: fs, path: config.eventsLog)
        bootID = Self.readBootID(fs)
        injectedBugs = options.injectedBugs
        observer = options.observer
        givenOCIRuntime = options.ociRuntime
        // Before anything this command reports as done is committed.
        try within("syncing static dir \(config.staticDir)") { try Self.makeStaticDirDurable(config, fs, store) }

        // Under the alive lock: decide about the boot and open the lock manager, then refresh or repair.
        let boot = try BootCoordinator(machine: machine, options: options, store: store, bootID: bootID)
        defer { boot.release() }
        locks = boot.locks
        switch boot.decision {
        case .refresh:
            try refresh()
            startup = .refreshed
        case let .repair(segmentWasCreated):
            // Same boot, but the alive file or the lock segment went away: put the reservations back,
            // leave the containers as they are.
            try reserveAllLocks(expectFree: segmentWasCreated)
            try writeAlive()
            startup = .repaired
        case .nothing:
            break
        }
    }

    static func readBootID(_ fs: any FileSystem) -> String {
        guard let bytes = try? fs.readFile(bootIDPath, limit: 4096) else { return "" }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map { $0.trimmingSpaces() } ?? ""
    }

    /// Refresh after a reboot: a clean lock segment; one transaction that reads every object's lock owner and
    /// per-boot columns, resets the per-boot state and records the boot id; then every container, pod and
    /// volume re-reserves its lock; only then the alive file and the `refresh` event. A row whose lock owner or
    /// per-boot columns do not read is left as it is, with a warning (refresh never repairs a row silently);
    /// its lock is still reserved when its lock id reads.
    func refresh() throws {
        if injectedBugs.contains(.aliveBeforeRefresh) { try writeAlive() }  // BugInjection: alive file before refresh
        if !injectedBugs.contains(.staleSegmentRefresh) { try locks.freeAll() }  // BugInjection: #16784
        let owners = try store.transaction {
            let owners = try store.lockOwners()
            try store.resetPerBootState(skipping: owners.unreadable,
                                         keepRunning: injectedBugs.contains(.refreshKeepsRunning))  // BugInjection: running kept
            try store.setInfo("boot_id", bootID)
            return owners
        }
        for row in owners.unreadable {
            warnings.append("\(row); refresh left the row as it is and "
                + (row.lockID.map { "reserved its lock \($0)" } ?? "could not reserve its lock"))
        }
        try reserveLocks(of: owners, expectFree: true)
        try within("writing \(config.alivePath)") { try writeAlive() }
        try within("logging to \(config.eventsLog)") {
            try events.append(Event(time: machine.clock.wallNow(), type: "system", status: "refresh", bootID: bootID))
        }
    }

    /// Reserves the lock of every container, pod and volume. With `expectFree`, an id already taken means two
    /// objects share it, which is reported; otherwise a taken id is the object's own surviving reservation.
    func reserveAllLocks(expectFree: Bool) throws {
        let owners = try store.lockOwners()
        for row in owners.unreadable where row.lockID == nil { warnings.append("\(row); its lock cannot be reserved") }
        try reserveLocks(of: owners, expectFree: expectFree)
    }

    /// `reserveAllLocks` for owners already read (refresh reads them in its transaction): the objects, and
    /// the unreadable rows whose lock id reads.
    func reserveLocks(of owners: ObjectRows<LockOwner>, expectFree: Bool) throws {
        var seen: [UInt32: LockOwner] = [:]
        var unique: [UInt32] = []
        for owner in owners.objects + owners.unreadable.compactMap(\.lockOwner) {
            if injectedBugs.contains(.volumeLocksNotReserved), owner.kind == .volume { continue }  // BugInjection: #4605
            if let first = seen[owner.lockID] {
                warnings.append("\(owner.kind.rawValue) \(owner.name) and \(first.kind.rawValue) \(first.name) "
                    + "share lock \(owner.lockID); run `podrt system renumber`")
                continue
            }
            seen[owner.lockID] = owner
            unique.append(owner.lockID)
        }
        for (id, error) in try locks.allocateGiven(unique) {
            if case .alreadyAllocated = error, !expectFree { continue }
            let owner = seen[id]!
            warnings.append("reserving lock \(id) of \(owner.kind.rawValue) \(owner.name): \(error)")
        }
    }

    /// Writes the alive file holding the boot id, atomically (write a temporary file, then rename it).
    func writeAlive() throws {
        let fs = machine.fileSystem
        let temporary = config.alivePath + ".tmp"
        let fd = try fs.open(temporary, [.write, .create, .truncate], permissions: FilePermissions(rawValue: 0o600))
        do {
            try fs.writeAll(fd, Array((bootID + "\n").utf8))
            try fs.close(fd)
        } catch {
            try? fs.close(fd)
            throw error
        }
        try fs.rename(temporary, to: config.alivePath)
    }

    func event(_ type: ObjectKind, _ status: String, id: String, name: String) throws {
        try events.append(Event(time: machine.clock.wallNow(), type: type.rawValue, status: status, id: id, name: name,
                                bootID: bootID))
    }

    var nowNanoseconds: Int64 {
        let now = machine.clock.wallNow()
        return now.seconds * 1_000_000_000 + now.nanoseconds
    }
}

/// Runs `body`; a bare `Errno` it throws gets `context` ("creating tmp dir /run/podrt: Permission denied").
/// Errors that already say what happened pass unchanged.
func within<T>(_ context: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as Errno {
        throw ContextError(context: context(), underlying: error)
    }
}
