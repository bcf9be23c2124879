import Core
import Podrt
import SimFS

/// The harness's own process on the simulated machine: it sets up files between steps and reads the state
/// for the invariants. It never runs while scheduled processes do.
extension Runner {
    func harness() -> Machine {
        if let machine = harnessMachine, harnessBoot == world.bootCount, world.liveProcesses.contains(machine.processes.currentProcess) {
            return machine
        }
        let pid = world.spawn(name: "harness")
        // The checker reads the disk as it is: the scenario's fault rules are for the programs under test.
        world.exemptFromFaults(pid)
        let machine = world.machine(for: pid)
        harnessMachine = machine
        harnessBoot = world.bootCount
        return machine
    }
}

/// The harness's edits between steps, through `harness()`: the same on every driver.
extension ScenarioDriver {
    /// The binaries podrt looks for, and its configuration directory, made durable.
    func prepareMachine() {
        harnessWrite("/usr/bin/runc", Array("#!/bin/sh\n".utf8), append: false, mode: 0o755)
        harnessWrite("/usr/bin/conmon", Array("#!/bin/sh\n".utf8), append: false, mode: 0o755)
        harnessMakeDirectories("/var/lib/rootfs")
    }

    func harnessMakeDirectories(_ path: String) {
        let fs = harness().fileSystem
        var prefix = ""
        for component in path.split(separator: "/") {
            let parent = prefix.isEmpty ? "/" : prefix
            prefix += "/" + component
            if (try? fs.stat(prefix)) != nil { continue }
            try? fs.mkdir(prefix, permissions: FilePermissions(rawValue: 0o755))
            syncDirectory(parent)
        }
    }

    func syncDirectory(_ path: String) {
        let fs = harness().fileSystem
        guard let fd = try? fs.open(path, [.read, .directory]) else { return }
        try? fs.fsync(fd)
        try? fs.close(fd)
    }

    /// Writes a file durably (data and name), creating its directories: an edit made with care.
    func harnessWrite(_ path: String, _ bytes: [UInt8], append: Bool, mode: UInt32 = 0o644) {
        let fs = harness().fileSystem
        let parent = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        harnessMakeDirectories(parent)
        var options: OpenOptions = [.write, .create]
        options.insert(append ? .append : .truncate)
        guard let fd = try? fs.open(path, options, permissions: FilePermissions(rawValue: .init(mode))) else { return }
        try? fs.writeAll(fd, bytes)
        try? fs.fsync(fd)
        try? fs.close(fd)
        syncDirectory(parent.isEmpty ? "/" : parent)
    }

    /// `rm -rf`, without syncing (as tmpfiles cleanup or a careless admin would).
    func harnessRemove(_ path: String) { harness().fileSystem.removeTree(path) }
}
