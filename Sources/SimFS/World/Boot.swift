/// Building the machine, booting, and clean reboots.
extension SimWorld {
    func buildInitialTree() {
        wallAtBoot = (1_600_000_000 + Int64(seeds.clock % 200_000_000)) * 1_000_000_000
        monotonic = Self.monotonicAtBoot
        let root = makeInode(region: .disk, kind: .directory, permissions: 0o755)
        root.parent = root.id
        root.linkCount = 1
        root.isMountRoot = true
        rootID = root.id
        func directory(_ parent: Inode, _ name: String, _ region: Region, _ mode: UInt32) -> Inode {
            let node = makeInode(region: region, kind: .directory, permissions: mode)
            setEntry(parent, name, to: node)
            parent.durableEntries[name] = node.id
            node.durableLinks = 1
            return node
        }
        for name in ["etc", "usr", "home", "mnt"] { _ = directory(root, name, .disk, 0o755) }
        _ = directory(root, "root", .disk, 0o700)
        let varDirectory = directory(root, "var", .disk, 0o755)
        _ = directory(varDirectory, "lib", .disk, 0o755)
        _ = directory(varDirectory, "tmp", .disk, 0o1777)
        let dev = directory(root, "dev", .disk, 0o755)
        regionRoots[.run] = directory(root, "run", .run, 0o755).id
        regionRoots[.tmp] = directory(root, "tmp", .tmp, 0o1777).id
        regionRoots[.shm] = directory(dev, "shm", .shm, 0o1777).id
        let proc = directory(root, "proc", .proc, 0o555)
        regionRoots[.proc] = proc.id
        for id in regionRoots.values { inode(id).isMountRoot = true }
        let random = directory(directory(directory(proc, "sys", .proc, 0o555), "kernel", .proc, 0o555),
                               "random", .proc, 0o555)
        func file(_ parent: Inode, _ name: String) -> Inode {
            let node = makeInode(region: .proc, kind: .regular, permissions: 0o444)
            setEntry(parent, name, to: node)
            parent.durableEntries[name] = node.id
            node.durableLinks = 1
            return node
        }
        procFiles = (file(proc, "cmdline").id, file(random, "boot_id").id)
    }

    /// Starts a boot: new boot id, fresh /proc views, pids from the start.
    func boot() {
        bootCountValue += 1
        let (high, low) = seeds.bootID(bootCountValue)
        bootIDValue = Self.formatUUID(high, low)
        inode(procFiles.cmdline).data = Array((commandLineValue + "\n").utf8)
        inode(procFiles.bootID).data = Array((bootIDValue + "\n").utf8)
        processes = [:]
        nextPid = Self.firstPid
    }

    /// A random (version 4) UUID as Linux prints it: 36 lowercase characters.
    static func formatUUID(_ high: UInt64, _ low: UInt64) -> String {
        let a = (high & 0xffff_ffff_ffff_0fff) | 0x4000
        let b = (low & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        return hex(a >> 32, 8) + "-" + hex((a >> 16) & 0xffff, 4) + "-" + hex(a & 0xffff, 4) + "-"
            + hex(b >> 48, 4) + "-" + hex(b & 0xffff_ffff_ffff, 12)
    }

    /// A clean reboot: every process is killed, everything pending becomes durable, the tmpfs regions are
    /// wiped, and the machine boots with a new boot id (and `commandLine` if given).
    public func reboot(commandLine: String? = nil) {
        lock.withLock {
            killEveryone("reboot")
            commitEverything()
            restart(commandLine: commandLine)
            recordWorldEvent(.reboot, bootIDValue)
        }
    }

    func killEveryone(_ reason: String) {
        monitored = [:]  // the monitors die with their containers: nobody records an exit
        for process in processes.values.sorted(by: { $0.pid < $1.pid }) {
            terminate(process, status: .signaled(9), reason: reason)
        }
    }

    /// After the disk has settled on its durable state: rebuild the live tree from it, wipe tmpfs, boot.
    func restart(commandLine: String?) {
        rebuildFromDurable()
        if let commandLine { commandLineValue = commandLine }
        wallAtBoot += Int64(monotonic) + 30_000_000_000
        monotonic = Self.monotonicAtBoot
        boot()
    }

    /// Makes the live tree the durable one, drops what has no durable name, empties tmpfs.
    func rebuildFromDurable() {
        pending = []
        for node in inodes.values {
            node.openCount = 0
            node.exclusiveHolder = nil
            node.sharedHolders = []
            node.rangeLocks = []
            guard node.region == .disk else { continue }
            node.entries = node.durableEntries
            node.data = node.durableData
            node.hole = node.durableHole
            node.dataDirty = false
            node.linkCount = 0
            node.durableLinks = 0
            node.pendingLinks = 0
            node.subdirectoryCount = 0
        }
        for id in regionRoots.values { inode(id).linkCount = 0 }  // counted again below
        let root = inode(rootID)
        root.linkCount = 1
        var visited: Set<UInt64> = [rootID]
        var stack = [root]
        while let directory = stack.popLast() {
            for name in directory.entries.keys.sorted() {
                let id = directory.entries[name]!
                guard let child = inodes[id], !(child.kind == .directory && visited.contains(id)) else {
                    directory.entries[name] = nil
                    directory.durableEntries[name] = nil
                    continue
                }
                child.linkCount += 1
                if child.region == .disk { child.durableLinks += 1 }
                guard child.kind == .directory else { continue }
                directory.subdirectoryCount += 1
                child.parent = directory.id
                child.name = name
                visited.insert(id)
                if child.region == .disk { stack.append(child) }
            }
        }
        let roots = Set(regionRoots.values)
        for (id, node) in inodes {
            if node.region == .disk && node.linkCount == 0 && id != rootID { inodes[id] = nil }
            if node.region.isTmpfs {
                if roots.contains(id) {
                    node.entries = [:]
                    node.durableEntries = [:]
                    node.subdirectoryCount = 0
                } else {
                    inodes[id] = nil
                }
            }
        }
        segments = segments.filter { inodes[$0.key] != nil }
        mappedMemory = [:]  // the page cache does not survive a boot
    }
}
