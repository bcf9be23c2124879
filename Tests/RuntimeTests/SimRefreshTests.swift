import CSQLite
import XCTest
@testable import Core
@testable import Podrt
import SimFS

/// The refresh logic in-process over SimFS: the state database goes through the FileSystem-protocol VFS,
/// the lock segment through the simulated lock table, and reboots and power losses come from the world.
final class SimRefreshTests: XCTestCase {
    func options() -> RuntimeOptions {
        RuntimeOptions(config: RuntimeConfig())
    }

    func process(_ world: SimWorld) throws -> Machine { try simulatedPodrtProcess(world) }

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

    /// A process killed after `mkdir /var/lib/podrt` but before fsyncing /var/lib leaves the directory
    /// unsynced; the next podrt must make it durable, or a power cut loses the database with its reported
    /// creates (found by `bootsim selftest`).
    func testStaticDirMadeByAKilledProcessIsMadeDurable() throws {
        for seed: UInt64 in 1...24 {
            let world = SimWorld(seed: seed)
            let setup = try process(world)
            try setup.fileSystem.makeDirectories("/var/lib", permissions: FilePermissions(rawValue: 0o755))
            for directory in ["/", "/var"] {
                let fd = try setup.fileSystem.open(directory, [.read, .directory])
                try setup.fileSystem.fsync(fd)
                try setup.fileSystem.close(fd)
            }
            world.reboot()  // /var/lib is durable now; the killed process's mkdir below is not
            try world.machine(for: world.spawn(name: "killed")).fileSystem.mkdir("/var/lib/podrt",
                                                                                permissions: FilePermissions(rawValue: 0o700))
            do {
                let runtime = try Runtime(machine: try process(world), options: options())
                _ = try runtime.createContainer(name: "kept", rootfs: "/r")
            }
            _ = world.powerLoss(seed: seed)
            let after = try Runtime(machine: try process(world), options: options())
            XCTAssertEqual(try after.containers().map(\.name), ["kept"], "seed \(seed)")
        }
    }

    /// A commit whose WAL sync fails is ambiguous: SQLite reports an error, yet the commit frame may be in
    /// the WAL, and the recovery after a reboot finds it. Whatever it finds, no two objects share a lock and
    /// every lock belongs to a live object, in the same boot and after the reboot (found by `bootsim selftest`
    /// as I2 when the database used a rollback journal: there the row was committed and its lock freed).
    func testACreateWhoseCommitFailsLeavesNoSharedLock() throws {
        let world = SimWorld(seed: 3381)
        let runtime = try Runtime(machine: try process(world), options: options())
        _ = try runtime.createVolume(name: "first")
        world.addFault(FaultRule(op: .fsync, path: "/var/lib/podrt/podrt.db-wal", trigger: .nth(1), effect: .error(.ioError)))
        XCTAssertThrowsError(try runtime.createContainer(name: "ambiguous", rootfs: "/r"))
        world.clearFaults()
        for boot in ["same boot", "after a reboot"] {
            if boot != "same boot" { world.reboot() }
            let after = try Runtime(machine: try process(world), options: options())
            let report = try after.lockReport()
            XCTAssertTrue(report.isClean, "\(boot): \(report)")
            let next = try after.createContainer(name: "next-\(boot.count)", rootfs: "/r").lockID
            let others = try after.containers().filter { $0.name != "next-\(boot.count)" }.map(\.lockID)
                + (try after.volumes().map(\.lockID))
            XCTAssertFalse(others.contains(next), "\(boot): the new container shares lock \(next)")
        }
    }

    func testRefreshAfterSimulatedRebootReservesEveryLock() throws {
        let world = SimWorld(seed: 4605)
        let ids: [UInt32]
        do {
            let runtime = try Runtime(machine: try process(world), options: options())
            XCTAssertEqual(runtime.startup, .refreshed)
            ids = try populate(runtime)
            try runtime.setState(try runtime.lookupContainer("ctr0"), .running, pid: 123)
        }
        world.reboot()

        let after = try Runtime(machine: try process(world), options: options())
        XCTAssertEqual(after.startup, .refreshed)
        XCTAssertEqual(after.bootID, world.machine(for: world.spawn(name: "cat")).fileSystem.bootIDForTest)
        XCTAssertEqual(try after.locks.allocated(), ids.sorted())
        XCTAssertTrue(try after.lockReport().isClean)
        XCTAssertEqual(try after.lookupContainer("ctr0").state, .exited)
        XCTAssertEqual(try after.createContainer(name: "new", rootfs: "/r").lockID, 9)
        XCTAssertEqual(try after.events.read().filter { $0.status == "refresh" }.count, 2)

        // A second process in the same boot does not refresh.
        XCTAssertEqual(try Runtime(machine: try process(world), options: options()).startup, .nothing)
    }

