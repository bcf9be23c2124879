import Core
import XCTest
@testable import Simulation

/// The harness can fail: every catalogued bug, put back, is caught within 1,000 seeds, by a seed that does
/// not break the same invariant with the bug taken out.
final class CatalogueTests: XCTestCase {
    func testCatalogueHasTheDesignList() {
        XCTAssertGreaterThanOrEqual(Catalogue.entries.count, 10)
        XCTAssertEqual(Catalogue.entries.first?.source.hasPrefix("containers/podman#4605"), true)
        XCTAssertEqual(Set(Catalogue.entries.map(\.name)).count, Catalogue.entries.count)
    }

    /// The switches are set only through `@_spi(BugInjection)`, and only the simulation imports it: the release
    /// podrt, generator and crypttab-check binaries cannot put a bug back.
    func testOnlyTheSimulationImportsTheBugSwitches() throws {
        let fs = HostFileSystem()
        var importers: [String] = []
        func walk(_ path: String) throws {
            for entry in try fs.readdir(path) {
                let full = path + "/" + entry.name
                if try fs.lstat(full).kind == .directory { try walk(full); continue }
                guard entry.name.hasSuffix(".swift") else { continue }
                let text = String(decoding: try fs.readFile(full), as: UTF8.self)
                if text.contains("@_spi(BugInjection) import") { importers.append(String(full.dropFirst(packageRoot.count + 1))) }
            }
        }
        try walk(packageRoot + "/Sources")
        XCTAssertFalse(importers.isEmpty, "no importer found: the scan is broken")
        XCTAssertEqual(importers.filter { !$0.hasPrefix("Sources/Simulation/") }, [])
    }

    func testEveryBugIsCaughtWithinAThousandSeeds() throws {
        for entry in Catalogue.entries {
            let scenarios = try entry.scenarios.map(loadScenario)
            let found = Hunter.hunt(entry, scenarios: scenarios, seeds: 1000, jobs: 2, options: RunOptions())
            XCTAssertNotNil(found, "\(entry.name) was not caught")
            if let found {
                XCTAssertLessThanOrEqual(found.seedsRun, 1000, entry.name)
                XCTAssert(entry.invariants.contains(found.result.violation?.invariant ?? "none"),
                          "\(entry.name) broke \(found.result.violation?.invariant ?? "none"), listed: \(entry.invariants)")
            }
        }
    }
}
