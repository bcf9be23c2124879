import XCTest
@testable import Simulation

/// The same seed gives the same trace hash, decisions and outcome, twice, under both strategies.
final class DeterminismTests: XCTestCase {
    func testSameSeedSameTraceHashTwice() throws {
        for name in ["refresh-race", "podrt-cycles", "boot-keydev-headerdev"] {
            let scenario = try loadScenario(name)
            for strategy in Strategy.allCases {
                var options = RunOptions()
                options.strategy = strategy
                for seed: UInt64 in [1, 7, 42] {
                    let first = scenario.run(seed: seed, options: options)
                    let second = scenario.run(seed: seed, options: options)
                    XCTAssertEqual(first.traceHash, second.traceHash, "\(name) seed \(seed) \(strategy)")
                    XCTAssertEqual(first.decisions, second.decisions, "\(name) seed \(seed) \(strategy)")
                    XCTAssertEqual(first.violation, second.violation, "\(name) seed \(seed) \(strategy)")
                }
            }
        }
    }

    func testDifferentSeedsExploreDifferentSchedules() throws {
        let scenario = try loadScenario("refresh-race")
        let hashes = Set((1...6).map { scenario.run(seed: UInt64($0)).traceHash })
        XCTAssertGreaterThan(hashes.count, 3, "seeds should change the interleaving")
    }

    func testReplayingTheDecisionsRepeatsTheRun() throws {
        let scenario = try loadScenario("same-name-race")
        for seed: UInt64 in [3, 11] {
            let original = scenario.run(seed: seed)
            var options = RunOptions()
            options.decisions = original.decisions
            let replayed = scenario.run(seed: seed, options: options)
            XCTAssertEqual(original.traceHash, replayed.traceHash, "seed \(seed)")
        }
    }

    func testDecisionTextRoundTrips() {
        let decisions: [Decision] = [.run(step: 5, serial: 2), .kill(step: 9, serial: 3), .reboot(step: 11),
                                     .powerLoss(step: 12, lossSeed: 99)]
        XCTAssertEqual(decisions.map { Decision(Substring($0.description)) }, decisions)
        XCTAssertNil(Decision("5:jump:2"))
    }

    func testPCTBound() throws {
        XCTAssertEqual(PCTChooser.bound(processes: 3, steps: 100, depth: 1), 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(PCTChooser.bound(processes: 3, steps: 100, depth: 3), 1.0 / 30_000, accuracy: 1e-12)
        let race = try loadScenario("refresh-race")
        let bound = race.pctBound(depth: 2)
        XCTAssertEqual(bound.probability, 1 / Double(bound.processes * bound.steps), accuracy: 1e-15)
        let text = race.pctBoundDescription(depth: 2, seeds: 1000)
        XCTAssert(text.contains("PCT depth 2, \(bound.processes) processes") && text.contains("at least 1/\(bound.processes * bound.steps),"), text)
    }
}
