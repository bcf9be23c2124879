/// A source of randomness (`getrandom(2)` on the real OS, the seed in simulation).
public protocol RandomSource: AnyObject, Sendable {
    func next() -> UInt64
}

extension RandomSource {
    /// A uniform value in `0..<bound` (bound > 0), without modulo bias.
    public func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return value % bound }
        }
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
