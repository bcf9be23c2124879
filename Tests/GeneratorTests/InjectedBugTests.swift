import Foundation
import XCTest
@_spi(BugInjection) import Core

/// The generator bug the catalogue puts back (`keydev-percent-unescaped`) is systemd 252's own: with it, our
/// planner writes the tree systemd's generator was recorded writing, byte for byte; without it, ours. The bug
/// is a value of the one run (`GeneratorProcess.injectedBugs`): the next run, without it, is ours again.
final class InjectedBugTests: XCTestCase {
    func testPercentBugGivesSystemdsTree() throws {
        for name in ["keydev-name-percent", "hdr-headerdev-percent"] {
            let fixture = try XCTUnwrap(FixtureCase.all().first { $0.name == name })
            let systemd = try Recording(folder: fixture.folder.appendingPathComponent("systemd"))
            let ours = try Recording(folder: fixture.expected)
            XCTAssertNotEqual(systemd.files, ours.files, "\(name): the fixture has no divergence to put back")

            let withBug = try FixtureTests.runInProcess(fixture) { $0.injectedBugs = .deviceMountPercentUnescaped }
            XCTAssertEqual(withBug.manifest, systemd.manifest, name)
            XCTAssertEqual(withBug.files, systemd.files, name)
            XCTAssertEqual(withBug.status, systemd.status, name)

            XCTAssert(try FixtureTests.runInProcess(fixture).differences(from: ours).isEmpty, "\(name): without the bug")
        }
    }
}
