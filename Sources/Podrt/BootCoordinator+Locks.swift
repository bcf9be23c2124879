import Core
/// Choosing and opening the lock manager at start-up, as libpod picks SHM or file locks by `lock_type`.
extension BootCoordinator {
    /// The injected manager (tests), else the configured one. The SHM segment is rebuilt when its size does
    /// not match at a reboot (num_locks may have changed) or for `system renumber` (podman #16119); otherwise a
    /// mismatch is refused. `segmentWasCreated`: the segment or the file-lock directory did not exist.
    static func openLocks(machine: Machine, options: RuntimeOptions, rebooted: Bool) throws
        -> (manager: any LockManager, segmentWasCreated: Bool) {
        if let given = options.lockManager { return (given, false) }
        let config = options.config, fs = machine.fileSystem, bugs = options.injectedBugs
        switch config.lockType {
        case .shm:
            let path = config.lockSegmentPath
            let manager = try within("opening lock segment \(path)") {
                if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
                    try fs.makeDirectories(String(path[..<slash]), permissions: FilePermissions(rawValue: 0o755))
                }
                return try SHMLockManager.open(
                    mutexes: machine.mutexes, clock: machine.clock, path: path, numLocks: config.numLocks,
                    store: config.staticDir,
                    rebuildIfMismatched: rebooted || (options.forRenumber && !bugs.contains(.renumberRefusesResize)),  // BugInjection: #16119
                    bugs: bugs)
            }
            return (manager, manager.wasCreated)
        case .file:
            let created = !(try fs.exists(config.fileLocksDir))
            let manager = try within("opening file locks in \(config.fileLocksDir)") {
                try FileLockManager(fileSystem: fs, directory: config.fileLocksDir)
            }
            return (manager, created)
        }
    }
}
