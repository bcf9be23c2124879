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
    /// changed its ids since is seen as it is now); the kernel checks its permissions (default_permissions), SimFS agrees.
    public func fileSystem(for caller: Caller) -> any FileSystem {
        let view: (pid: ProcessID, fs: any FileSystem)
        if let known = views[caller.pid] {
            view = known
        } else {
            let pid = world.spawn(name: caller.command)
            view = (pid, world.machine(for: pid).fileSystem)
            views[caller.pid] = view
        }
        world.setCredentials(view.pid, Credentials(uid: caller.uid, gid: caller.gid), kernelDropsSetID: true)
        return view.fs
    }

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
