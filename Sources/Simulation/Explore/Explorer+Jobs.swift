import Core
import SimFS

/// What one subtree's exploration found: its schedules in order, up to its first break or `maxSchedules`.
final class SubtreeResult {
    var records: [Record] = []
    /// Pruned after the last schedule (redundant runs at the end of the subtree).
    var prunedAfter = 0
    var failure: RunResult?
    /// Every schedule of the subtree ran (no break, no cap).
    var complete = false
}

/// One explored schedule as run.
struct ScheduleRun {
    var result: RunResult
    var nodes: [ExploreNode]
    var hash: UInt64
    /// Branches left out on the way, plus one if the run itself was redundant (`blocked`).
    var pruned: Int
    var blocked: Bool
}

extension Explorer {
    /// What every schedule of one exploration runs: `execute` runs one schedule under the chooser it is given
    /// and returns its result and end-state hash.
    final class Context: @unchecked Sendable {
        let options: ExploreOptions
        let choices: InjectionChoices
        let execute: @Sendable (ExploreChooser) -> (RunResult, UInt64)

        init(options: ExploreOptions, choices: InjectionChoices,
             execute: @escaping @Sendable (ExploreChooser) -> (RunResult, UInt64)) {
            self.options = options
            self.choices = choices
            self.execute = execute
        }

        /// A scenario's schedules: a runner per schedule, started from the scenario's `snapshot` marker.
        convenience init(scenario: Scenario, options: ExploreOptions) {
            let choices = InjectionChoices(scenario.settings.rates)
            var runOptions = RunOptions()
            runOptions.bugs = options.bugs
            self.init(options: options, choices: choices) { [runOptions] chooser in
                let runner = Runner(scenario: scenario, seed: options.seed, options: runOptions, chooser: chooser)
                runner.scheduler.tracksFootprints = options.reduce
                runner.scheduler.orderWrites = !choices.powerSeeds.isEmpty
                chooser.scheduler = runner.scheduler
                let result = runner.run()
                if chooser.blocked { return (result, 0) }
                return (result, EndState.hash(runner.world, runner.lastGroup.map(\.process)))
            }
        }

        /// Runs the schedule that takes the choices of `nodes[..<replay]`, then the defaults.
        func run(nodes: consuming [ExploreNode], replay: Int) -> ScheduleRun {
            let chooser = ExploreChooser(nodes: consume nodes, replay: replay, bound: options.preemptions,
                                         reduce: options.reduce, choices: choices)
            var (result, hash) = execute(chooser)
            result.decisions = chooser.decisions
            return ScheduleRun(result: result, nodes: chooser.nodes, hash: hash,
                               pruned: chooser.pruned + (chooser.blocked ? 1 : 0), blocked: chooser.blocked)
        }

        /// Explores one subtree depth-first, up to its first break or `maxSchedules` schedules.
        func explore(_ subtree: Subtree, counted: () -> Void) -> SubtreeResult {
            let outcome = SubtreeResult()
            let floor = subtree.nodes.count
            var nodes = subtree.nodes
            var pruned = 0
            while true {
                // The nodes are handed over, not shared: the chooser and `nextBranch` then change them in
                // place (a shared array was copied twice a schedule, node by node: 3% of an explore).
                let replay = nodes.count
                var run = run(nodes: nodes.handedOver(), replay: replay)
                pruned += run.pruned
                if !run.blocked {
                    outcome.records.append(Record(hash: run.hash, failed: !run.result.passed, pruned: pruned))
                    pruned = 0
                    counted()
                    if !run.result.passed { outcome.failure = run.result; break }
                    if let limit = options.maxSchedules, outcome.records.count >= limit { break }
                }
                nodes = run.nodes.handedOver()
                guard Explorer.nextBranch(&nodes, floor: floor, bound: options.preemptions) else {
                    outcome.complete = true
                    break
                }
            }
            outcome.prunedAfter = pruned
            return outcome
        }

        /// Explores `items` on `options.jobs` threads; a result is nil where the exploration had stopped
        /// before it (a break, or `maxSchedules` reached, in an earlier subtree).
        func runAll(_ items: [Subtree], progress: @escaping @Sendable (Int) -> Void) -> [SubtreeResult?] {
            let state = JobsState(count: items.count, limit: options.maxSchedules)
            let workers = max(1, min(options.jobs, items.count))
            guard !items.isEmpty else { return [] }
            for _ in 0..<workers {
                startThread { [self] in
                    DatabaseImageReader.forThisThread.memoLimit = DatabaseImageReader.exploreMemoLimit
                    while let index = state.next() {
                        let result = explore(items[index]) {
                            state.monitor.withLock {
                                state.schedules += 1
                                if state.schedules % 256 == 0 { progress(state.schedules) }
                            }
                        }
                        state.monitor.withLock { state.finish(index, result) }
                    }
                    state.monitor.withLock {
                        state.finished += 1
                        state.monitor.broadcast()
                    }
                }
            }
            return state.monitor.withLock {
                state.monitor.wait { state.finished == workers }
                return state.results
            }
        }
    }
}

/// The subtrees handed out and their results (guarded by `monitor`). Subtrees go out in order; once the
/// results so far settle the summary (a break, or `limit` schedules in the finished prefix), no more do.
final class JobsState: @unchecked Sendable {
    let monitor = Monitor()
    var results: [SubtreeResult?]
    let limit: Int?
    var nextIndex = 0
    var finished = 0
    var schedules = 0
    /// The first subtree with a break: later ones need not run.
    var firstFailure = Int.max

    init(count: Int, limit: Int?) {
        results = Array(repeating: nil, count: count)
        self.limit = limit
    }

    func next() -> Int? {
        monitor.withLock {
            guard nextIndex < results.count, nextIndex < firstFailure, !settledByLimit() else { return nil }
            nextIndex += 1
            return nextIndex - 1
        }
    }

    func finish(_ index: Int, _ result: SubtreeResult) {
        results[index] = result
        if result.failure != nil { firstFailure = min(firstFailure, index) }
    }

    /// The finished prefix of subtrees already holds `limit` schedules (1 is the default schedule's).
    private func settledByLimit() -> Bool {
        guard let limit else { return false }
        var total = 1
        for result in results {
            guard let result else { return false }
            total += result.records.count
            if total >= limit { return true }
        }
        return false
    }
}

extension Array {
    /// The array, leaving this variable empty: the caller gets the only reference, so its next change
    /// happens in place rather than on a copy.
    mutating func handedOver() -> [Element] {
        let all = self
        self = []
        return all
    }
}
