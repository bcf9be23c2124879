import Core
/// Running containers: start under a monitor, stop, kill and wait, and keeping each row in step with what its
/// monitor recorded (podman's `syncContainer`). Signals go through the OCI runtime only, never to a pid read
/// from the database: runc checks that the process it signals is still the container's init.
extension Runtime {
    static let signalKill: Int32 = 9
    static let signalTerminate: Int32 = 15
    /// How often a waiter looks at the exit file (podman polls its exit file too, every 100 ms).
    static let exitPollNanoseconds: UInt64 = 1_000_000

    /// The OCI runtime for `container`: the given one, else runc (its configured paths) under podrt-monitor.
    func ociRuntime(for container: Container) throws -> any OCIRuntime {
        if let givenOCIRuntime { return givenOCIRuntime }
        // Only this runtime's candidates: discovering every runtime and conmon costs two dozen stats.
        let fs = machine.fileSystem
        guard let runc = config.runtimes[container.runtime]?.first(where: { OCIRuntimes.isExecutable($0, fs) }) else {
            throw RuntimeError.runtimeMissing(container.runtime)
        }
        guard let monitor = config.monitorPath.first(where: { OCIRuntimes.isExecutable($0, machine.fileSystem) }) else {
            throw RuntimeError.monitorMissing(config.monitorPath)
        }
        return RuncRuntime(runc: runc, monitor: monitor, stateDirectory: config.tmpDir + "/runc",
                           rootless: config.rootlessUID != nil, machine: machine)
    }

    public func paths(of container: Container) -> ContainerPaths { ContainerPaths(config: config, id: container.id) }

    /// Whether this boot's runtime created the container: its pid file is on the tmpfs. A state recorded
    /// without a runtime (`set-state`, or a row from before a reboot) has none.
    func hasRuntimeState(_ container: Container) throws -> Bool {
        try machine.fileSystem.exists(paths(of: container).pidFile)
    }

    /// Whether the container's process runs: its state says so, this boot's runtime created it, and its
    /// monitor has recorded no exit.
    func isRunning(_ container: Container) throws -> Bool {
        guard [.running, .paused, .stopping].contains(container.state), try hasRuntimeState(container) else {
            return false
        }
        return try !machine.fileSystem.exists(paths(of: container).exitFile)
    }

    /// Once the monitor has recorded the exit: the row becomes `exited` with the code and time, and runc
    /// forgets the container. The caller holds the container's lock.
    @discardableResult
    func sync(_ container: Container) throws -> Container {
        guard [.running, .paused, .stopping, .created].contains(container.state), try hasRuntimeState(container) else {
            return container
        }
        let oci = try ociRuntime(for: container)
        guard let exit = try oci.exit(paths: paths(of: container)) else { return container }
        var updated = container
        updated.state = .exited
        updated.pid = 0
        // The row is updated while runc deletes, as podman records the exit whatever the delete gives.
        try oci.delete(id: container.id, paths: paths(of: container)) {
            try store.transaction {
                try store.updateState(of: updated)
                try store.recordExit(of: container.id, exit)
                try adjustMountCounts(container, by: -1)
            }
            try event(.container, "died", id: container.id, name: container.name)
        }
        return updated
    }

    /// The container `key` as it is now, synced under its lock.
    public func inspectContainer(_ key: String) throws -> (container: Container, exit: ContainerExit?) {
        let found = try lookupContainer(key)
        let container = try withLock(try locks.retrieve(found.lockID)) { try sync(try lookupContainer(found.id)) }
        return (container, try store.recordedExit(of: container.id))
    }

    /// Starts the container: writes its bundle, and has the runtime create and start it under a monitor.
    public func startContainer(_ key: String) throws -> Container {
        let found = try lookupContainer(key)
        return try withLock(try locks.retrieve(found.lockID)) {
            var container = try sync(try lookupContainer(found.id))
            guard try !isRunning(container) else { throw RuntimeError.alreadyRunning(container.name) }
            let oci = try ociRuntime(for: container)
            let paths = paths(of: container)
            if try hasRuntimeState(container) {
                try oci.delete(id: container.id, paths: paths)  // runc's state of an earlier run in this boot
                for leftover in [paths.exitFile, paths.pidFile] {
                    do { try machine.fileSystem.unlink(leftover) } catch Errno.noSuchFileOrDirectory {}
                }
            }
            try writeBundle(container, paths)
            do {
                container.pid = try oci.run(id: container.id, paths: paths)
            } catch {
                // Nothing runs: leave no files, so a container that never started has none (rm skips them).
                try? removeTree(paths.bundle)
                if container.state == .configured { try? removeTree(paths.logDirectory) }
                throw error
            }
            container.state = .running
            try store.transaction {
                try store.updateState(of: container)
                try adjustMountCounts(container, by: 1)
            }
            try event(.container, "start", id: container.id, name: container.name)
            return container
        }
    }

    /// The volumes `container` mounts are mounted once more (`delta` 1, at its start) or once less (-1, when its
    /// exit is synced or it is removed running). Inside the caller's transaction.
    func adjustMountCounts(_ container: Container, by delta: Int64) throws {
        guard !container.volumes.isEmpty else { return }
        try store.adjustMountCount(container.volumes.map(\.volume), by: delta) { self.volumeData($0) }
    }

    /// A volume's own directory, `static_dir/volumes/NAME`, as podman's local driver; its data is in `_data`.
    func volumeDirectory(_ name: String) -> String { config.staticDir + "/volumes/" + name }

