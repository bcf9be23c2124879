import Foundation
import XCTest
@testable import Core
@testable import Podrt

final class RefreshTests: XCTestCase {
    /// Volumes, pods and containers mixed, so lock ids of every kind interleave.
    func populate(_ runtime: Runtime) throws -> [UInt32] {
        var ids: [UInt32] = []
        for index in 0..<3 {
            ids.append(try runtime.createVolume(name: "vol\(index)").lockID)
            ids.append(try runtime.createPod(name: "pod\(index)").lockID)
            ids.append(try runtime.createContainer(name: "ctr\(index)", pod: "pod\(index)",
                                                   volumes: [VolumeMount(volume: "vol\(index)", destination: "/v")],
                                                   rootfs: "/r").lockID)
        }
        return ids
    }

    func refreshEvents(_ runtime: Runtime) throws -> [Event] {
        try runtime.events.read().filter { $0.status == "refresh" }
    }

    /// podman #4605: after a reboot every container, pod AND volume lock is reserved again, so a new object
    /// never receives a volume's lock.
    func testRefreshAfterRebootReservesEveryLock() throws {
        let scratch = try ScratchMachine()
        let before = try scratch.open()
        let ids = try populate(before)
        let running = try before.lookupContainer("ctr1")
        try before.setState(running, .running, pid: 4242)
        try before.setState(try before.lookupContainer("ctr2"), .created)

        try scratch.reboot()
        let after = try scratch.open()
        XCTAssertEqual(after.startup, .refreshed)
        XCTAssertEqual(after.warnings, [])
        XCTAssertEqual(try after.locks.allocated(), ids.sorted())
        let report = try after.lockReport()
        XCTAssertTrue(report.isClean, "\(report.json.serialized())")
        let fresh = try after.createContainer(name: "new", rootfs: "/r")
        XCTAssertFalse(ids.contains(fresh.lockID), "a new container got lock \(fresh.lockID), owned by another object")
        XCTAssertEqual(fresh.lockID, 9)

        // Per-boot state was reset as podman 5 does.
        XCTAssertEqual(try after.lookupContainer("ctr1").state, .exited)
        XCTAssertEqual(try after.lookupContainer("ctr1").pid, 0)
        XCTAssertEqual(try after.lookupContainer("ctr2").state, .configured)
        XCTAssertEqual(try after.lookupContainer("ctr0").state, .configured)
        let events = try refreshEvents(after)
        XCTAssertEqual(events.count, 2, "one refresh for each boot")
        XCTAssertEqual(events.last?.bootID, after.bootID)
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/run/podrt/alive", encoding: .utf8), after.bootID + "\n")
        XCTAssertEqual(try after.store.info("boot_id"), after.bootID)

        // The next process of the same boot does not refresh again.
        XCTAssertEqual(try scratch.open().startup, .nothing)
        XCTAssertEqual(try refreshEvents(after).count, 2)
    }

    /// podman #7852: tmpfiles deleted the alive file while containers run. Same boot id: repair the
    /// reservations and the alive file, reset nothing, log no refresh.
    func testAliveDeletedInTheSameBootRepairsWithoutReset() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        let ids = try populate(runtime)
        let ownPID = scratch.machine.processes.currentProcess.rawValue
        try runtime.setState(try runtime.lookupContainer("ctr0"), .running, pid: ownPID)
        try FileManager.default.removeItem(atPath: scratch.root + "/run/podrt/alive")

