import Glibc

/// The real clocks behind `MachineClock`.
public final class HostClock: MachineClock {
    public init() {}

    /// `clock_gettime(CLOCK_MONOTONIC)`.
    public func monotonicNow() -> MonotonicInstant {
        RealWorldGuard.check("clock")
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return MonotonicInstant(nanoseconds: UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec))
    }

    /// `clock_gettime(CLOCK_REALTIME)`.
    public func wallNow() -> WallTime {
        RealWorldGuard.check("clock")
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return WallTime(time)
    }

    /// `clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)`. An absolute deadline makes the EINTR retry exact:
    /// the sleep resumes towards the same instant.
    public func sleep(until deadline: MonotonicInstant) throws {
        RealWorldGuard.check("clock (a sleep)")
        var time = timespec(
            tv_sec: Int(deadline.nanoseconds / 1_000_000_000), tv_nsec: Int(deadline.nanoseconds % 1_000_000_000))
        while true {
            let result = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &time, nil)
            if result == 0 { return }
            if result != EINTR { throw Errno(rawValue: result) }
        }
    }
}
