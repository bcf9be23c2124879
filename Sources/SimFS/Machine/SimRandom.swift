/// splitmix64 (Steele, Lea and Flood, OOPSLA 2014): the one PRNG of the simulation. Every stream of a run
/// is one of these, seeded from the run's seed through `RunSeeds`: the world's boot ids, fault stream and
/// power-loss seeds, every simulated process's randomness, the scheduler's choices, the FUSE server's faults.
/// Bounded draws and coins are `below(_:)` and `chance(_:)` (Core), as for any `RandomNumberGenerator`.
///
/// Its state is a counter (each draw adds the golden gamma and hashes), so `output(_:)` reads any later
/// draw in O(1): substreams keyed by a number (a boot, a pid, a scenario line) need no state of their own.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    static let gamma: UInt64 = 0x9e37_79b9_7f4a_7c15

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= Self.gamma
        return Self.mix(state)
    }

    /// Draw number `index` (from 0) of this stream, without drawing the ones before it.
    public func output(_ index: UInt64) -> UInt64 {
        Self.mix(state &+ (index &+ 1) &* Self.gamma)
    }

    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// The seeds of one run, drawn from its one seed by a root `SplitMix64`, in this order (as TigerBeetle's
/// VOPR draws everything from one seed). A new component takes the next draw at the end, so the ones
/// before keep their streams.
///
/// 1. `boot`: boot ids; boot n (from 1) takes draws 2n−2 and 2n−1 of this stream.
/// 2. `clock`: the wall clock's epoch at the first boot.
/// 3. `listing`: the key of readdir's order.
/// 4. `faults`: the world's fault stream (probabilistic fault rules), one stream for the whole run.
/// 5. `powerLoss`: the loss seeds of scripted power cuts: a scenario's `power-loss` step on line L takes
///    draw L; the FUSE mount's Nth power loss takes draw N. (An injected power cut draws its loss seed from
///    the scheduler's stream and records it in its decision, so replay and shrinking keep it.)
/// 6. `processes`: per-process randomness; boot b's stream is seeded by draw b, and the process with pid p
///    in that boot gets the stream seeded by draw p of its boot's stream.
/// 7. `scheduler`: the scheduler's chooser: interleaving, PCT priorities, injections.
/// 8. `mountFaults`: the FUSE server's fault stream (`bootsim ctl DIR fault add --prob`).
/// 9. `swarm`: the scenario's free (`swarm`) injection rates (scenarios/README.md).
/// 10. `sweep`: a crash-point sweep's mixed outcomes (`bootsim sweep`): crash point k's subset j takes draw
///    64·k + j.
public struct RunSeeds: Hashable, Sendable {
    public var boot: UInt64
    public var clock: UInt64
    public var listing: UInt64
    public var faults: UInt64
    public var powerLoss: UInt64
    public var processes: UInt64
    public var scheduler: UInt64
    public var mountFaults: UInt64
    public var swarm: UInt64
    public var sweep: UInt64

    public init(_ seed: UInt64) {
        var root = SplitMix64(seed: seed)
        boot = root.next()
        clock = root.next()
        listing = root.next()
        faults = root.next()
        powerLoss = root.next()
        processes = root.next()
        scheduler = root.next()
        mountFaults = root.next()
        swarm = root.next()
        sweep = root.next()
    }

    /// The seed of the stream of process `pid` in boot `boot`.
    public func process(boot: UInt64, pid: ProcessID) -> UInt64 {
        SplitMix64(seed: SplitMix64(seed: processes).output(boot)).output(UInt64(UInt32(bitPattern: pid.rawValue)))
    }

    /// The two halves of the id of boot `boot` (from 1).
    public func bootID(_ boot: UInt64) -> (UInt64, UInt64) {
        let stream = SplitMix64(seed: self.boot)
        return (stream.output(2 &* boot &- 2), stream.output(2 &* boot &- 1))
    }

    /// The loss seed of a sweep's mixed outcome `subset` (from 0, below 64) at crash point `point` (see `sweep`).
    public func sweepLossSeed(point: Int, subset: Int) -> UInt64 {
        SplitMix64(seed: sweep).output(UInt64(point) &* 64 &+ UInt64(subset))
    }

    /// The loss seed of scripted power cut number `index` (see `powerLoss`).
    public func powerLossSeed(_ index: UInt64) -> UInt64 {
        SplitMix64(seed: powerLoss).output(index)
    }
}

extension SimWorld {
    /// The seeds of every component of this world, derived from `seed` (see `RunSeeds`).
    public var seeds: RunSeeds { RunSeeds(seed) }
}

/// `RandomSource` for one simulated process: its own splitmix stream, derived from the world seed, the boot
/// and the pid (`RunSeeds.process`), so the same seed gives every process the same numbers.
final class SimRandom: ProcessSeam, RandomSource {

    func next() -> UInt64 {
        world.performQuietly(process, .random) { process.random.next() }
    }
}
