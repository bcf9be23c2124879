import Core
import XCTest
@testable import Simulation

/// G3's oracle: systemd-analyze verify over a real copy of a generator tree, its verdicts kept by the bytes.
final class UnitVerifierTests: XCTestCase {
    /// A recorded tree of Fixtures/generator (`expected` is ours, `systemd` is systemd 252's).
    func tree(_ name: String, _ which: String) throws -> (manifest: [String], files: [String: [UInt8]]) {
        let fs = HostFileSystem()
        let base = "\(packageRoot)/Fixtures/generator/\(name)/\(which)/"
        let manifest = String(decoding: try fs.readFile(base + "manifest"), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        var files: [String: [UInt8]] = [:]
        for line in manifest where line.split(separator: " ").dropFirst().first == "f" {
            let path = String(line.split(separator: " ")[0])
            files[path] = try fs.readFile(base + path)
        }
        return (manifest, files)
    }

    func testSystemdsBrokenUnitsFailAndOursPass() throws {
        guard UnitVerifier.available else { throw XCTSkip("systemd-analyze is not installed: G3 was NOT tested") }
        let verifier = UnitVerifier(scratch: "/tmp/bootsim-g3-test")
        let ours = try tree("keydev-name-percent", "expected")
        XCTAssertEqual(verifier.complaints(manifest: ours.manifest, files: ours.files), [])
        let systemd = try tree("keydev-name-percent", "systemd")
        let complaints = try XCTUnwrap(verifier.complaints(manifest: systemd.manifest, files: systemd.files))
        XCTAssert(complaints.contains { $0.contains("Failed to prepare filename ./keydev-da%ta-umount.service") },
                  "\(complaints)")
        XCTAssert(complaints.contains { $0.hasPrefix("./systemd-cryptsetup@da\\x25ta.service:15: ") }, "\(complaints)")
        XCTAssertFalse(complaints.contains { $0.contains("/tmp/bootsim-g3-test") }, "the scratch path leaks: \(complaints)")
        XCTAssertEqual(verifier.runs, 2)
        XCTAssertEqual(try HostFileSystem().readdir("/tmp").map(\.name).filter { $0.hasPrefix("bootsim-g3-test") }, [],
                       "the scratch copies are removed")
    }

    func testAVerdictIsKeptByTheTreesBytes() throws {
        guard UnitVerifier.available else { throw XCTSkip("systemd-analyze is not installed: G3 was NOT tested") }
        let verifier = UnitVerifier(scratch: "/tmp/bootsim-g3-test-kept")
        var good = try tree("keydev-multiple", "expected")
        XCTAssertEqual(verifier.complaints(manifest: good.manifest, files: good.files), [])
        XCTAssertEqual(verifier.complaints(manifest: good.manifest, files: good.files), [])
        XCTAssertEqual(verifier.runs, 1)
        // One changed byte is another tree: verified again, and found broken.
        let unit = "normal/systemd-cryptsetup@a.service"
        good.files[unit] = Array(String(decoding: good.files[unit]!, as: UTF8.self)
            .replacing("ExecStart=/", with: "ExecStart=x/").utf8)
        let complaints = try XCTUnwrap(verifier.complaints(manifest: good.manifest, files: good.files))
        XCTAssertEqual(verifier.runs, 2)
        XCTAssertFalse(complaints.isEmpty)
    }
}
