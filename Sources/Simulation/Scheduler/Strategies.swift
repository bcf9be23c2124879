import Core
import SimFS

/// The scheduling strategies: a seeded random walk, and PCT (probabilistic concurrency testing).
public enum Strategy: String, Hashable, Sendable, CaseIterable {
    case random, pct
}

/// Shared by both strategies: the seeded injections, and recording the decisions that differ from the default.
/// `seed` is the run's scheduler seed (`RunSeeds.scheduler`); a test may pass any number.
class SeededChooser: Chooser {
    var random: SplitMix64
    let rates: InjectionRates
    var injected = 0
    private(set) var decisions: [Decision] = []

    init(seed: UInt64, rates: InjectionRates) {
        random = SplitMix64(seed: seed)
        self.rates = rates
    }

    func injection(step: Int, live: () -> [Int]) -> Decision? {
        guard rates.any, injected < rates.limit else { return nil }
        var decision: Decision?
        if random.chance(rates.kill) {
            let serials = live()
            guard !serials.isEmpty else { return nil }
            decision = .kill(step: step, serial: serials[random.below(serials.count)])
        } else if random.chance(rates.reboot) {
            decision = .reboot(step: step)
        } else if random.chance(rates.powerLoss) {
            decision = .powerLoss(step: step, lossSeed: random.next())
        }
        if let decision {
            injected += 1
            decisions.append(decision)
        }
        return decision
    }

    func pick(step: Int, runnable: [Int], preferred: Int, current: Int?) -> Int { preferred }

    final func choose(step: Int, runnable: [Int], preferred: Int, current: Int?) -> Int {
        guard runnable.count > 1 else { return preferred }
        let chosen = pick(step: step, runnable: runnable, preferred: preferred, current: current)
        if chosen != preferred { decisions.append(.run(step: step, serial: chosen)) }
        return chosen
    }

    func added(serial: Int) {}
}

/// Random walk: at each point, with probability `switchChance`, run a uniformly chosen runnable process;
/// when the current one cannot go on, a uniformly chosen one.
final class RandomWalkChooser: SeededChooser {
    let switchChance: Double

    init(seed: UInt64, rates: InjectionRates, switchChance: Double) {
        self.switchChance = switchChance
        super.init(seed: seed, rates: rates)
    }

    override func pick(step: Int, runnable: [Int], preferred: Int, current: Int?) -> Int {
        if preferred != current || random.chance(switchChance) { return runnable[random.below(runnable.count)] }
        return preferred
    }
}

/// PCT (Burckhardt et al., ASPLOS 2010): random distinct priorities, the highest-priority runnable process
/// runs, and at `depth - 1` random steps in `1...steps` the running process drops below all others. A bug
/// of depth d is found with probability at least 1/(n·k^(d−1)) per run (n processes, k steps).
final class PCTChooser: SeededChooser {
    let depth: Int
    let steps: Int
    var priorities: [Int: Int] = [:]
    var changePoints: [Int: Int] = [:]

    init(seed: UInt64, rates: InjectionRates, depth: Int, steps: Int) {
        self.depth = depth
        self.steps = max(steps, 1)
        super.init(seed: seed, rates: rates)
        for index in 0..<max(depth - 1, 0) { changePoints[1 + random.below(self.steps)] = index }
    }

    override func added(serial: Int) {
        // Distinct priorities above the change-point range: depth + a random offset.
        priorities[serial] = depth + 1 + random.below(1 << 20) * 64 + serial % 64
    }

    override func pick(step: Int, runnable: [Int], preferred: Int, current: Int?) -> Int {
        if let low = changePoints[step], let top = runnable.max(by: { priorities[$0, default: 0] < priorities[$1, default: 0] }) {
            priorities[top] = low
        }
        return runnable.max { priorities[$0, default: 0] < priorities[$1, default: 0] } ?? preferred
    }

    /// The PCT guarantee for `processes` processes and `steps` steps.
    static func bound(processes: Int, steps: Int, depth: Int) -> Double {
        var value = Double(max(processes, 1))
        for _ in 0..<max(depth - 1, 0) { value *= Double(max(steps, 1)) }
        return 1 / value
    }
}
