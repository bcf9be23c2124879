import Core

/// The crash points and outcomes a sweep's workers share (read only).
final class SharedWork: @unchecked Sendable {
    let points: [CrashPoint]
    let work: [(point: Int, outcome: Sweep.Outcome)]
    init(points: [CrashPoint], work: [(point: Int, outcome: Sweep.Outcome)]) {
        self.points = points
        self.work = work
    }
}

/// The queue of a sweep's work items and the losses found (guarded by `monitor`), as SeedBatch's BatchState.
final class SweepState: @unchecked Sendable {
    let monitor = Monitor()
    let count: Int
    let stopAtFirstLoss: Bool
    var index = 0
    var finished = 0
    var losses: [(Int, Sweep.Loss)] = []

    init(count: Int, stopAtFirstLoss: Bool) {
        self.count = count
        self.stopAtFirstLoss = stopAtFirstLoss
    }

    /// The next work item; items are handed out in order, so when one loses, every earlier one is already out
    /// and finishes: the first loss found is the first of all.
    func next() -> Int? {
        monitor.withLock {
            guard index < count, !(stopAtFirstLoss && !losses.isEmpty) else { return nil }
            index += 1
            return index - 1
        }
    }

    func add(_ item: Int, _ loss: Sweep.Loss) { monitor.withLock { losses.append((item, loss)) } }

    func workerDone() {
        monitor.withLock {
            finished += 1
            monitor.broadcast()
        }
    }

    /// Waits for `workers` workers; the losses in work order (crash point, then outcome).
    func waitForWorkers(_ workers: Int) -> [Sweep.Loss] {
        monitor.withLock {
            monitor.wait { finished == workers }
            return losses.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