    /// A volume's data: `static_dir/volumes/NAME/_data`, what a container bind-mounts.
    func volumeData(_ name: String) -> String { volumeDirectory(name) + "/_data" }

    /// The first executable of `init_path`, for `--init`.
    func initBinary() throws -> String {
        guard let found = config.initPath.first(where: { OCIRuntimes.isExecutable($0, machine.fileSystem) }) else {
            throw RuntimeError.initMissing(config.initPath)
        }
        return found
    }

    /// The bundle: `config.json` and the directories the monitor writes to. The rootfs must be a directory.
    func writeBundle(_ container: Container, _ paths: ContainerPaths) throws {
        let fs = machine.fileSystem
        guard container.rootfs.hasPrefix("/"), let status = try? fs.stat(container.rootfs), status.kind == .directory else {
            throw RuntimeError.badRootfs(container.rootfs)
        }
        var sources: [String: String] = [:]
        for volume in container.volumes {
            let data = volumeData(volume.volume)
            try fs.makeDirectories(data, permissions: FilePermissions(rawValue: 0o755))
            sources[volume.volume] = data
        }
        try within("creating the bundle \(paths.bundle)") {
            try fs.makeDirectories(paths.bundle, permissions: FilePermissions(rawValue: 0o700))
            try fs.makeDirectories(paths.logDirectory, permissions: FilePermissions(rawValue: 0o700))
            let fd = try fs.open(paths.configFile, [.write, .create, .truncate], permissions: FilePermissions(rawValue: 0o600))
            defer { try? fs.close(fd) }
            try fs.writeAll(fd, Array(OCISpec.config(for: container, volumeSources: sources, config: config,
                                                      initBinary: container.runsInit ? try initBinary() : nil).serialized().utf8))
        }
    }

    /// Sends `signal` through the runtime; an error when the container does not run.
    public func killContainer(_ key: String, signal: Int32) throws {
        let (container, _) = try inspectContainer(key)
        guard try isRunning(container),
              try ociRuntime(for: container).kill(id: container.id, signal: signal, paths: paths(of: container))
        else { throw RuntimeError.notRunning(container.name) }
    }

    /// SIGTERM, then SIGKILL once `timeoutSeconds` pass, as `podman stop -t`. A container that does not run is
    /// left as it is. Returns the container as it ends up.
    @discardableResult
    public func stopContainer(_ key: String, timeoutSeconds: UInt64 = 10) throws -> Container {
        let (container, _) = try inspectContainer(key)
        guard try isRunning(container) else { return container }
        let oci = try ociRuntime(for: container)
        let paths = paths(of: container)
        if try oci.kill(id: container.id, signal: Self.signalTerminate, paths: paths),
           try waitForExit(paths, oci, nanoseconds: timeoutSeconds * 1_000_000_000) == nil {
            _ = try oci.kill(id: container.id, signal: Self.signalKill, paths: paths)
            _ = try waitForExit(paths, oci, nanoseconds: 10_000_000_000)
        }
        let stopped = try inspectContainer(container.id).container
        try event(.container, "stop", id: container.id, name: container.name)
        return stopped
    }

    /// Waits until the container does not run; its recorded exit code (podman's `wait`).
    public func waitContainer(_ key: String) throws -> Int32 {
        let (container, exit) = try inspectContainer(key)
        guard try isRunning(container) else { return exit?.code ?? 0 }
        _ = try waitForExit(paths(of: container), try ociRuntime(for: container), nanoseconds: nil)
        return try inspectContainer(container.id).exit?.code ?? 0
    }

    /// Polls the exit file until it is written, or until `nanoseconds` pass (nil: forever).
    func waitForExit(_ paths: ContainerPaths, _ oci: any OCIRuntime, nanoseconds: UInt64?) throws -> ContainerExit? {
        let clock = machine.clock
        let deadline = nanoseconds.map { clock.monotonicNow().advanced(byNanoseconds: $0) }
        while true {
            if let exit = try oci.exit(paths: paths) { return exit }
            if let deadline, clock.monotonicNow() >= deadline { return nil }
            try clock.sleep(until: clock.monotonicNow().advanced(byNanoseconds: Self.exitPollNanoseconds))
        }
    }

    /// Removes what the runtime and the monitor left of the container: runc's state, the bundle, the log.
    func removeRuntimeFiles(_ container: Container) throws {
        let paths = paths(of: container)
        // An exited container's runc state went at its sync; only one that may still run needs a delete.
        if [.running, .paused, .stopping, .created].contains(container.state), try hasRuntimeState(container) {
            try ociRuntime(for: container).delete(id: container.id, paths: paths)
        }
        try removeTree(paths.bundle)
        try removeTree(paths.logDirectory)
    }

    func removeTree(_ path: String) throws {
        let fs = machine.fileSystem
        let entries: [DirectoryEntry]
        do { entries = try fs.readdir(path) } catch Errno.noSuchFileOrDirectory { return }
        for entry in entries {
            if entry.kind == .directory { try removeTree(path + "/" + entry.name) } else { try fs.unlink(path + "/" + entry.name) }
        }
        try fs.rmdir(path)
    }
}

extension Runtime {
    /// Whether the container runs now (synced first), for `logs -f` and attached runs.
    public func isContainerRunning(_ key: String) throws -> Bool { try isRunning(try inspectContainer(key).container) }

    /// Whether the monitor has recorded the container's exit: one stat, for a follower polling every ms.
    public func exitRecorded(_ container: Container) throws -> Bool {
        try machine.fileSystem.exists(paths(of: container).exitFile)
    }
}
