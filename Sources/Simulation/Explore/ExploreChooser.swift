import Core
import SimFS

/// One choice point of an explored schedule: which process runs (`run`), or whether to inject a kill, a
/// reboot or a power cut here (`inject`, option 0 is none).
struct ExploreNode {
    enum Kind { case run, inject }
    var kind: Kind
    /// The runnable serials (`run`) or the injections (`inject`, nil first).
    var serials: [Int] = []
    var injections: [Decision?] = []
    /// Per run option: what its transition touches (`Footprint`); a last transition is upgraded to global.
    var labels: [Footprint] = []
    /// The process that could have gone on (a switch away from it is a preemption), if any.
    var current: Int?
    /// Preemptions and injections spent before this node.
    var cost = 0
    var injected = 0
    /// The sleep set here: transitions whose reorderings a sibling branch has covered already.
    var sleep: [SleepEntry] = []
    /// Options tried so far, in order; the last is the one the current schedule takes.
    var tried: [Int] = []

    var count: Int { kind == .run ? serials.count : injections.count }
    var chosen: Int { tried[tried.count - 1] }

    /// What option `index` spends of the bound.
    func cost(of index: Int) -> Int {
        switch kind {
        case .run: return current != nil && serials[index] != current ? 1 : 0
        case .inject: return index == 0 ? 0 : 1
        }
    }

    /// The options in the order explore tries them: the default (the current process, or the lowest serial),
    /// then the rest in serial order; injections: none, then in their order.
    var order: [Int] {
        guard kind == .run, let current, let at = serials.firstIndex(of: current) else { return Array(0..<count) }
        return [at] + (0..<count).filter { $0 != at }
    }

    /// Whether option `index` runs a process asleep here.
    func asleep(_ index: Int) -> Bool {
        kind == .run && sleep.contains { $0.serial == serials[index] }
    }
}

struct SleepEntry: Hashable {
    var serial: Int
    var label: Footprint
}

/// What explore may inject at a scheduling point of a `together` block (the scenario's `inject:` kinds) and
/// how many times per schedule (its `limit`).
struct InjectionChoices {
    var kill = false
    var reboot = false
    /// The power-cut seeds tried: one per outcome class of `SimWorld.powerLoss` (drop all, keep all, mixed).
    var powerSeeds: [UInt64] = []
    var limit = 1
    var any: Bool { kill || reboot || !powerSeeds.isEmpty }

    init(_ rates: InjectionRates) {
        kill = rates.kill > 0 || rates.swarm.contains(.kill)
        reboot = rates.reboot > 0 || rates.swarm.contains(.reboot)
        if rates.powerLoss > 0 || rates.swarm.contains(.powerLoss) { powerSeeds = Self.classSeeds }
        limit = rates.limit
    }

    /// The lowest seeds whose first draw picks each mode of `SimWorld.powerLoss`: 0 drop everything, 1 keep
    /// everything, 2 mix (3 is a second mix).
    static let classSeeds: [UInt64] = (0..<3).map { mode in
        var seed: UInt64 = 0
        while true {
            var random = SplitMix64(seed: seed)
            if random.below(4) == mode { return seed }
            seed += 1
        }
    }
}

/// The chooser of one explored schedule: it takes the choices of `nodes[..<replay]` again (the last of them
/// is the branch being tried), then the default at every new choice point, recording each as a node. It
/// spends at most `bound` preemptions and injections, and keeps the sleep set (Godefroid's sleep sets) from
/// node to node, filtering it by every transition that runs. A schedule that reaches a point where the only
/// transitions left are asleep is redundant (`blocked`): it runs to its end but counts as pruned.
final class ExploreChooser: Chooser {
    let bound: Int
    let reduce: Bool
    let choices: InjectionChoices
    weak var scheduler: Scheduler?
    private(set) var nodes: [ExploreNode]
    let replay: Int
    private var index = 0
    private var sleep: [SleepEntry] = []
    private var cost = 0
    private var injected = 0
    /// The node whose choice started each process's running transition (nil: no choice was asked).
    private var startedAt: [Int: Int] = [:]
    private(set) var blocked = false
    /// Options left out at new nodes because their transition was asleep.
    private(set) var pruned = 0
    private(set) var decisions: [Decision] = []

