import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// Two stores on one machine (`--root X --runroot Y`, the README's recipe) each have a lock segment of their
/// own. With podman's one segment per machine, the second store's first command refreshed and freed the first
/// store's locks, and its next object took lock 0 again.
final class StoreIsolationTests: XCTestCase {
    func store(_ name: String) -> RuntimeConfig {
        var config = RuntimeConfig()
        config.staticDir = "/stores/\(name)/lib"
        config.tmpDir = "/stores/\(name)/run"
        return config
    }

    func testTwoStoresInterleavedKeepTheirLocksClean() throws {
        let scratch = try ScratchMachine()
        let a = store("a"), b = store("b")
        XCTAssertNotEqual(a.lockSegmentPath, b.lockSegmentPath)
        let a1 = try scratch.open(a)
        XCTAssertEqual(a1.startup, .refreshed)
        let aVolumes = try (0..<3).map { try a1.createVolume(name: "a\($0)").lockID }
        let b1 = try scratch.open(b)
        XCTAssertEqual(b1.startup, .refreshed, "store b's first use refreshes store b only")
        XCTAssertEqual(try b1.createVolume(name: "b0").lockID, 0, "b's numbering is its own")
        let a2 = try scratch.open(a)
        XCTAssertEqual(a2.startup, .nothing, "b's refresh did not touch a's segment")
        XCTAssertEqual(try a2.createVolume(name: "a3").lockID, 3, "a's reservations survived b's refresh")
        try b1.renumber()
        XCTAssertEqual(try scratch.open(a).locks.allocated(), aVolumes + [3], "b's renumber left a alone")
        for config in [a, b] {
            let report = try scratch.open(config).lockReport()
            XCTAssertTrue(report.isClean, "\(config.staticDir): \(report.json)")
        }
    }

    /// A store whose `lock_path` names another store's segment is refused with both stores named.
    func testAStorePointedAtAnotherStoresSegmentIsRefused() throws {
        let scratch = try ScratchMachine()
        let a = store("a")
        var b = store("b")
        b.lockPath = a.lockSegmentPath
        _ = try scratch.open(a).createVolume(name: "keep")
        XCTAssertThrowsMessage(try scratch.open(b),
                               "lock segment \(a.lockSegmentPath) belongs to the store at /stores/a/lib, "
                               + "not to this one at /stores/b/lib")
        XCTAssertTrue(try scratch.open(a).lockReport().isClean)
    }
}
