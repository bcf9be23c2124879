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

    public init(config: RuntimeConfig) { self.config = config }
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
            try fs.makeDurableDirectories(config.staticDir, permissions: FilePermissions(rawValue: 0o700))
        }
        store = try StateStore(path: config.databasePath, vfs: FileSystemVFS(machine: machine))
        events = EventLog(fileSystem: fs, path: config.eventsLog)
        bootID = Self.readBootID(fs)
        injectedBugs = options.injectedBugs

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

    /// Refresh after a reboot: a clean lock segment; one transaction that resets the per-boot state, records
    /// the boot id and reads the lock owners; then every container, pod and volume re-reserves its lock; only
    /// then the alive file and the `refresh` event.
    func refresh() throws {
        if injectedBugs.contains(.aliveBeforeRefresh) { try writeAlive() }  // BugInjection: alive file before refresh
        if !injectedBugs.contains(.staleSegmentRefresh) { try locks.freeAll() }  // BugInjection: #16784
        let owners = try store.transaction {
            try store.resetPerBootState()
            try store.setInfo("boot_id", bootID)
            return try store.lockOwners()
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
        try reserveLocks(of: try store.lockOwners(), expectFree: expectFree)
    }

    /// `reserveAllLocks` for owners already read (refresh reads them in its transaction).
    func reserveLocks(of owners: [LockOwner], expectFree: Bool) throws {
        var seen: [UInt32: LockOwner] = [:]
        var unique: [UInt32] = []
        for owner in owners {
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
