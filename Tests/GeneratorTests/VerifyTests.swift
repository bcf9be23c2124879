import Foundation
import XCTest
import Core
import Simulation

/// Every unit ours writes for the fixtures passes `systemd-analyze verify` (where it is installed), apart
/// from the warnings systemd's own units get for the same input (`UnitVerifier.tolerated`, see
/// Fixtures/generator/README.md). The oracle is G3's (`UnitVerifier`), on a real copy of each tree.
final class VerifyTests: XCTestCase {
    func testUnitsOfEveryFixtureVerify() throws {
        guard UnitVerifier.available else {
            throw XCTSkip("systemd-analyze is not installed: units were NOT verified")
        }
        let fixtures = try FixtureCase.all()
        let recordings = try fixtures.map { try FixtureTests.runInProcess($0) }
        let verifier = UnitVerifier(scratch: "/tmp/gen-verify-\(getpid())")
        let results = ResultBox(count: fixtures.count)
        DispatchQueue.concurrentPerform(iterations: fixtures.count) { index in
            let recording = recordings[index]
            results.set(index, verifier.complaints(manifest: recording.manifest, files: recording.files)
                ?? ["could not run systemd-analyze verify"])
        }
        for (index, fixture) in fixtures.enumerated() {
            let complaints = results.get(index)
            XCTAssert(complaints.isEmpty, "\(fixture.name): systemd-analyze verify says:\n"
                + complaints.joined(separator: "\n"))
        }
        print("GeneratorTests: units of \(fixtures.count) fixture cases checked with systemd-analyze verify")
    }
}
