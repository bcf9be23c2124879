import Synchronization

/// The simulated machine: one object owning the inode tree, the virtual clock, the lock table, the process
/// table, the fault rules, the op log, the boot id and the kernel command line. Everything derives from `seed`.
///
/// Processes see the world through `machine(for:)`. Every protocol call of every process goes through one
/// choke point (`perform`), which in order: throws `ProcessKilled` if the process was killed, calls the
/// scheduling hook, applies the fault rules, runs the call, and appends it to the op log.
///
/// Processes are root: no permission checks are made (modes and owners are stored and reported only).
///
/// Nothing waits inside the world: concurrency is the scheduler's (`SimScheduling`), which parks a process
/// that must wait and finds deadlocks. Without a scheduler one thread drives the machine, so a call that would
/// have to wait for another process can never be satisfied and fails with EDEADLK.
public final class SimWorld {
    let lock = Mutex(())

    // Boot
    public let seed: UInt64
    var commandLineValue: String
    var bootCountValue: UInt64 = 0
    var bootIDValue = ""

    // Tree
    var inodes: [UInt64: Inode] = [:]
    var nextInode: UInt64 = 1
    var rootID: UInt64 = 0
    var regionRoots: [Region: UInt64] = [:]
    var procFiles: (cmdline: UInt64, bootID: UInt64) = (0, 0)
    /// Directory-entry changes on the disk not yet durable, oldest first (see Durability.swift).
    var pending: [EntryChange] = []

    // Clock
    var monotonic: UInt64 = 0
    var wallAtBoot: Int64 = 0
    /// The mount's real wall clock (`useWallClock`); nil in the simulation.
    var wallClock: (@Sendable () -> WallTime)?
    /// Virtual nanoseconds every call costs, so time moves even when nobody sleeps.
    public var opCost: UInt64 {
        get { lock.withLock { opCostValue } }
        set { lock.withLock { opCostValue = newValue } }
    }
    var opCostValue: UInt64 = 1_000

    // Faults and log
    var faultRules: [ActiveFault] = []
    var nextFaultID = 1
    var faultRandom: SplitMix64
    var log = OpLog()

    // Locks and processes
    var segments: [UInt64: SegmentState] = [:]
    /// The memory of files mapped shared, by inode, while any process maps them (Mappings.swift).
    var mappedMemory: [UInt64: MappedMemory] = [:]
    var processes: [Int32: SimProcess] = [:]
    var nextPid: Int32 = SimWorld.firstPid
    var programs: [String: SimProgram] = [:]
    /// Container inits under a monitor, by pid (SimMonitors.swift); they die with the boot.
    var monitored: [Int32: Monitored] = [:]
    /// Set before any process runs and not changed while they do, so the choke point reads it unlocked.
    var schedulerHook: (any SimScheduling)?

    static let firstPid: Int32 = 100

    /// A fresh machine: an empty disk with `/etc`, `/var`, `/usr`, `/dev`, `/root`, the tmpfs regions and
    /// `/proc`, booted once with `commandLine`.
    public init(seed: UInt64, commandLine: String = "") {
        self.seed = seed
        self.commandLineValue = commandLine
        self.faultRandom = SplitMix64(seed: RunSeeds(seed).faults)
        buildInitialTree()
        boot()
    }

    /// A world loaded from a snapshot image (saved worlds), with no processes.
    init(image: WorldImage) {
        self.seed = image.seed
        self.commandLineValue = image.commandLine
        self.faultRandom = image.faultRandom
        load(image)
    }

    /// The hook a scheduler installs to see every call as a scheduling point; nil runs calls straight away.
    public var scheduler: (any SimScheduling)? {
        get { lock.withLock { schedulerHook } }
        set { lock.withLock { schedulerHook = newValue } }
    }

    public var commandLine: String { lock.withLock { commandLineValue } }
    /// Boots so far, 1 after `init`.
    public var bootCount: UInt64 { lock.withLock { bootCountValue } }
    /// Like `/proc/sys/kernel/random/boot_id` without the newline.
    public var bootID: String { lock.withLock { bootIDValue } }

    @inline(__always)
    func inode(_ id: UInt64) -> Inode { inodes[id]! }

    func makeInode(region: Region, kind: FileKind, permissions: UInt32) -> Inode {
        let node = Inode(id: nextInode, region: region, kind: kind, permissions: permissions, time: wallTimeNow())
        nextInode += 1
        inodes[node.id] = node
        return node
    }
}

// The world is shared by the threads of its simulated processes. All mutable state is guarded by `lock`
// (every access goes through `perform` or `lock.withLock`), which makes it safe to send.
extension SimWorld: @unchecked Sendable {}

/// What a scheduler installs to see every call. Without one, calls run as they come on the caller's thread.
public protocol SimScheduling: AnyObject, Sendable {
    /// Called before every call of `pid`, outside the world lock: the scheduling point. It may park the
    /// calling thread until the scheduler lets `pid` run.
    func willPerform(_ pid: ProcessID, _ op: SimOp)
    /// `parent` spawned `child` (`ProcessControl.spawn`): run `program` as a new process of the scheduler,
    /// on the machine as the child sees it. Called outside the world lock.
    func spawned(_ child: ProcessID, name: String, by parent: ProcessID, program: @escaping @Sendable (Machine) -> Void)
    /// `pid` sleeps until `deadline`. Return true if the scheduler takes care of time (it parks the thread
    /// and advances the clock with `advanceClock`); false lets the world jump straight to the deadline.
    func sleep(_ pid: ProcessID, until deadline: MonotonicInstant) -> Bool
}
