import CSQLite
import Core
import Foundation
import Podrt
import SimFS
@testable import Simulation
import XCTest

/// The checker's SQLite may draw no randomness (a draw stops bootsim), but only its own calls are held to
/// that: after a reading the thread's SQLite randomness source is the one it had before. Before, the first
/// reading on a thread left the trapping source installed, and host-side SQLite on that thread later (a WAL's
/// salts) trapped: `swift test --filter "StrictReadingTests|SimRefreshTests|ReadableTraceTests"` stopped with
/// "the checker's SQLite drew 8 random bytes" in StrictReadingTests' sqlite3 edits.
final class CheckerRandomnessTests: XCTestCase {
    final class Results: @unchecked Sendable {  // written by the thread before it signals
        var objects: [String]?
        var sourceAfter: UnsafeMutableRawPointer?
        var hostRows: String?
    }

    /// A thread's first reading, as the first check of a run on a worker thread makes it (`forThisThread`
    /// makes the thread's reader then): the objects of one created container.
    static func readOnce() -> [String]? {
        let world = SimWorld(seed: 11)
        let machine = world.machine(for: world.spawn(name: "podrt"))
        for tool in ["/usr/bin/runc", "/usr/bin/conmon"] {  // podrt looks for its OCI runtime and monitor
            try? machine.fileSystem.makeDirectories("/usr/bin", permissions: FilePermissions(rawValue: 0o755))
            guard let fd = try? machine.fileSystem.open(tool, [.write, .create], permissions: FilePermissions(rawValue: 0o755))
            else { return nil }
            try? machine.fileSystem.close(fd)
        }
        let options = RuntimeOptions(config: RuntimeConfig())
        guard (try? Runtime(machine: machine, options: options).createVolume(name: "data")) != nil else { return nil }
        var reader = StateReader(machine: world.machine(for: world.spawn(name: "harness")), config: options.config)
        return reader.read(bootID: world.bootID).objects?.map(\.name)
    }

    /// Runs `body` on a new thread (a thread of its own has no reader yet) and waits for it.
    static func onNewThread(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        Thread {
            body()
            done.signal()
        }.start()
        done.wait()
    }

    func testAReadingPutsTheThreadsRandomnessSourceBack() {
        let results = Results()
        Self.onNewThread {
            // The thread's own source, marked by its context, in place before the reading.
            var source: sqlite3_randomness_source? = { _, count, out in memset(out!, 0x5A, Int(count)) }
            var context: UnsafeMutableRawPointer? = Unmanaged.passUnretained(results).toOpaque()
            sqlite3_thread_randomness_swap(&source, &context)
            results.objects = Self.readOnce()
            var none: sqlite3_randomness_source?
            var after: UnsafeMutableRawPointer?
            sqlite3_thread_randomness_swap(&none, &after)
            results.sourceAfter = after
        }
        XCTAssertEqual(results.objects, ["data"])
        XCTAssertEqual(results.sourceAfter, Unmanaged.passUnretained(results).toOpaque(),
                       "the thread's randomness source after the checker's reading is not the one it had before")
    }

    /// The sequence that trapped: a reading, then on the same thread a host SQLite database in WAL mode
    /// written by a connection of its own (its first write draws the WAL's salts from SQLite's PRNG).
    func testHostSQLiteInWALModeAfterAReadingOnTheSameThread() throws {
        let path = NSTemporaryDirectory() + "checker-randomness-\(getpid()).db"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let results = Results()
        Self.onNewThread {
            results.objects = Self.readOnce()
            var db: OpaquePointer?
            defer { sqlite3_close_v2(db) }
            guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK,
                  sqlite3_exec(db, "PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (42);",
                               nil, nil, nil) == SQLITE_OK else {
                results.hostRows = String(cString: sqlite3_errmsg(db))
                return
            }
            var statement: OpaquePointer?
            defer { sqlite3_finalize(statement) }
            sqlite3_prepare_v2(db, "SELECT x FROM t", -1, &statement, nil)
            results.hostRows = sqlite3_step(statement) == SQLITE_ROW ? String(sqlite3_column_int(statement, 0)) : "no row"
        }
        XCTAssertEqual(results.objects, ["data"])
        XCTAssertEqual(results.hostRows, "42")
    }
}
