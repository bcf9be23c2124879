import Core
import SimFS

/// One choice the seed made that the default schedule would not have: run another process, kill one,
/// reboot the machine or cut its power. A run is its scenario plus its list of decisions; replaying the
/// list repeats the run exactly, and shrinking removes decisions from it.
public enum Decision: Hashable, Sendable, CustomStringConvertible {
    /// At choice point `step` (the scheduler's count of choices, not of ops), run the process with serial
    /// number `serial` instead of the default one.
    case run(step: Int, serial: Int)
    /// At `step`, kill the live process with serial number `serial`.
    case kill(step: Int, serial: Int)
    /// At `step`, reboot the machine cleanly.
    case reboot(step: Int)
    /// At `step`, cut the power; `lossSeed` decides what pending writes survive.
    case powerLoss(step: Int, lossSeed: UInt64)

    public var step: Int {
        switch self {
        case let .run(step, _), let .kill(step, _), let .reboot(step), let .powerLoss(step, _): return step
        }
    }

    public var description: String {
        switch self {
        case let .run(step, serial): return "\(step):run:\(serial)"
        case let .kill(step, serial): return "\(step):kill:\(serial)"
        case let .reboot(step): return "\(step):reboot"
        case let .powerLoss(step, seed): return "\(step):power:\(seed)"
        }
    }

    /// Parses `description`.
    public init?(_ text: Substring) {
        let parts = text.split(separator: ":")
        guard parts.count >= 2, let step = Int(parts[0]) else { return nil }
        switch (parts[1], parts.count) {
        case ("run", 3): guard let s = Int(parts[2]) else { return nil }; self = .run(step: step, serial: s)
        case ("kill", 3): guard let s = Int(parts[2]) else { return nil }; self = .kill(step: step, serial: s)
        case ("reboot", 2): self = .reboot(step: step)
        case ("power", 3): guard let s = UInt64(parts[2]) else { return nil }; self = .powerLoss(step: step, lossSeed: s)
        default: return nil
        }
    }
}

/// What a scheduler asks at every scheduling point.
protocol Chooser: AnyObject {
    /// A kill, reboot or power loss to inject at `step`, if any. `live` gives the serials of live processes
    /// (never none at a scheduling point: the caller is live); it is asked only when a kill needs a victim.
    func injection(step: Int, live: () -> [Int]) -> Decision?
    /// The serial to run next among `runnable` (sorted), where `preferred` is the default choice: the
    /// current process if it can go on, else the lowest serial.
    func choose(step: Int, runnable: [Int], preferred: Int, current: Int?) -> Int
    /// A new process joined the run.
    func added(serial: Int)
    /// `serial` goes on at a scheduling point where no other process could run (no choice was asked).
    func proceeds(serial: Int)
    /// `serial`'s body has returned: its exit released whatever it still held.
    func ended(serial: Int)
    /// Something no footprint names happened (time jumped, an injection, a deadlock's kills).
    func disturbed()
}

/// Only `bootsim explore` follows transitions one by one (Explore/ExploreChooser.swift).
extension Chooser {
    func proceeds(serial: Int) {}
    func ended(serial: Int) {}
    func disturbed() {}
}

/// How often the seed injects faults into a run, per scheduling point.
public struct InjectionRates: Hashable, Sendable {
    public var kill = 0.0
    public var reboot = 0.0
    public var powerLoss = 0.0
    /// At most this many injections per run.
    public var limit = 1
    /// The rates a scenario leaves to the seed (`inject: kill=swarm`): `drawn(seed:)` sets them.
    public var swarm: Set<Kind> = []
    public init() {}
    var any: Bool { kill > 0 || reboot > 0 || powerLoss > 0 }

    /// The rates `inject:` names, in the order their swarm draws are taken.
    public enum Kind: Int, Hashable, Sendable, CaseIterable {
        case kill, reboot, powerLoss
    }

    /// What a swarm rate can be when it is on (per scheduling point).
    public static let swarmLadder = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02]

    /// These rates with each swarm rate drawn from `seed` (the run's `RunSeeds.swarm`), swarm testing
    /// (Groce et al., ISSTA 2012): rate k (kill 0, reboot 1, power 2) draws from the stream seeded by draw k
    /// of `seed`'s stream: off (0) with probability 1/2, else a uniform step of `swarmLadder`. So each seed
    /// runs with its own mix, some with no kills at all, some with many. Rates the scenario sets are exact.
    public func drawn(seed: UInt64) -> InjectionRates {
        guard !swarm.isEmpty else { return self }
        var rates = self
        rates.swarm = []
        let stream = SplitMix64(seed: seed)
        for kind in Kind.allCases where swarm.contains(kind) {
            var draws = SplitMix64(seed: stream.output(UInt64(kind.rawValue)))
            let value = draws.chance(0.5) ? Self.swarmLadder[draws.below(Self.swarmLadder.count)] : 0
            switch kind {
            case .kill: rates.kill = value
            case .reboot: rates.reboot = value
            case .powerLoss: rates.powerLoss = value
            }
        }
        return rates
    }
}

/// Replays a list of decisions; everything else takes the default.
final class ScriptedChooser: Chooser {
    var runs: [Int: Int] = [:]
    var injections: [Int: Decision] = [:]

    init(_ decisions: [Decision]) {
        for decision in decisions {
            if case let .run(step, serial) = decision { runs[step] = serial } else { injections[decision.step] = decision }
        }
    }

    func injection(step: Int, live: () -> [Int]) -> Decision? {
        guard let decision = injections[step] else { return nil }
        if case let .kill(_, serial) = decision, !live().contains(serial) { return nil }
        return decision
    }

    func choose(step: Int, runnable: [Int], preferred: Int, current: Int?) -> Int {
        if let serial = runs[step], runnable.contains(serial) { return serial }
        return preferred
    }

    func added(serial: Int) {}
}
