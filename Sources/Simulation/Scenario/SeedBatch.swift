import Core
import Podrt

/// Runs many seeds of one scenario on `jobs` threads; each run is its own world, so they do not interact.
public enum SeedBatch {
    /// Runs `seeds`, calling `progress` (under a lock, from worker threads) after each; returns the failing
    /// results sorted by seed. `stopAtFirstFailure` stops handing out seeds once one fails.
    public static func run(_ scenario: Scenario, seeds: [UInt64], jobs: Int, options: RunOptions,
                           stopAtFirstFailure: Bool = false,
                           progress: @escaping @Sendable (RunResult) -> Void = { _ in }) -> [RunResult] {
        let state = BatchState(seeds: seeds)
        let finished = Gate()
        let workers = max(1, min(jobs, seeds.count))
        for _ in 0..<workers {
            startThread {
                while let seed = state.next() {
                    let result = scenario.run(seed: seed, options: options)
                    state.lock.lock()
                    if !result.passed {
                        state.failures.append(result)
                        if stopAtFirstFailure { state.stopped = true }
                    }
                    progress(result)
                    state.lock.unlock()
                }
                state.lock.lock()
                state.running -= 1
                finished.signal()
                state.lock.unlock()
            }
        }
        state.lock.lock()
        state.running += 0
        while state.finishedWorkers(workers) == false { finished.wait(state.lock) }
        let failures = state.failures.sorted { $0.seed < $1.seed }
        state.lock.unlock()
        return failures
    }
}

/// The shared queue of seeds and the results (guarded by `lock`).
final class BatchState {
    let lock = SchedulerLock()
    let seeds: [UInt64]
    var index = 0
    var running = 0
    var failures: [RunResult] = []
    var stopped = false

    init(seeds: [UInt64]) { self.seeds = seeds }

    func next() -> UInt64? {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, index < seeds.count else { return nil }
        index += 1
        return seeds[index - 1]
    }

    func finishedWorkers(_ count: Int) -> Bool { running == -count }
}

// BatchState: every field is read and written under `lock`.
extension BatchState: @unchecked Sendable {}
