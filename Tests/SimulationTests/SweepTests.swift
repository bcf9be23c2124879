import XCTest
@testable import Simulation

/// `bootsim sweep`: a clean build loses nothing at any crash point of a small workload, each durability bug of
/// the catalogue is caught, a loss's replay (crash point and outcome) reproduces it, and one seed gives one
/// result. (The standard workload, thousands of crash points, is swept by scripts/test.sh in release.)
final class SweepTests: XCTestCase {
    /// A small workload: the volume is made before `snapshot` (not swept); the container create that uses it
    /// is swept.
    static let small = """
        config num_locks=64
        podrt create volume v
        snapshot
        podrt create container c volume=v
        """

    func smallScenario() throws -> Scenario {
        try Scenario.parse(Self.small, path: "sweep-small.scenario")
    }

    func testTheCleanSweepOfASmallWorkloadLosesNothing() throws {
        var options = Sweep.Options()
        options.subsets = 1
        let result = Sweep.run(try smallScenario(), options: options)
        XCTAssertNil(result.workloadFailure)
        XCTAssertGreaterThan(result.points, 50, "every FileSystem call of the create is a crash point")
        XCTAssertGreaterThan(result.outcomes, result.points, "points with pending writes try three outcomes")
        XCTAssertLessThanOrEqual(result.cut, result.outcomes)
        XCTAssertEqual(result.lost, 0, "first loss: \(String(describing: result.firstLoss))")
    }

    func testEachDurabilityBugIsCaughtAndItsReplayReproducesIt() throws {
        let scenario = try smallScenario()
        for name in ["database-without-dir-fsync", "synchronous-off"] {
            let entry = try XCTUnwrap(Catalogue.entry(named: name))
            XCTAssertTrue(entry.sweeps, name)
            var options = Sweep.Options()
            options.subsets = 0
            options.bugs = entry.switches
            let result = Sweep.run(scenario, options: options)
            XCTAssertGreaterThan(result.lost, 0, "\(name) was not caught")
            let loss = try XCTUnwrap(result.firstLoss, name)
            XCTAssertEqual(loss.violation.invariant, "I6", "\(name): \(loss.violation)")
            // The replay command's flags: only that crash point and outcome.
            options.point = loss.point
            options.outcome = loss.outcome
            let replay = Sweep.run(scenario, options: options)
            XCTAssertEqual(replay.outcomes, 1, name)
            XCTAssertEqual(replay.lost, 1, name)
            XCTAssertEqual(replay.firstLoss?.violation, loss.violation, name)
            // Without the bug the same crash point and outcome lose nothing.
            options.bugs = .none
            XCTAssertEqual(Sweep.run(scenario, options: options).lost, 0, name)
        }
    }

    func testAHuntOfADurabilityBugSweeps() throws {
        let entry = try XCTUnwrap(Catalogue.entry(named: "synchronous-off"))
        let found = try XCTUnwrap(Hunter.hunt(entry, scenarios: [smallScenario()], seeds: 1, jobs: 2, options: RunOptions()))
        XCTAssertNotNil(found.loss)
        XCTAssertEqual(found.result.violation?.invariant, "I6")
    }

    func testOneSeedGivesOneResult() throws {
        let scenario = try smallScenario()
        var options = Sweep.Options()
        options.bugs = try XCTUnwrap(Catalogue.entry(named: "synchronous-off")).switches
        options.seed = 7
        options.subsets = 1
        let first = Sweep.run(scenario, options: options)
        options.jobs = 1
        let second = Sweep.run(scenario, options: options)
        XCTAssertEqual([first.points, first.outcomes, first.lost, first.cut], [second.points, second.outcomes, second.lost, second.cut])
        XCTAssertEqual(first.firstLoss?.point, second.firstLoss?.point)
        XCTAssertEqual(first.firstLoss?.outcome, second.firstLoss?.outcome)
    }

    func testOutcomeNamesReadBack() {
        for outcome in [Sweep.Outcome.dropAll, .keepAll, .subset(1), .subset(63)] {
            XCTAssertEqual(Sweep.Outcome(outcome.description), outcome)
        }
        XCTAssertNil(Sweep.Outcome("mix-0"))
        XCTAssertNil(Sweep.Outcome("mix-64"))
        XCTAssertNil(Sweep.Outcome("all"))
    }
}