    func testAliveDeletedInTheSameBootRepairsOverSimFS() throws {
        let world = SimWorld(seed: 7852)
        let machine = try process(world)
        let runtime = try Runtime(machine: machine, options: options())
        let ids = try populate(runtime)
        try machine.fileSystem.unlink("/run/podrt/alive")
        let again = try Runtime(machine: try process(world), options: options())
        XCTAssertEqual(again.startup, .repaired)
        XCTAssertEqual(try again.locks.allocated(), ids.sorted())
        XCTAssertEqual(try again.events.read().filter { $0.status == "refresh" }.count, 1)
    }

    /// What a command reported as done survives a power loss (the VFS fsyncs the file and its directory).
    func testCreatedObjectsSurvivePowerLoss() throws {
        for seed in UInt64(1)...12 {
            let world = SimWorld(seed: seed)
            let ids: [UInt32]
            do {
                let runtime = try Runtime(machine: try process(world), options: options())
                ids = try populate(runtime)
            }
            _ = world.powerLoss(seed: seed &* 977)
            let after = try Runtime(machine: try process(world), options: options())
            XCTAssertEqual(after.startup, .refreshed, "seed \(seed)")
            XCTAssertEqual(try after.containers().map(\.name), ["ctr0", "ctr1", "ctr2"], "seed \(seed)")
            XCTAssertEqual(try after.locks.allocated(), ids.sorted(), "seed \(seed)")
            XCTAssertTrue(try after.lockReport().isClean, "seed \(seed)")
        }
    }

    /// Refresh reserves every lock in one hold of the segment mutex, also through `any LockManager` (the
    /// batch call is a protocol requirement): the calls it makes do not grow with the number of ids.
    func testBatchReservationIsOnePassThroughTheProtocol() throws {
        let world = SimWorld(seed: 9)
        let machine = try process(world)
        let manager: any LockManager = try SHMLockManager.open(
            mutexes: machine.mutexes, clock: machine.clock, path: "/dev/shm/podrt_lock", numLocks: 2048,
            store: "/var/lib/podrt", rebuildIfMismatched: false)
        let before = world.opCount
        let failures = try manager.allocateGiven(Array(0..<200) + [5, 4096])
        XCTAssertEqual(failures.map(\.id), [5, 4096])
        XCTAssertLessThan(world.opCount - before, 10)
        XCTAssertEqual(try manager.allocated().count, 200)
    }

    /// While podrt has its store open over SimFS, SQLite's own randomness (a journal's nonce) comes from the
    /// process's simulated machine, not from the process-wide PRNG that `/dev/urandom` seeds: the same seed
    /// draws the same bytes. Once the store is closed, the thread has the source it had before again (none on a
    /// fresh thread; a checker's trap where a simulation test ran its checks on this thread first).
    func testSQLiteRandomnessComesFromTheSimulatedMachine() throws {
        var outer: sqlite3_randomness_source?
        var outerContext: UnsafeMutableRawPointer?
        sqlite3_thread_randomness_swap(&outer, &outerContext)  // read it (the thread has none now)…
        var back = (outer, outerContext)
        sqlite3_thread_randomness_swap(&back.0, &back.1)  // …and put it back
        func draw(seed: UInt64) throws -> [UInt8] {
            let world = SimWorld(seed: seed)
            let runtime = try Runtime(machine: try process(world), options: options())
            _ = try runtime.createVolume(name: "v")  // a write transaction: its journal's nonce is drawn too
            var bytes = [UInt8](repeating: 0, count: 16)
            sqlite3_randomness(16, &bytes)
            return bytes
        }
        XCTAssertEqual(try draw(seed: 11), try draw(seed: 11))
        XCTAssertNotEqual(try draw(seed: 11), try draw(seed: 12))
        var source: sqlite3_randomness_source?
        var context: UnsafeMutableRawPointer?
        sqlite3_thread_randomness_swap(&source, &context)
        XCTAssertEqual(source.map { unsafeBitCast($0, to: UInt.self) }, outer.map { unsafeBitCast($0, to: UInt.self) })
        XCTAssertEqual(context, outerContext)
        sqlite3_thread_randomness_swap(&source, &context)
    }
}

extension FileSystem {
    var bootIDForTest: String {
        Runtime.readBootID(self)
    }
}
