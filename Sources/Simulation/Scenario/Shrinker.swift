/// Shrinking a failing run: delta debugging over its decision list (switches, kills, reboots, power cuts),
/// keeping a smaller list whenever the replay still breaks the same invariant.
public enum Shrinker {
    public struct Outcome: Sendable {
        public var original: RunResult
        public var minimal: RunResult
        public var replays: Int
    }

    /// Shrinks the run of `scenario` under `seed`; nil when that seed passes.
    public static func shrink(_ scenario: Scenario, seed: UInt64, options: RunOptions,
                              budgetSeconds: Double = 55, now: () -> Double) -> Outcome? {
        let original = scenario.run(seed: seed, options: options)
        guard let target = original.violation?.invariant else { return nil }
        var best = original.decisions
        var bestResult = original
        var replays = 0
        let start = now()
        func fails(_ decisions: [Decision]) -> RunResult? {
            replays += 1
            var scripted = options
            scripted.decisions = decisions
            let result = scenario.run(seed: seed, options: scripted)
            return result.violation?.invariant == target ? result : nil
        }
        if let result = fails([]) {
            best = []
            bestResult = result
        }
        var chunk = max(best.count / 2, 1)
        while !best.isEmpty, chunk >= 1, now() - start < budgetSeconds {
            var index = 0
            var removedAny = false
            while index < best.count, now() - start < budgetSeconds {
                var candidate = best
                candidate.removeSubrange(index..<min(index + chunk, best.count))
                if let result = fails(candidate) {
                    best = candidate
                    bestResult = result
                    removedAny = true
                } else {
                    index += chunk
                }
            }
            if !removedAny || chunk == 1 { if chunk == 1 { break } }
            chunk = max(chunk / 2, 1)
            if chunk == 1 && !removedAny && best.count <= 1 { break }
        }
        // The minimal run once more, for reading: every event, with virtual time and command lines.
        var scripted = options
        scripted.decisions = best
        let final = scenario.runForReading(seed: seed, options: scripted)
        return Outcome(original: original, minimal: final.violation?.invariant == target ? final : bestResult,
                       replays: replays + 1)
    }
}

extension Sequence<Decision> {
    /// The decisions in step order, as `shrink`, `replay` and `hunt` print them (`1:run:3 17:run:2 143:kill:2`);
    /// decisions at the same step keep the order they were made in. A replay does not depend on the order.
    public var listed: String {
        enumerated().sorted { ($0.element.step, $0.offset) < ($1.element.step, $1.offset) }
            .map(\.element.description).joined(separator: " ")
    }
}
