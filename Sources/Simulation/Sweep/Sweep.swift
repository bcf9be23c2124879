import Core
import Podrt
import SimFS

/// A crash-point sweep in the style of ALICE (Pillai et al., OSDI 2014) and CrashMonkey (Mohan et al., OSDI
/// 2018): run a workload once under one seed, saving the machine before each of its FileSystem calls; then,
/// for every saved point, restart from that snapshot, cut the power there with each of several outcomes of
/// what was pending, boot, and judge: the invariants right after the boot (the database as the next opener
/// would recover it), then again after a `podrt ps` has run the boot's refresh.
public enum Sweep {
    /// What a cut does to the pending writes: all dropped, all kept, or seeded subset j (SimWorld.powerLoss,
    /// mixed mode: each change kept or dropped, each file's data old, new or torn at 512-byte sectors).
    public enum Outcome: Hashable, Sendable, CustomStringConvertible {
        case dropAll, keepAll, subset(Int)

        public var description: String {
            switch self {
            case .dropAll: return "drop"
            case .keepAll: return "keep"
            case let .subset(j): return "mix-\(j)"
            }
        }

        /// Parses `description`; nil for anything else.
        public init?(_ text: String) {
            switch text {
            case "drop": self = .dropAll
            case "keep": self = .keepAll
            default:
                guard text.hasPrefix("mix-"), let j = Int(text.dropFirst(4)), (1...Sweep.maxSubsets).contains(j) else { return nil }
                self = .subset(j)
            }
        }
    }

    public static let maxSubsets = 63

    public struct Options: Sendable {
        public var seed: UInt64 = 1
        /// Seeded mixed outcomes per crash point, beside all-dropped and all-kept.
        public var subsets = 2
        public var jobs = 2
        public var bugs = BugSwitches.none
        /// Only this crash point (and, with `outcome`, only that outcome): the replay of one loss.
        public var point: Int?
        public var outcome: Outcome?
        /// Only crash points 1 to this one (a hunt's control sweep).
        public var throughPoint: Int?
        /// Stop handing out cuts once one loses (a hunt): the first loss is still the first, the counts partial.
        public var stopAtFirstLoss = false
        public init() {}
    }

    /// One outcome of one crash point that broke an invariant.
    public struct Loss: Sendable {
        public var point: Int
        public var outcome: Outcome
        public var violation: Violation
        /// Where the cut fell: the scenario line of the running step and the call about to be made.
        public var line: Int
        public var call: String
    }

    public struct Result: Sendable {
        /// Crash points (the workload's FileSystem calls) swept, and outcomes judged over all of them.
        public var points = 0
        public var outcomes = 0
        public var lost = 0
        /// Distinct states among the points, and the outcomes really cut (once per distinct state).
        public var distinct = 0
        public var cut = 0
        /// The first loss, by crash point and then outcome.
        public var firstLoss: Loss?
        /// The workload itself (no cut) broke an invariant: no point was swept.
        public var workloadFailure: Violation?
        public init() {}
    }

    /// The outcomes tried at a point: one when nothing was pending (they would all be the same).
    static func outcomes(pending: Bool, subsets: Int) -> [Outcome] {
        pending ? [.dropAll, .keepAll] + (0..<min(subsets, maxSubsets)).map { .subset($0 + 1) } : [.dropAll]
    }

    /// Sweeps `scenario` under `options.seed`.
    public static func run(_ scenario: Scenario, options: Options) -> Result {
        var result = Result()
        let (points, failure) = record(scenario, options: options)
        if let failure {
            result.workloadFailure = failure
            return result
        }
        result.points = points.count
        let first = representatives(points)
        result.distinct = Set(first).count
        let wanted = points.indices.filter {
            (options.point == nil || options.point == points[$0].number) && points[$0].number <= options.throughPoint ?? .max
        }
        // Each distinct state is cut once, at its first crash point; the points that share it share its verdict.
        var work: [(point: Int, outcome: Outcome)] = []
        for index in Set(wanted.map { first[$0] }).sorted() {
            for outcome in outcomes(pending: points[index].pending, subsets: options.subsets)
            where options.outcome == nil || options.outcome == outcome {
                work.append((index, outcome))
            }
        }
        let losses = evaluate(scenario, points, work, options: options)
        var lossesAt: [Int: [Loss]] = [:]
        for loss in losses { lossesAt[loss.point - 1, default: []].append(loss) }
        let tried = Dictionary(grouping: work, by: \.point).mapValues(\.count)
        for index in wanted {
            result.outcomes += tried[first[index], default: 0]
            let found = lossesAt[first[index], default: []]
            result.lost += found.count
            if result.firstLoss == nil, var loss = found.first {
                loss.point = points[index].number
                result.firstLoss = loss
            }
        }
        result.cut = work.count
        return result
    }

