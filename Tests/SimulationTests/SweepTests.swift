import XCTest
@testable import Simulation

/// `bootsim sweep`: a clean build loses nothing at any crash point, each durability bug of the catalogue is
/// caught, a loss's replay (crash point and outcome) reproduces it, and one seed gives one result.
final class SweepTests: XCTestCase {
    /// A small workload: a create, a reboot (refresh) and a remove.
    static let small = """
        config num_locks=64
        podrt create volume v
        podrt create container c volume=v
        reboot
        podrt rm -f volume v
        """

    func smallScenario() throws -> Scenario {
        try Scenario.parse(Self.small, path: "sweep-small.scenario")
    }

    func testTheCleanSweepOfASmallWorkloadLosesNothing() throws {
        var options = Sweep.Options()
        options.subsets = 1
        let result = Sweep.run(try smallScenario(), options: options)
        XCTAssertNil(result.workloadFailure)
        XCTAssertGreaterThan(result.points, 100, "every FileSystem call of four podrt commands is a crash point")
        XCTAssertGreaterThan(result.outcomes, result.points, "points with pending writes try three outcomes")
        XCTAssertEqual(result.lost, 0, "first loss: \(String(describing: result.firstLoss))")
    }

    func testEachDurabilityBugIsCaughtAndItsReplayReproducesIt() throws {
        let scenario = try loadScenario("sweep-standard")
        for name in ["database-without-dir-fsync", "synchronous-off"] {
            let entry = try XCTUnwrap(Catalogue.entry(named: name))
            XCTAssertTrue(entry.sweeps, name)
            var options = Sweep.Options()
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

    func testTheStandardWorkloadLosesNothing() throws {
        let result = Sweep.run(try loadScenario("sweep-standard"), options: Sweep.Options())
        XCTAssertNil(result.workloadFailure)
        XCTAssertGreaterThan(result.points, 500)
        XCTAssertEqual(result.lost, 0, "first loss: \(String(describing: result.firstLoss))")
    }

    func testOneSeedGivesOneResult() throws {
        let scenario = try smallScenario()
        var options = Sweep.Options()
        options.bugs = try XCTUnwrap(Catalogue.entry(named: "synchronous-off")).switches
        options.seed = 7
        let first = Sweep.run(scenario, options: options)
        options.jobs = 1
        let second = Sweep.run(scenario, options: options)
        XCTAssertEqual([first.points, first.outcomes, first.lost], [second.points, second.outcomes, second.lost])
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
