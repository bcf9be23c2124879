import Core
/// The boot protocol every podrt process runs when it opens the runtime, as libpod's runtime does at start-up:
/// under the alive lock it reads the alive file on the tmpfs, the boot id the store recorded at its last refresh
/// and the machine's boot id, opens the lock manager, and decides what this process must do about the boot.
///
/// - A new boot (the recorded boot id is not the machine's): refresh, as podman does once per boot.
/// - The same boot, but the alive file was deleted (tmpfiles cleanup, podman #7852) or the lock segment was
///   recreated (podman #16784): repair, that is put the reservations back and leave running containers alone.
/// - Otherwise nothing.
///
/// The alive lock stays held until `release()`, so the runtime refreshes or repairs under it and a second
/// process waits, then finds the alive file written (podman #3207).
struct BootCoordinator {
    enum Decision: Hashable, Sendable {
        case nothing
        /// Same boot: reserve every lock again. `segmentWasCreated`: the segment started empty, so an id
        /// already taken means two objects share it.
        case repair(segmentWasCreated: Bool)
        case refresh
    }

    let decision: Decision
    let locks: any LockManager
    /// The alive file's boot id (nil: there is no alive file) and the one the store recorded (nil: never).
    let alive: String?
    let storedBootID: String?
    private let aliveLock: AliveLock

    /// Takes the alive lock, reads the boot, opens the lock manager and decides. `bootID` is the machine's
    /// (empty where it has none); `store` is read under the lock, after any refresh another process ran.
    init(machine: Machine, options: RuntimeOptions, store: StateStore, bootID: String) throws {
        let config = options.config, fs = machine.fileSystem, bugs = options.injectedBugs
        // Everything below runs under the alive lock: a second process waits here, then sees the alive file.
        let lock = try within("taking the alive lock \(config.aliveLockPath)") {
            try AliveLock(fileSystem: fs, path: config.aliveLockPath)
        }
        aliveLock = lock
        do {
            if bugs.contains(.aliveLockReleasedEarly) { try? fs.flock(lock.fd, .unlock, wait: false) }  // BugInjection: #3207
            let alive = try within("reading \(config.alivePath)") { try Self.readAlive(fs, config.alivePath) }
            let stored = try store.info("boot_id")
            let rebooted = Self.isReboot(bootID: bootID, alive: alive, storedBootID: stored, bugs: bugs)
            let opened = try Self.openLocks(machine: machine, options: options, rebooted: rebooted)
            self.alive = alive
            storedBootID = stored
            locks = opened.manager
            decision = Self.decide(rebooted: rebooted, bootID: bootID, alive: alive,
                                   segmentWasCreated: opened.segmentWasCreated)
        } catch {
            lock.release()
            throw error
        }
    }

    /// Drops the alive lock (once refresh or repair has run).
    func release() { aliveLock.release() }

    /// Whether this is the first use since a boot: the store's boot id is not the machine's. Without a boot id
    /// (no /proc), a missing alive file is the only sign of a boot.
    static func isReboot(bootID: String, alive: String?, storedBootID: String?, bugs: InjectedBugs) -> Bool {
        var rebooted = bootID.isEmpty ? alive == nil : storedBootID != bootID
        if bugs.contains(.missingAliveMeansReboot) || bugs.contains(.staleSegmentRefresh) { rebooted = rebooted || alive == nil }  // BugInjection: #7852, #16784
        if bugs.contains(.aliveMeansSameBoot), alive != nil { rebooted = false }  // BugInjection: #5057
        return rebooted
    }

    /// Refresh after a boot; in the same boot, repair when the alive file does not name this boot or the lock
    /// segment was just created; else nothing.
    static func decide(rebooted: Bool, bootID: String, alive: String?, segmentWasCreated: Bool) -> Decision {
        if rebooted { return .refresh }
        if alive != bootID || segmentWasCreated { return .repair(segmentWasCreated: segmentWasCreated) }
        return .nothing
    }

    /// The alive file's first line, trimmed; nil when there is no alive file.
    static func readAlive(_ fs: any FileSystem, _ path: String) throws -> String? {
        do {
            let text = String(decoding: try fs.readFile(path, limit: 4096), as: UTF8.self)
            return text.split(separator: "\n").first.map { $0.trimmingSpaces() } ?? ""
        } catch Errno.noSuchFileOrDirectory {
            return nil
        }
    }
}

/// The exclusive flock on `alive.lck`, held while a process decides about and runs refresh or renumber.
struct AliveLock {
    let fileSystem: any FileSystem
    let fd: Descriptor

    init(fileSystem: any FileSystem, path: String) throws {
        self.fileSystem = fileSystem
        fd = try fileSystem.open(path, [.read, .write, .create], permissions: FilePermissions(rawValue: 0o600))
        do {
            try fileSystem.flock(fd, .exclusive, wait: true)
        } catch {
            try? fileSystem.close(fd)
            throw error
        }
    }

    /// Closing the file drops the flock.
    func release() { try? fileSystem.close(fd) }
}
