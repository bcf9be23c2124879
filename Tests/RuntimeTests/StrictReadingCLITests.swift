import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// Strict reading through the built `podrt`: the rows that read are listed, each one that does not is an
/// `Error:` on standard error naming it and the database, and the exit code is 1.
final class StrictReadingCLITests: XCTestCase {
    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: podrtBinary) else {
            throw XCTSkip("no podrt binary at \(podrtBinary): run `swift build` first")
        }
    }

    func testPSListsTheGoodRowsAndNamesTheCorruptOne() throws {
        let scratch = try ScratchMachine()
        for name in ["good1", "bad", "good2"] {
            XCTAssertEqual(try runPodrt(scratch, "container create --name \(name) --rootfs /r").status, .exited(0))
        }
        let path = scratch.root + "/var/lib/podrt/podrt.db"
        try StrictReadingTests.execute(path, "UPDATE containers SET lock_id = 1099511627776 WHERE name = 'bad'")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let ps = try runPodrt(scratch, "ps -a --format json")
        XCTAssertEqual(ps.status, .exited(1), ps.err)
        XCTAssertEqual(try JSON.parse(ps.out).arrayValue?.map { $0["Names"] }, [.array([.string("good1")]), .array([.string("good2")])])
        // The database as podrt opened it (the host path under --machine-root).
        XCTAssertTrue(ps.err.hasPrefix("Error: state database "), ps.err)
        XCTAssertTrue(ps.err.contains("/var/lib/podrt/podrt.db: container bad (id "), ps.err)
        XCTAssertTrue(ps.err.hasSuffix("): lock_id is 1099511627776, out of range for a lock id (0…4294967295)\n"), ps.err)
        XCTAssertEqual(ps.err.split(separator: "\n").count, 1, ps.err)
        let locks = try runPodrt(scratch, "system locks")
        XCTAssertEqual(locks.status, .exited(1))
        XCTAssertTrue(locks.out.contains("/var/lib/podrt/podrt.db: container bad (id "), locks.out)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "listing wrote nothing")

        // rm goes on past the row it cannot read, which stays.
        let rm = try runPodrt(scratch, "container rm bad good2")
        XCTAssertEqual(rm.status, .exited(125), "podman-rm(1): 125 for a failure other than missing or running: \(rm.err)")
        XCTAssertEqual(rm.out, "good2\n")
        XCTAssertTrue(rm.err.contains("container bad (id "), rm.err)
        XCTAssertTrue(try StrictReadingTests.quoted(path, "containers", rowid: 2).contains("1099511627776"))
    }
}
