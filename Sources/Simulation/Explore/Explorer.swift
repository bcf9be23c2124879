import Core
import SimFS

/// How to explore a scenario's schedules.
public struct ExploreOptions: Sendable {
    /// K: preemptions (switches away from a process that could go on) plus injections, per schedule.
    public var preemptions = 2
    /// Stop after this many schedules (nil: until the bounded space is exhausted).
    public var maxSchedules: Int?
    public var jobs = 1
    /// Sleep sets (`Footprint`'s dependence relation); off: every schedule within the bound.
    public var reduce = true
    /// The world's seed (names, boot ids); explore chooses every schedule itself.
    public var seed: UInt64 = 1
    public var bugs = BugSwitches.none
    public init() {}
}

/// What an exploration found.
public struct ExploreSummary: Sendable {
    public var schedules = 0
    public var passed = 0
    public var failed = 0
    /// Branches the sleep sets left out, and redundant runs they cut short.
    public var pruned = 0
    public var endStates: Set<UInt64> = []
    /// Choice points of the default schedule: which process runs (two or more could), and injection points.
    public var runPoints = 0
    public var injectionPoints = 0
    /// Every schedule within the bound was run (no break, no `maxSchedules` stop).
    public var exhausted = false
    /// The first break in exploration order, with the decisions `bootsim replay` takes.
    public var failure: RunResult?
}

/// `bootsim explore`: depth-first enumeration of every schedule of a scenario within K preemptions and
/// injections (CHESS's iterative context bounding, with switches at blocking points free), on the real
/// code in the simulated machine, reduced by sleep sets.
///
/// The space is split into subtrees that do not depend on the number of jobs: the default schedule runs
/// first, then one subtree per (node of the default schedule, alternative there), deepest node first, which
/// is the order of a sequential depth-first search. Jobs take subtrees in that order; results are merged in
/// it, so the summary (and the first break) is the same for any `jobs`. Each schedule starts from the
/// scenario's `snapshot` marker (the world saved once), not from its branching point: a process's fiber
/// stack is not part of a world snapshot.
public enum Explorer {
    public static func explore(_ scenario: Scenario, options: ExploreOptions,
                               progress: @escaping @Sendable (Int) -> Void = { _ in }) -> ExploreSummary {
        explore(Context(scenario: scenario, options: options), progress: progress)
    }

    static func explore(_ context: Context, progress: @escaping @Sendable (Int) -> Void = { _ in }) -> ExploreSummary {
        let options = context.options
        let first = context.run(nodes: [], replay: 0)
        var summary = ExploreSummary()
        summary.runPoints = first.nodes.filter { $0.kind == .run }.count
        summary.injectionPoints = first.nodes.count - summary.runPoints
        summary.add(Record(hash: first.hash, failed: !first.result.passed, pruned: first.pruned))
        if !first.result.passed { summary.failure = first.result; return summary }
        let items = subtrees(of: first.nodes, bound: options.preemptions)
        var stopped = false
        for result in context.runAll(items, progress: progress) {
            guard let result else { stopped = true; break }
            for record in result.records {
                if let limit = options.maxSchedules, summary.schedules >= limit { stopped = true; break }
                summary.add(record)
            }
            if stopped { break }
            summary.pruned += result.prunedAfter
            if let failure = result.failure { summary.failure = failure; stopped = true; break }
            if !result.complete { stopped = true; break }
        }
        summary.exhausted = !stopped
        return summary
    }

    /// One subtree per (node of the default schedule, alternative the bound allows and no sleep set holds),
    /// deepest node first. An alternative tried before another at the same node belongs to another subtree,
    /// whose runs this one does not see: its label becomes global (it may have been a process's last).
    static func subtrees(of nodes: [ExploreNode], bound: Int) -> [Subtree] {
        var items: [Subtree] = []
        for at in nodes.indices.reversed() {
            var node = nodes[at]
            let options = node.order.filter { node.cost + node.cost(of: $0) <= bound && !node.asleep($0) }
            guard options.count > 1 else { continue }
            for index in 1..<options.count {
                node.tried = Array(options[...index])
                if index > 1, node.kind == .run { node.labels[options[index - 1]] = .global }
                items.append(Subtree(nodes: Array(nodes[..<at]) + [node]))
            }
        }
        return items
    }

    /// The next branch of a subtree: the deepest node at or after `floor` with an option not yet tried that
    /// the bound allows and no sleep set holds; false when the subtree is exhausted.
    static func nextBranch(_ nodes: inout [ExploreNode], floor: Int, bound: Int) -> Bool {
        while nodes.count > floor {
            let node = nodes[nodes.count - 1]
            if let option = node.order.first(where: {
                !node.tried.contains($0) && node.cost + node.cost(of: $0) <= bound && !node.asleep($0)
            }) {
                nodes[nodes.count - 1].tried.append(option)
                return true
            }
            nodes.removeLast()
        }
        return false
    }
}

struct Subtree {
    var nodes: [ExploreNode]
}

/// One schedule's outcome: its end state, whether it broke an invariant, and what was pruned before it.
struct Record {
    var hash: UInt64
    var failed: Bool
    var pruned: Int
}

extension ExploreSummary {
    mutating func add(_ record: Record) {
        schedules += 1
        pruned += record.pruned
        endStates.insert(record.hash)
        if record.failed { failed += 1 } else { passed += 1 }
    }
}
