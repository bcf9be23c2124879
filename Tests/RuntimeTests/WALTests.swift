import CSQLite
import Foundation
import XCTest
@testable import Core
@testable import Podrt
import SimFS

/// One database in both worlds: production (the host) and the simulation open the state database through
/// the one `StateStore.init`, over the FileSystem VFS, in WAL mode with synchronous = FULL; its locks and WAL
/// index are SQLite's own, so processes (podrt's and other SQLite programs) share the database safely.
final class WALTests: XCTestCase {
    func assertShipsTheOneConfiguration(_ database: Database, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertTrue(database.vfsName.hasPrefix("podrt-fs-"), "VFS \(database.vfsName)", file: file, line: line)
        XCTAssertNotEqual(database.vfsName, "unix", file: file, line: line)
        XCTAssertEqual(try database.query("PRAGMA journal_mode").first?.first, .text("wal"), file: file, line: line)
        XCTAssertEqual(try database.query("PRAGMA synchronous").first?.first, .integer(2), file: file, line: line)
    }

    /// Production's path: never SQLite's unix VFS, and the WAL and its index are real files beside the
    /// database; no rollback journal is ever made, not even when the database is created.
    func testTheHostOpensTheDatabaseThroughTheMachinesVFS() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        _ = try runtime.createVolume(name: "v")
        try assertShipsTheOneConfiguration(runtime.store.database)
        XCTAssertTrue(scratch.exists("/var/lib/podrt/podrt.db-wal"))
        XCTAssertTrue(scratch.exists("/var/lib/podrt/podrt.db-shm"))
        XCTAssertFalse(scratch.exists("/var/lib/podrt/podrt.db-journal"))
    }

    func testTheSimulationOpensItTheSameWay() throws {
        let world = SimWorld(seed: 18)
        let machine = world.machine(for: world.spawn(name: "podrt"))
        try machine.fileSystem.makeDirectories("/usr/bin", permissions: FilePermissions(rawValue: 0o755))
        try machine.fileSystem.close(try machine.fileSystem.open("/usr/bin/runc", [.write, .create]))
        let runtime = try Runtime(machine: machine, options: RuntimeOptions(config: RuntimeConfig()))
        _ = try runtime.createVolume(name: "v")
        try assertShipsTheOneConfiguration(runtime.store.database)
        let ops = world.opLog
        XCTAssertTrue(ops.contains { $0.op == .write && $0.path == "/var/lib/podrt/podrt.db-wal" })
        XCTAssertTrue(ops.contains { $0.op == .mapShared && $0.path == "/var/lib/podrt/podrt.db-shm" })
        // SQLite looks for a hot rollback journal before it reads page 1 and learns the file is in WAL mode
        // (SQLite's unix VFS makes the same access(2)); none is ever made.
        let journal = ops.filter { $0.path.hasSuffix("-journal") }
        XCTAssertTrue(journal.allSatisfy { $0.op == .stat && $0.errno == Errno.noSuchFileOrDirectory.rawValue }, "\(journal)")
    }

    /// Two simulated processes share the WAL index: a commit of one is seen by the other's next read, a
    /// reader keeps its snapshot while a writer works, and a second writer is told the database is busy.
    func testTwoSimulatedProcessesShareTheIndex() throws {
        let world = SimWorld(seed: 19)
        func podrt() throws -> Runtime {
            let machine = world.machine(for: world.spawn(name: "podrt"))
            if try !machine.fileSystem.exists("/usr/bin/runc") {
                try machine.fileSystem.makeDirectories("/usr/bin", permissions: FilePermissions(rawValue: 0o755))
                try machine.fileSystem.close(try machine.fileSystem.open("/usr/bin/runc", [.write, .create]))
            }
            return try Runtime(machine: machine, options: RuntimeOptions(config: RuntimeConfig()))
        }
        let a = try podrt(), b = try podrt()
        _ = try a.createVolume(name: "one")
        XCTAssertEqual(try b.volumes().map(\.name), ["one"])
        try a.store.database.execute("BEGIN IMMEDIATE")
        try a.store.database.execute("UPDATE volumes SET mountpoint = 'x'")
        XCTAssertEqual(try b.store.database.query("SELECT mountpoint FROM volumes").first?.first, .text(""))
        b.store.database.busyTimeout(milliseconds: 5)  // no scheduler: the sleeps are the world's clock jumping
        XCTAssertThrowsError(try b.store.database.execute("BEGIN IMMEDIATE")) { error in
            XCTAssertTrue("\(error)".contains("locked"), "\(error)")
        }
        try a.store.database.execute("COMMIT")
        XCTAssertEqual(try b.store.database.query("SELECT mountpoint FROM volumes").first?.first, .text("x"))
        _ = try b.createVolume(name: "two")
        XCTAssertEqual(try a.volumes().map(\.name).sorted(), ["one", "two"])
        XCTAssertEqual(try a.store.database.query("PRAGMA quick_check").first?.first, .text("ok"))
    }

    /// Two connections in one real process exclude each other (their locks belong to their own open file
    /// descriptions), here on two threads writing at once.
    func testTwoThreadsOfOneProcessWriteConcurrently() throws {
        final class Shared: @unchecked Sendable {  // the scratch machine, and errors under the lock
            let scratch: ScratchMachine
            let lock = NSLock()
            var errors: [String] = []
            init(_ scratch: ScratchMachine) { self.scratch = scratch }
        }
        let scratch = try ScratchMachine()
        _ = try scratch.open()
        let shared = Shared(scratch)
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            do {
                let runtime = try shared.scratch.open()
                for index in 0..<25 { _ = try runtime.createVolume(name: "t\(thread)-\(index)") }
            } catch {
                shared.lock.lock()
                shared.errors.append("\(error)")
                shared.lock.unlock()
            }
        }
        XCTAssertEqual(shared.errors, [])
        let runtime = try scratch.open()
        XCTAssertEqual(try runtime.volumes().count, 50)
        XCTAssertEqual(try runtime.store.database.query("PRAGMA quick_check").first?.first, .text("ok"))
    }

    /// Real processes: two podrt binaries creating volumes at once both succeed every time, and the database
    /// stays whole.
    func testTwoPodrtProcessesWriteConcurrently() throws {
        guard FileManager.default.isExecutableFile(atPath: podrtBinary) else {
            throw XCTSkip("no podrt binary at \(podrtBinary): run `swift build` first")
        }
        let scratch = try ScratchMachine()
        let podrt = "'\(podrtBinary)' --machine-root '\(scratch.root)'"
        _ = try scratch.open()
        let script = """
            for side in a b; do
              ( for i in $(seq 1 30); do \(podrt) volume create $side$i >/dev/null || echo "failed $side$i"; done ) &
            done > '\(scratch.root)/out' 2>&1
            wait
            """
        XCTAssertEqual(try runShell(script, machine: scratch.machine), .exited(0))
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/out", encoding: .utf8), "")
        let runtime = try scratch.open()
        XCTAssertEqual(try runtime.volumes().count, 60)
        XCTAssertEqual(try runtime.store.database.query("PRAGMA quick_check").first?.first, .text("ok"))
    }

    /// The locks are SQLite's own bytes: the `sqlite3` shell (SQLite's unix VFS) waits for podrt's write
    /// transaction and reads the committed state beside it, through the same WAL index.
    func testSQLitesOwnShellSharesTheLocksAndTheIndex() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw XCTSkip("no sqlite3 shell") }
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        _ = try runtime.createVolume(name: "v")
        let database = scratch.root + "/var/lib/podrt/podrt.db"
        func shell(_ sql: String) throws -> (ExitStatus, String) {
            let out = scratch.root + "/shell.out"
            let status = try runShell("/usr/bin/sqlite3 '\(database)' \"\(sql)\" > '\(out)' 2>&1", machine: scratch.machine)
            return (status, try String(contentsOfFile: out, encoding: .utf8))
        }
        XCTAssertEqual(try shell("SELECT name FROM volumes").1, "v\n")
        try runtime.store.database.execute("BEGIN IMMEDIATE")
        try runtime.store.database.execute("UPDATE volumes SET mountpoint = 'p'")
        let blocked = try shell("UPDATE volumes SET mount_count = 1")
        XCTAssertNotEqual(blocked.0, .exited(0))
        XCTAssertTrue(blocked.1.contains("locked"), blocked.1)
        XCTAssertEqual(try shell("SELECT mountpoint FROM volumes").1, "\n")
        try runtime.store.database.execute("COMMIT")
        XCTAssertEqual(try shell("SELECT mountpoint FROM volumes").1, "p\n")
        XCTAssertEqual(try shell("UPDATE volumes SET mount_count = 3").0, .exited(0))
        XCTAssertEqual(try runtime.store.database.query("SELECT mount_count FROM volumes").first?.first, .integer(3))
    }
}
