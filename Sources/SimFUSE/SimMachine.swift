import Core
import Glibc
import SimFS

/// Serves a `SimWorld`: each real process gets its own simulated process (named after its command), so
/// descriptors, the world's op log and its pid-scoped faults stay per process. A reboot kills them all,
/// and the next request of a real pid gets a fresh one.
public final class SimMachine: MountedMachine {
    public let world: SimWorld
    private var views: [Int32: (pid: ProcessID, fs: any FileSystem)] = [:]
    private var powerLosses: UInt64 = 0

    public init(world: SimWorld) { self.world = world }

    public var seed: UInt64 { world.seed }

    /// File times from the real clock (`CLOCK_REALTIME`): real programs in the mount live in real time
    /// (`sleep 1` and compare mtimes, or compare them with `date`). `bootsim mount --virtual-clock` skips
    /// this and keeps the seeded clock; the simulation never calls it.
    public func followRealClock() {
        world.useWallClock {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            return WallTime(seconds: Int64(now.tv_sec), nanoseconds: Int64(now.tv_nsec))
        }
    }

    /// A fresh world, or the one saved at `worldFile` when that file exists.
    public static func load(worldFile: String?, seed: UInt64, commandLine: String?) throws -> SimMachine {
        if let worldFile, let bytes = try? HostFileSystem().readFile(worldFile) {
            let world = try SimWorld(serialized: bytes)
            if let commandLine { world.reboot(commandLine: commandLine) }
            return SimMachine(world: world)
        }
        return SimMachine(world: SimWorld(seed: seed, commandLine: commandLine ?? ""))
    }

    /// The caller's view, acting with the caller's fsuid and fsgid (from the request, so a process that
    /// changed its ids since is seen as it is now) and its supplementary groups, read from /proc only
    /// when a check needs them. SimFS checks its permissions; the kernel drops set-id bits itself.
    public func fileSystem(for caller: Caller) -> any FileSystem {
        let view: (pid: ProcessID, fs: any FileSystem)
        if let known = views[caller.pid] {
            view = known
        } else {
            let pid = world.spawn(name: caller.command)
            view = (pid, world.machine(for: pid).fileSystem)
            views[caller.pid] = view
        }
        let pid = caller.pid
        world.setCredentials(view.pid, Credentials(uid: caller.uid, gid: caller.gid), kernelDropsSetID: true,
                             groups: caller.uid == 0 ? nil : { Caller.groups(of: pid) })
        return view.fs
    }

    /// Off by default: the mount uses default_permissions, and SimFS's own checks (the same rules) agree.
    /// On (`bootsim mount --server-permissions`), the kernel leaves them to SimFS, with the gaps in
    /// docs/ARCHITECTURE.md ("Permissions").
    public var checksPermissions = false

    public func reboot(powerLoss: Bool, commandLine: String?) throws {
        views.removeAll()
        if powerLoss {
            powerLosses += 1
            world.powerLoss(seed: world.seeds.powerLossSeed(powerLosses), commandLine: commandLine)
        } else {
            world.reboot(commandLine: commandLine)
        }
    }

    public func statusLines() -> [String] {
        [
            "machine: simulated (seed \(world.seed))",
            "boot: \(world.bootCount) id \(world.bootID)",
            "cmdline: \(world.commandLine)",
            "processes: \(views.count) real callers this boot",
        ]
    }

    /// Writes the serialized world to `path` (through a temporary file and a rename).
    public func save(to path: String) throws {
        let host = HostFileSystem()
        let temporary = path + ".tmp"
        let fd = try host.open(temporary, [.write, .create, .truncate], permissions: FilePermissions(rawValue: 0o644))
        do {
            try host.writeAll(fd, world.serialized())
            try host.fsync(fd)
            try host.close(fd)
        } catch {
            try? host.close(fd)
            throw error
        }
        try host.rename(temporary, to: path)
    }
}
