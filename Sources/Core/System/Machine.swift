/// A source of randomness (`getrandom(2)` on the real OS, the seed in simulation).
public protocol RandomSource: AnyObject, Sendable {
    func next() -> UInt64
}

extension RandomSource {
    /// A uniform value in `0..<bound` (bound > 0), without bias: the one bounded draw, below.
    public func next(below bound: UInt64) -> UInt64 {
        var draws = RandomSourceDraws(source: self)
        return draws.next(below: bound)
    }
}

/// A `RandomSource` as a `RandomNumberGenerator`, for the bounded draw.
public struct RandomSourceDraws: RandomNumberGenerator {
    public let source: any RandomSource
    public init(source: any RandomSource) { self.source = source }
    public mutating func next() -> UInt64 { source.next() }
}

// The project's one bounded draw and one coin, for every generator: SimFS's `SplitMix64` (the world, the
// scheduler, the FUSE server, per-process streams) and a machine's `RandomSource` (through
// `RandomSourceDraws`, so podrt's names draw the same way). Swift's own `random(in:using:)` is not used.
extension RandomNumberGenerator {
    /// A uniform value in `0..<bound` (bound > 0), without modulo bias: a draw at or above the largest
    /// multiple of `bound` that fits is rejected and drawn again (less than one draw in 2^64/bound), the
    /// others are taken modulo `bound`.
    @inlinable
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "next(below: 0)")
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return value % bound }
        }
    }

    /// `next(below:)` for `Int` bounds (bound > 0).
    @inlinable
    public mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next(below: UInt64(bound)))
    }

    /// True with probability `p` (53 random bits against `p`: never for p ≤ 0, always for p ≥ 1).
    @inlinable
    public mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) * 0x1.0p-53 < p
    }
}

/// Thrown by a simulated machine into a process it has killed (a crash or a reboot). Core never catches it:
/// it unwinds the process.
public struct ProcessKilled: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "process killed: \(reason)" }
}

/// One machine as Core sees it: the four seams plus randomness, all for one calling process.
public struct Machine: Sendable {
    public let fileSystem: any FileSystem
    public let clock: any MachineClock
    public let mutexes: any MutexSegments
    public let processes: any ProcessControl
    public let random: any RandomSource

    public init(
        fileSystem: any FileSystem, clock: any MachineClock, mutexes: any MutexSegments,
        processes: any ProcessControl, random: any RandomSource
    ) {
        self.fileSystem = fileSystem
        self.clock = clock
        self.mutexes = mutexes
        self.processes = processes
        self.random = random
    }
}
