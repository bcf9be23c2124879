import XCTest
@testable import Simulation

/// The harness self-test's generator: its scenarios parse, are the same for the same seed, and pass on the
/// clean build (the CI budget, `bootsim selftest` in scripts/test.sh, runs many more).
final class SelfTestTests: XCTestCase {
    let fixtures = FixtureSource(directory: "\(packageRoot)/Fixtures/generator")

    func testGeneratedScenariosParse() throws {
        let names = fixtures.names
        XCTAssertGreaterThan(names.count, 100)
        for index in 0..<400 {
            let text = ScenarioGenerator.text(seed: 7, index: index, fixtures: names)
            XCTAssertEqual(text, ScenarioGenerator.text(seed: 7, index: index, fixtures: names))
            XCTAssertNoThrow(try Scenario.parse(text, path: "selftest-\(index).scenario"), text)
        }
    }

    func testSomeGeneratedScenariosPass() {
        let outcome = SelfTest.run(seed: 1, count: 4, seeds: 5, jobs: 2, fixtures: fixtures)
        XCTAssertEqual(outcome.scenarios, 4)
        XCTAssertEqual(outcome.failures.map { "\($0.index): \($0.parseError ?? "\($0.failures[0].violation!)")" }, [])
    }
}