    init(nodes: consuming [ExploreNode], replay: Int, bound: Int, reduce: Bool, choices: InjectionChoices) {
        self.nodes = nodes
        self.replay = replay
        self.bound = bound
        self.reduce = reduce
        self.choices = choices
    }

    private func label(_ serial: Int) -> Footprint {
        guard reduce, let process = scheduler?.group.first(where: { $0.serial == serial }) else { return .global }
        return process.pending
    }

    /// The transition of `serial` (labelled `label`) runs: drop from the sleep set what it may not commute with.
    private func runs(_ serial: Int, _ label: Footprint) {
        sleep.removeAll { $0.serial == serial || $0.label.dependent(label) }
    }

    func proceeds(serial: Int) {
        guard reduce, !blocked else { return }
        if sleep.contains(where: { $0.serial == serial }) { blocked = true }
        startedAt[serial] = nil
        runs(serial, label(serial))
    }

    func ended(serial: Int) {
        if let at = startedAt.removeValue(forKey: serial), let option = nodes[at].serials.firstIndex(of: serial) {
            nodes[at].labels[option] = .global
        }
        sleep = []
    }

    func disturbed() { sleep = [] }

    func added(serial: Int) {}

    func choose(step: Int, runnable: [Int], preferred: Int, current: Int?) -> Int {
        if blocked { return preferred }
        if runnable.count == 1 {
            proceeds(serial: runnable[0])
            return runnable[0]
        }
        let at = index
        index += 1
        if at < replay {
            guard nodes[at].kind == .run, nodes[at].serials == runnable else { diverged(at) }
            nodes[at].sleep = sleep
        } else {
            var node = ExploreNode(kind: .run, serials: runnable, labels: runnable.map(label), current: current,
                                   cost: cost, injected: injected, sleep: sleep)
            let allowed = node.order.filter { cost + node.cost(of: $0) <= bound }
            pruned += allowed.filter { node.asleep($0) }.count
            guard let first = allowed.first(where: { !node.asleep($0) }) else {
                blocked = true
                return preferred
            }
            node.tried = [first]
            nodes.append(node)
        }
        // Read in place (a copy of the node would retain and release each of its arrays at every point).
        let option = nodes[at].chosen
        let serial = nodes[at].serials[option]
        // Branches tried before this one at this node covered their own transitions: they sleep here.
        for earlier in nodes[at].tried.dropLast() {
            let other = nodes[at].serials[earlier]
            if !sleep.contains(where: { $0.serial == other }) {
                sleep.append(SleepEntry(serial: other, label: nodes[at].labels[earlier]))
            }
        }
        cost += nodes[at].cost(of: option)
        startedAt[serial] = at
        runs(serial, nodes[at].labels[option])
        if serial != preferred { decisions.append(.run(step: step, serial: serial)) }
        return serial
    }

    func injection(step: Int, live: () -> [Int]) -> Decision? {
        guard !blocked, choices.any, cost < bound, injected < choices.limit else { return nil }
        let at = index
        index += 1
        if at >= replay {
            var options: [Decision?] = [nil]
            if choices.kill { options += live().map { .kill(step: step, serial: $0) } }
            if choices.reboot { options.append(.reboot(step: step)) }
            options += choices.powerSeeds.map { .powerLoss(step: step, lossSeed: $0) }
            nodes.append(ExploreNode(kind: .inject, injections: options, cost: cost, injected: injected, tried: [0]))
        } else if nodes[at].kind != .inject {
            diverged(at)
        }
        guard let decision = nodes[at].injections[nodes[at].chosen] else { return nil }
        cost += 1
        injected += 1
        decisions.append(decision)
        return decision
    }

    private func diverged(_ at: Int) -> Never {
        fatalError("bootsim explore: the schedule diverged from its prefix at choice \(at): the run is not deterministic")
    }
}

// ExploreChooser: used by the one thread that runs its schedule.
extension ExploreChooser: @unchecked Sendable {}
