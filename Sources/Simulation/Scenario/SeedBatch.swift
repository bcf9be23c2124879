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
        let workers = max(1, min(jobs, seeds.count))
        for _ in 0..<workers {
            startThread {
                while let seed = state.next() {
                    let result = scenario.run(seed: seed, options: options)
                    state.monitor.withLock {
                        if !result.passed {
                            state.failures.append(result)
                            if stopAtFirstFailure { state.stopped = true }
                        }
                        progress(result)
                    }
                }
                state.monitor.withLock {
                    state.finished += 1
                    state.monitor.broadcast()
                }
            }
        }
        return state.monitor.withLock {
            state.monitor.wait { state.finished == workers }
            return state.failures.sorted { $0.seed < $1.seed }
        }
    }
}

/// The shared queue of seeds and the results (guarded by `monitor`).
final class BatchState {
    let monitor = Monitor()
    let seeds: [UInt64]
    var index = 0
    /// Workers that have run out of seeds.
    var finished = 0
    var failures: [RunResult] = []
    var stopped = false

    init(seeds: [UInt64]) { self.seeds = seeds }

    func next() -> UInt64? {
        monitor.withLock {
            guard !stopped, index < seeds.count else { return nil }
            index += 1
            return seeds[index - 1]
        }
    }
}

// BatchState: every field is read and written under `monitor`.
extension BatchState: @unchecked Sendable {}
