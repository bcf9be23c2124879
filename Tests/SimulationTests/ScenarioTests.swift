import XCTest
import SimFS
@testable import Simulation

/// Every shipped scenario parses and passes some seeds; bad scenario lines are reported with their line.
final class ScenarioTests: XCTestCase {
    func testThereAreAtLeastTwelveScenarios() throws {
        XCTAssertGreaterThanOrEqual(try allScenarioNames().count, 12)
    }

    func testEachScenarioPassesSomeSeeds() throws {
        for name in try allScenarioNames() {
            let scenario = try loadScenario(name)
            let passing = (1...6).filter { scenario.run(seed: UInt64($0)).passed }
            XCTAssertFalse(passing.isEmpty, "\(name): no passing seed among 1...6")
        }
    }

    func testParserReportsTheLine() {
        XCTAssertThrowsError(try Scenario.parse("config num_locks=8\nfrobnicate now\n", path: "x.scenario")) { error in
            XCTAssertEqual((error as? ScenarioError)?.line, 2)
            XCTAssertEqual((error as? ScenarioError)?.column, 1)
        }
        XCTAssertThrowsError(try Scenario.parse("write /etc/crypttab\n  a b\n", path: "x.scenario"))
    }

    func testParserReadsBlocksAndSettings() throws {
        let scenario = try Scenario.parse("""
            inject: kill=0.5 limit=2
            together
              podrt ps
              podrt create container a @crash 7
            end
            fault write /run/** ENOSPC nth=2
            """, path: "t.scenario")
        XCTAssertEqual(scenario.settings.rates.kill, 0.5)
        XCTAssertEqual(scenario.settings.rates.limit, 2)
        guard case let .group(commands, together) = scenario.steps[0].action else { return XCTFail("no group") }
        XCTAssertTrue(together)
        XCTAssertEqual(commands.count, 2)
        XCTAssertEqual(commands[1].crashAtOp, 7)
        guard case let .fault(rule) = scenario.steps[1].action else { return XCTFail("no fault") }
        XCTAssertEqual(rule.trigger, .nth(2))
    }

    /// Swarm testing: `kill=swarm` leaves the kill rate to the seed (off, or a step of the ladder); a rate the
    /// scenario sets is exact.
    func testSwarmRatesAreDrawnFromTheSeed() throws {
        let scenario = try Scenario.parse("inject: kill=swarm reboot=0.01 limit=2\npodrt ps\n", path: "s.scenario")
        let rates = scenario.settings.rates
        XCTAssertEqual(rates.swarm, [.kill])
        XCTAssertEqual(rates.reboot, 0.01)
        var seen: Set<Double> = []
        for seed: UInt64 in 1...400 {
            let drawn = rates.drawn(seed: RunSeeds(seed).swarm)
            XCTAssertEqual(drawn, rates.drawn(seed: RunSeeds(seed).swarm))
            XCTAssertTrue(drawn.swarm.isEmpty)
            XCTAssertEqual(drawn.reboot, 0.01)
            XCTAssertEqual(drawn.powerLoss, 0)
            XCTAssertEqual(drawn.limit, 2)
            XCTAssertTrue(drawn.kill == 0 || InjectionRates.swarmLadder.contains(drawn.kill))
            seen.insert(drawn.kill)
        }
        XCTAssertEqual(seen, Set([0] + InjectionRates.swarmLadder), "off and every step of the ladder occur")
        XCTAssertEqual(try Scenario.parse("inject: kill=0.002\npodrt ps\n", path: "s.scenario").settings.rates.drawn(seed: 9).kill, 0.002)
        XCTAssertThrowsError(try Scenario.parse("inject: kill=lots\n", path: "s.scenario"))
    }

    /// Fault lines take Core's errno names and refuse a FUSE request, which no simulated process makes.
    func testFaultLinesUseTheSharedNamesAndOps() throws {
        XCTAssertThrowsError(try Scenario.parse("fault lookup /etc/** EIO\n", path: "s.scenario"))
        let named = try Scenario.parse("fault write /etc/** EDQUOT\n", path: "s.scenario")
        guard case let .fault(rule) = named.steps[0].action else { return XCTFail("no fault") }
        XCTAssertEqual(rule.effect, .error(.diskQuotaExceeded))
    }

    func testExpectationCanFail() throws {
        let scenario = try Scenario.parse("podrt create container a\npodrt create container a\nexpect ok\n", path: "e.scenario")
        XCTAssertEqual(scenario.run(seed: 1).violation?.invariant, "E1")
    }
}
