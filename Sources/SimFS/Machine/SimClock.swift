/// Virtual time. The monotonic clock starts a few seconds into every boot; wall time is the boot's wall
/// start plus the monotonic clock, and the first boot's wall start derives from the seed. Time moves by
/// `opCost` per call, by latency faults, and by sleeps.
extension SimWorld {
    static let monotonicAtBoot: UInt64 = 5_000_000_000

    @inline(__always)
    func wallTimeNow() -> WallTime {
        if let wallClock { return wallClock() }
        let total = wallAtBoot &+ Int64(monotonic)
        return WallTime(seconds: total / 1_000_000_000, nanoseconds: total % 1_000_000_000)
    }

    /// Makes wall time (file times included) come from `source` instead of the virtual clock: a FUSE mount
    /// serves real programs in real time (`bootsim mount` without `--virtual-clock`). The simulation never
    /// sets one, so nothing in it reads the real clock. The monotonic clock stays virtual.
    public func useWallClock(_ source: @escaping @Sendable () -> WallTime) {
        lock.withLock { wallClock = source }
    }

    /// Moves virtual time forward (for a scheduler that jumps time when every process waits).
    public func advanceClock(to deadline: MonotonicInstant) {
        lock.withLock {
            if deadline.nanoseconds > monotonic { monotonic = deadline.nanoseconds }
        }
    }

    /// The monotonic clock now.
    public var now: MonotonicInstant { lock.withLock { MonotonicInstant(nanoseconds: monotonic) } }
    public var wallNow: WallTime { lock.withLock { wallTimeNow() } }
}

/// `MachineClock` for one simulated process.
final class SimClock: ProcessSeam, MachineClock {

    func monotonicNow() -> MonotonicInstant {
        world.performQuietly(process, .monotonicNow) { MonotonicInstant(nanoseconds: world.monotonic) }
    }

    func wallNow() -> WallTime {
        world.performQuietly(process, .wallNow) { world.wallTimeNow() }
    }

    /// Without a scheduler, time jumps straight to the deadline. A scheduler can take over (see
    /// `SimScheduling.sleep`) and jump time only when every process waits.
    func sleep(until deadline: MonotonicInstant) throws {
        let hook = try world.perform(process, .sleep, "") { () -> (any SimScheduling)? in
            guard let hook = world.schedulerHook else {
                if deadline.nanoseconds > world.monotonic { world.monotonic = deadline.nanoseconds }
                return nil
            }
            return hook
        }
        if let hook, !hook.sleep(process.pid, until: deadline) {
            world.advanceClock(to: deadline)
        }
        try world.lock.withLock {
            if process.killed { throw ProcessKilled(reason: process.killReason) }
        }
    }
}
