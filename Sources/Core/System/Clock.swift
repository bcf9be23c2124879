/// A point on the monotonic clock (`CLOCK_MONOTONIC`), in nanoseconds since an arbitrary origin.
public struct MonotonicInstant: Comparable, Hashable, Sendable {
    public var nanoseconds: UInt64
    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static func < (a: MonotonicInstant, b: MonotonicInstant) -> Bool { a.nanoseconds < b.nanoseconds }

    public func advanced(byNanoseconds delta: UInt64) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: nanoseconds &+ delta)
    }
}

/// The clock seam: all time Core sees comes from here.
public protocol MachineClock: AnyObject, Sendable {
    /// `clock_gettime(CLOCK_MONOTONIC)`.
    func monotonicNow() -> MonotonicInstant
    /// `clock_gettime(CLOCK_REALTIME)`.
    func wallNow() -> WallTime
    /// Sleeps until the monotonic clock reaches `deadline` (`clock_nanosleep(TIMER_ABSTIME)`).
    func sleep(until deadline: MonotonicInstant) throws
}
