import CSQLite
import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// Rows that do not read (issue 18, "strict reading"): each is an error naming the object and the database,
/// the other objects still list, reading writes nothing, and refresh leaves such a row as it is.
final class StrictReadingTests: XCTestCase {
    /// Runs `sql` on the database at `path` with a connection of its own, as another tool would, and closes it.
    static func execute(_ path: String, _ sql: String) throws {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else {
            defer { sqlite3_close_v2(db) }
            throw DatabaseError(path: path, code: 1, message: String(cString: sqlite3_errmsg(db)))
        }
        defer { sqlite3_close_v2(db) }
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw DatabaseError(path: path, code: 1, message: String(cString: sqlite3_errmsg(db)))
        }
    }

    /// The row as SQLite's `quote()` prints each column: how the test sees that a row was not rewritten.
    static func quoted(_ path: String, _ table: String, rowid: Int64) throws -> String {
        var db: OpaquePointer?
        defer { sqlite3_close_v2(db) }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { return "cannot open" }
        var columns: [String] = []
        var statement: OpaquePointer?
        sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('\(table)')", -1, &statement, nil)
        while sqlite3_step(statement) == SQLITE_ROW { columns.append(String(cString: sqlite3_column_text(statement, 0))) }
        sqlite3_finalize(statement)
        let sql = "SELECT " + columns.map { "quote(\($0))" }.joined(separator: " || ',' || ") + " FROM \(table) WHERE rowid = \(rowid)"
        sqlite3_prepare_v2(db, sql, -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else { return "no row" }
        return String(cString: text)
    }

    /// Containers a…f, pod p (holding a), volume v (used by a); `databasePath` on the host.
    func populate(_ scratch: ScratchMachine) throws -> String {
        let runtime = try scratch.open()
        _ = try runtime.createPod(name: "p")
        _ = try runtime.createVolume(name: "v")
        _ = try runtime.createContainer(name: "a", pod: "p", volumes: [VolumeMount(volume: "v", destination: "/d")], rootfs: "/r")
        for name in ["b", "c", "d", "e", "f"] { _ = try runtime.createContainer(name: name, rootfs: "/r", command: ["/bin/true"]) }
        return scratch.root + runtime.config.databasePath
    }

    /// b: NULL name (its NOT NULL dropped first, as a tool editing the schema could); c: a text lock id;
    /// d: lock id 2^40; e: a config that is a blob; f: a pid of 1.5. The volume's mount count is text.
    func corruptRows(_ path: String) throws {
        try Self.execute(path, """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_master SET sql = replace(sql, 'name TEXT NOT NULL UNIQUE', 'name TEXT UNIQUE')
                WHERE name = 'containers';
            PRAGMA writable_schema = OFF;
            """)
        try Self.execute(path, """
            UPDATE containers SET name = NULL WHERE name = 'b';
            UPDATE containers SET lock_id = 'seven' WHERE name = 'c';
            UPDATE containers SET lock_id = 1099511627776 WHERE name = 'd';
            UPDATE containers SET config = X'00FF' WHERE name = 'e';
            UPDATE containers SET pid = 1.5 WHERE name = 'f';
            UPDATE volumes SET mount_count = 'many' WHERE name = 'v';
            """)
    }

    func fileBytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    func testCorruptRowsAreNamedTheOthersListAndNothingIsWritten() throws {
        let scratch = try ScratchMachine()
        let path = try populate(scratch)
        try corruptRows(path)
        let before = try XCTUnwrap(fileBytes(path))
        do {
            let runtime = try scratch.open()
            XCTAssertEqual(runtime.startup, .nothing)
            let listed = try runtime.listContainers(all: true)
            XCTAssertEqual(listed.objects.map(\.name), ["a"])
            let ids = Dictionary(uniqueKeysWithValues: listed.unreadable.map { ($0.name ?? "b", String($0.id!.prefix(12))) })
            XCTAssertEqual(listed.unreadable.map(\.description), [
                "state database \(RuntimeConfig().databasePath): container with id \(ids["b"]!): name is NULL, expected text",
                "state database \(RuntimeConfig().databasePath): container c (id \(ids["c"]!)): lock_id is text \"seven\", expected an integer",
                "state database \(RuntimeConfig().databasePath): container d (id \(ids["d"]!)): lock_id is 1099511627776, out of range for a lock id (0…4294967295)",
                "state database \(RuntimeConfig().databasePath): container e (id \(ids["e"]!)): config is a blob of 2 bytes, expected text",
                "state database \(RuntimeConfig().databasePath): container f (id \(ids["f"]!)): pid is real 1.5, expected an integer",
            ])
            XCTAssertEqual(listed.unreadable.map(\.lockID), [3, nil, nil, 6, 7], "the lock ids that read")
            // Without -a the unreadable rows are still reported: one of them might be running.
            XCTAssertEqual(try runtime.listContainers(all: false).unreadable.count, 5)
            XCTAssertEqual(try runtime.listPods().objects.map(\.name), ["p"])
            XCTAssertEqual(try runtime.listVolumes().unreadable.map(\.description),
                           ["state database \(RuntimeConfig().databasePath): volume v: mount_count is text \"many\", expected an integer"])

            // Commands that act on what they read refuse, naming the row, and change nothing.
            XCTAssertThrowsMessage(try runtime.containers(all: true), "container with id \(ids["b"]!): name is NULL")
            XCTAssertThrowsMessage(try runtime.lookupContainer("c"), "state database \(RuntimeConfig().databasePath): container c (id")
            XCTAssertThrowsMessage(try runtime.removeContainer("d", force: true), "container d (id \(ids["d"]!)): lock_id")
            XCTAssertThrowsMessage(try runtime.removeVolume("v", force: true), "volume v: mount_count")
            XCTAssertThrowsMessage(try runtime.renumber(), "renumbering locks: state database \(RuntimeConfig().databasePath): container with id")
            XCTAssertThrowsMessage(try runtime.reset(), "state database \(RuntimeConfig().databasePath)")
            XCTAssertEqual(try runtime.lookupContainer("a").name, "a", "a good row still reads by name")

            let report = try runtime.lockReport()
            XCTAssertFalse(report.isClean)
            // Its lock columns and per-boot state: all but e, whose config only the listings read.
            XCTAssertEqual(report.unreadable.count, 5)
            XCTAssertEqual(report.orphaned, [4, 5], "the locks of c and d: no row that reads claims them")
            XCTAssertEqual(report.unreserved, [])
        }
        XCTAssertEqual(fileBytes(path), before, "reading, and refusing, wrote nothing")
        XCTAssertEqual(fileBytes(path + "-wal")?.count ?? 0, 0)
    }

    /// Refresh reads (and resets) each row's lock owner and per-boot columns: a row where one of those does
    /// not read is left exactly as it is, with a warning. A row whose config does not read (e) is refreshed
    /// like any other, its config untouched: refresh neither reads nor writes configs, and every listing and
    /// lookup still reports it.
    func testRefreshLeavesACorruptRowAsItIsAndReservesTheLocksItCan() throws {
        let scratch = try ScratchMachine()
        let path = try populate(scratch)
        let runtime = try scratch.open()
        for name in ["a", "c", "e", "f"] { try runtime.setState(try runtime.lookupContainer(name), .running, pid: 4242) }
        try corruptRows(path)
        let rowsBefore = try (1...6).map { try Self.quoted(path, "containers", rowid: Int64($0)) }
        let volumeBefore = try Self.quoted(path, "volumes", rowid: 1)
        try scratch.reboot()

        let after = try scratch.open()
        XCTAssertEqual(after.startup, .refreshed)
        let warnings = after.warnings.joined(separator: "\n")
        XCTAssertEqual(after.warnings.count, 5, warnings)
        XCTAssertTrue(after.warnings.contains {
            $0.hasPrefix("state database \(RuntimeConfig().databasePath): container c (id") && $0.hasSuffix("refresh left the row as it is and could not reserve its lock")
        }, warnings)
        XCTAssertTrue(after.warnings.contains {
            $0.contains("container f (id") && $0.hasSuffix("pid is real 1.5, expected an integer; refresh left the row as it is and reserved its lock 7")
        }, warnings)
        XCTAssertTrue(after.warnings.contains { $0.contains("volume v: mount_count is text \"many\"") }, warnings)
        XCTAssertFalse(warnings.contains("container e"), warnings)

        // a and e were refreshed (e's config still the blob); b, c, d, f and the volume are byte for byte as they were.
        let a = try after.lookupContainer("a")
        XCTAssertEqual([a.state.rawValue, String(a.pid)], ["exited", "0"])
        let rowsAfter = try (1...6).map { try Self.quoted(path, "containers", rowid: Int64($0)) }
        XCTAssertNotEqual(rowsAfter[0], rowsBefore[0])
        XCTAssertTrue(rowsAfter[4].hasSuffix("X'00FF','exited',0,0,'','[]'"), rowsAfter[4])
        XCTAssertEqual([rowsAfter[1], rowsAfter[2], rowsAfter[3], rowsAfter[5]], [rowsBefore[1], rowsBefore[2], rowsBefore[3], rowsBefore[5]])
        XCTAssertTrue(rowsAfter[2].contains("'running',4242"), rowsAfter[2])
        XCTAssertTrue(rowsAfter[5].contains("'running',1.5"), rowsAfter[5])
        XCTAssertEqual(try Self.quoted(path, "volumes", rowid: 1), volumeBefore)
        XCTAssertThrowsMessage(try after.lookupContainer("e"), "container e (id")

        // Every lock id that reads stays reserved (the pod's 0, the volume's 1, a's 2, b's 3, e's 6, f's 7), so
        // a new object gets none of them. The ids of c and d do not read, so they are free (the warnings say so).
        XCTAssertEqual(Set(try after.locks.allocated()), [0, 1, 2, 3, 6, 7])
        XCTAssertEqual(try after.createVolume(name: "w").lockID, 4)
    }
}