        let again = try scratch.open()
        XCTAssertEqual(again.startup, .repaired)
        XCTAssertEqual(again.warnings, [])
        XCTAssertEqual(try again.lookupContainer("ctr0").state, .running)
        XCTAssertEqual(try again.lookupContainer("ctr0").pid, ownPID)
        XCTAssertEqual(try again.locks.allocated(), ids.sorted())
        XCTAssertTrue(scratch.exists("/run/podrt/alive"))
        XCTAssertEqual(try refreshEvents(again).count, 1)
        XCTAssertEqual(try again.containers(all: false).map(\.name), ["ctr0"])
    }

    /// The lock segment vanished but the alive file stayed: the reservations come back before anyone allocates.
    func testSegmentRemovedInTheSameBootIsRepaired() throws {
        let scratch = try ScratchMachine()
        let ids = try populate(try scratch.open())
        try FileManager.default.removeItem(atPath: scratch.root + RuntimeConfig().lockSegmentPath)
        let again = try scratch.open()
        XCTAssertEqual(again.startup, .repaired)
        XCTAssertEqual(try again.locks.allocated(), ids.sorted())
        XCTAssertEqual(try again.createVolume(name: "late").lockID, 9)
    }

    /// podman #16784: the alive file is gone after a reboot but a stale segment survived with its bits set.
    /// Refresh starts from a clean segment: no "file exists"/already-allocated errors.
    func testStaleSegmentNeverGivesFileExists() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        let ids = try populate(runtime)
        _ = try runtime.locks.allocate()  // a stray reservation that no object owns
        try FileManager.default.removeItem(atPath: scratch.root + "/run/podrt/alive")
        try scratch.setBootID("second-boot")

        let after = try scratch.open()
        XCTAssertEqual(after.startup, .refreshed)
        XCTAssertEqual(after.warnings, [])
        XCTAssertEqual(try after.locks.allocated(), ids.sorted(), "the stray reservation is gone too")
        XCTAssertTrue(try after.lockReport().isClean)
    }

    /// podman #5057: the tmp dir is not on tmpfs, so the alive file survives the reboot. The boot id shows it.
    func testTmpDirNotOnTmpfsStillRefreshes() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        let ids = try populate(runtime)
        try runtime.setState(try runtime.lookupContainer("ctr2"), .running, pid: 99999)
        try scratch.setBootID("after-reboot")  // alive file, alive.lck and segment all survive

        let after = try scratch.open()
        XCTAssertEqual(after.startup, .refreshed)
        XCTAssertEqual(try after.lookupContainer("ctr2").state, .exited)
        XCTAssertEqual(try after.locks.allocated(), ids.sorted())
        XCTAssertEqual(try String(contentsOfFile: scratch.root + "/run/podrt/alive", encoding: .utf8), "after-reboot\n")
    }

    /// A reboot into a different num_locks rebuilds the segment during refresh (no process can hold locks yet).
    func testRebootWithNewNumLocksRebuildsSegment() throws {
        let scratch = try ScratchMachine()
        let ids = try populate(try scratch.open(scratch.config(numLocks: 64)))
        try scratch.setBootID("bigger")
        let after = try scratch.open(scratch.config(numLocks: 128))
        XCTAssertEqual(after.locks.capacity, 128)
        XCTAssertEqual(try after.locks.allocated(), ids.sorted())
    }

    /// podman #16119 and #23052: renumber after num_locks changes, covering containers, pods and volumes.
    func testRenumberAfterNumLocksChangeIncludingVolumes() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open(scratch.config(numLocks: 64))
        _ = try populate(runtime)
        for index in 0..<5 { try runtime.removeContainer(try runtime.createContainer(name: "gap\(index)", rootfs: "/r").id) }
        try runtime.removeVolume("vol0", force: true)  // removes ctr0 too: holes at locks 0 and 2

        XCTAssertThrowsMessage(try scratch.open(scratch.config(numLocks: 4096)), "run `podrt system renumber`")
        let renumbering = try scratch.open(scratch.config(numLocks: 4096), forRenumber: true)
        try renumbering.renumber()
        XCTAssertEqual(renumbering.locks.capacity, 4096)
        XCTAssertEqual(try renumbering.locks.allocated(), Array(0..<7))
        let owners = try renumbering.store.lockOwners().all()
        XCTAssertEqual(Set(owners.map(\.lockID)).count, 7)
        XCTAssertEqual(owners.filter { $0.kind == .volume }.count, 2)
        XCTAssertTrue(try renumbering.lockReport().isClean)
        XCTAssertEqual(try renumbering.events.read().last?.status, "renumber")

        // Every later process with the new size works.
        let later = try scratch.open(scratch.config(numLocks: 4096))
        XCTAssertEqual(later.startup, .nothing)
        XCTAssertEqual(try later.createVolume(name: "more").lockID, 7)
    }

    func testRenumberCompactsSharedIDs() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        _ = try populate(runtime)
        // Corrupt the state the way podman 1.x did: two objects on lock 0.
        try runtime.store.setLockID(LockOwner(kind: .pod, id: try runtime.lookupPod("pod0").id, name: "pod0", lockID: 1), 0)
        XCTAssertEqual(try runtime.lockReport().conflicts.count, 1)
        XCTAssertEqual(try runtime.lockReport().orphaned, [1])
        try runtime.renumber()
        let report = try runtime.lockReport()
        XCTAssertTrue(report.isClean, "\(report.json.serialized())")
        XCTAssertEqual(report.allocated.count, 9)
    }

    func testCorruptDatabaseIsReportedAndLeftUntouched() throws {
        let scratch = try ScratchMachine()
        try FileManager.default.createDirectory(atPath: scratch.root + "/var/lib/podrt", withIntermediateDirectories: true)
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let path = scratch.root + "/var/lib/podrt/podrt.db"
        try garbage.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try scratch.open()) { error in
            XCTAssertTrue("\(error)".contains("state database /var/lib/podrt/podrt.db is corrupt or not an SQLite database"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), garbage)
        XCTAssertFalse(scratch.exists("/var/lib/podrt/podrt.db-wal"))
    }

    func testSchemaVersionIsRecorded() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        XCTAssertEqual(try runtime.store.database.query("SELECT version FROM schema_version").first?.first?.integerValue,
                       Int64(Schema.currentVersion))
        // A database from a newer podrt is refused, not downgraded.
        try runtime.store.database.execute("UPDATE schema_version SET version = 99")
        XCTAssertThrowsMessage(try scratch.open(), "schema version 99 is newer than this podrt knows")
    }

    func testMigrateMovesContainersToANewRuntime() throws {
        let scratch = try ScratchMachine()
        var config = scratch.config()
        config.runtimes["crun"] = ["/usr/bin/runc"]
        let runtime = try scratch.open(config)
        _ = try populate(runtime)
        XCTAssertEqual(try runtime.migrate(newRuntime: "crun"), 3)
        XCTAssertEqual(try runtime.containers().map(\.runtime), ["crun", "crun", "crun"])
        XCTAssertThrowsMessage(try runtime.migrate(newRuntime: "kata"), "unknown OCI runtime kata")
    }
}