    /// For each crash point, the first point of its run of points that a cut can only end the same way: the
    /// same step, the same state of its group (changes reported, processes ended) and the same machine
    /// (`SimSnapshot.sameCut`: a read, a stat or a lock between them changes nothing a power cut keeps).
    static func representatives(_ points: [CrashPoint]) -> [Int] {
        var first: [Int] = []
        for (index, point) in points.enumerated() {
            if index > 0, case let previous = points[index - 1], previous.line == point.line,
               previous.changes.count == point.changes.count,
               zip(previous.processes, point.processes).allSatisfy({ $0.exitCode == $1.exitCode && $0.killed == $1.killed }),
               previous.world.sameCut(as: point.world) {
                first.append(first[index - 1])
            } else {
                first.append(index)
            }
        }
        return first
    }

    /// The recording run: the seed's own run of the scenario, with a crash point before every FileSystem call.
    static func record(_ scenario: Scenario, options: Options) -> ([CrashPoint], Violation?) {
        var runOptions = RunOptions()
        runOptions.bugs = options.bugs
        let runner = Runner(scenario: scenario, seed: options.seed, options: runOptions)
        let tap = CrashPointTap(runner: runner)
        runner.world.scheduler = tap
        let result = runner.run()
        return (tap.points, result.violation)
    }

    /// Tries `work` on `jobs` threads, each with its own machine; returns the losses in crash-point order.
    static func evaluate(_ scenario: Scenario, _ points: [CrashPoint], _ work: [(point: Int, outcome: Outcome)],
                         options: Options) -> [Loss] {
        let state = SweepState(count: work.count, stopAtFirstLoss: options.stopAtFirstLoss)
        let workers = max(1, min(options.jobs, work.count))
        let shared = SharedWork(points: points, work: work)
        for _ in 0..<workers {
            startThread {
                var runOptions = RunOptions()
                runOptions.bugs = options.bugs
                runOptions.decisions = []  // the default schedule: no randomness of the evaluator's own
                let evaluator = Runner(scenario: scenario, seed: options.seed, options: runOptions)
                while let index = state.next() {
                    let (pointIndex, outcome) = shared.work[index]
                    let point = shared.points[pointIndex]
                    if let violation = evaluator.cut(at: point, outcome) {
                        state.add(index, Loss(point: point.number, outcome: outcome, violation: violation,
                                              line: point.line, call: point.call))
                    }
                }
                state.workerDone()
            }
        }
        return state.waitForWorkers(workers)
    }
}

extension Runner {
    /// Restores `point`, cuts the power with `outcome`, boots, and checks; the first broken invariant.
    func cut(at point: CrashPoint, _ outcome: Sweep.Outcome) -> Violation? {
        world.restore(point.world)
        ledger = point.ledger
        config = point.config
        pendingCommandLine = point.commandLine
        switch outcome {
        case .dropAll: world.powerLoss(seed: 0, mode: .dropAll, commandLine: pendingCommandLine)
        case .keepAll: world.powerLoss(seed: 0, mode: .keepAll, commandLine: pendingCommandLine)
        case let .subset(j):
            world.powerLoss(seed: world.seeds.sweepLossSeed(point: point.number, subset: j - 1), mode: .mixed,
                            commandLine: pendingCommandLine)
        }
        rebooted()
        // The group the cut fell in, booked as the scheduler would have: its live processes died in the cut.
        lastGroup = Array(zip(point.commands, point.processes.map { $0 as any ProcessOutcome }))
        if let broken = ledger.book(lastGroup, changes: point.changes, rebooted: true) { return broken }
        if let broken = checkInvariants() { return broken }
        let recovery = Step(action: .group([Command(program: .podrt(.ps))], together: false), line: point.line)
        return perform(recovery) ?? checkAfter(recovery)
    }
}
