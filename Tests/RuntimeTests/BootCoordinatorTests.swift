import XCTest
@testable import Core
@_spi(BugInjection) @testable import Podrt
import SimFS

/// The boot protocol's decision on the simulated machine: refresh after a boot, repair when the alive file or
/// the lock segment went away in the same boot, nothing otherwise; and what each historical bug put back into
/// the decision changes (podman #3207, #5057, #7852, #16119, #16784).
final class BootCoordinatorTests: XCTestCase {
    func options(_ bugs: InjectedBugs = [], numLocks: UInt32 = 2048, tmpDir: String? = nil,
                 forRenumber: Bool = false) -> RuntimeOptions {
        var config = RuntimeConfig()
        config.numLocks = numLocks
        if let tmpDir { config.tmpDir = tmpDir }
        var options = RuntimeOptions(config: config)
        options.forRenumber = forRenumber
        options.injectedBugs = bugs
        return options
    }

    func process(_ world: SimWorld) throws -> Machine { try simulatedPodrtProcess(world) }

    /// What a new process would decide about the boot, holding the alive lock while `body` runs.
    @discardableResult
    func coordinate(_ world: SimWorld, _ options: RuntimeOptions, on machine: Machine? = nil,
                    _ body: (BootCoordinator) throws -> Void = { _ in }) throws -> BootCoordinator.Decision {
        let machine = try machine ?? process(world)
        let config = options.config, fs = machine.fileSystem
        try fs.makeDirectories(config.tmpDir, permissions: FilePermissions(rawValue: 0o700))
        try fs.makeDurableDirectories(config.staticDir, permissions: FilePermissions(rawValue: 0o700))
        let store = try StateStore(path: config.databasePath, vfs: FileSystemVFS(machine: machine))
        let boot = try BootCoordinator(machine: machine, options: options, store: store,
                                       bootID: Runtime.readBootID(fs))
        defer { boot.release() }
        try body(boot)
        return boot.decision
    }

    /// A booted machine with a volume, a pod and a running container in it.
    func bootedWorld(seed: UInt64, _ options: RuntimeOptions? = nil) throws -> (SimWorld, [UInt32]) {
        let world = SimWorld(seed: seed)
        let runtime = try Runtime(machine: try process(world), options: options ?? self.options())
        let ids = [try runtime.createVolume(name: "vol").lockID, try runtime.createPod(name: "pod").lockID,
                   try runtime.createContainer(name: "ctr", pod: "pod", volumes: [VolumeMount(volume: "vol", destination: "/v")],
                                               rootfs: "/r").lockID]
        try runtime.setState(try runtime.lookupContainer("ctr"), .running, pid: 42)
        return (world, ids)
    }

    // MARK: The decision

    func testFirstBootRefreshes() throws {
        let world = SimWorld(seed: 1)
        XCTAssertEqual(try coordinate(world, options()), .refresh)
        XCTAssertEqual(try Runtime(machine: try process(world), options: options()).startup, .refreshed)
    }

    func testSameBootDoesNothing() throws {
        let (world, _) = try bootedWorld(seed: 2)
        try coordinate(world, options()) { boot in
            XCTAssertEqual(boot.decision, .nothing)
            XCTAssertEqual(boot.alive, boot.storedBootID)
        }
    }

    func testRebootRefreshes() throws {
        let (world, _) = try bootedWorld(seed: 3)
        world.reboot()
        XCTAssertEqual(try coordinate(world, options()), .refresh)
        let runtime = try Runtime(machine: try process(world), options: options())
        XCTAssertEqual(runtime.startup, .refreshed)
        XCTAssertEqual(try runtime.lookupContainer("ctr").state, .exited)
    }

    /// tmpfiles cleanup deleted the alive file (podman #7852): the reservations go back, the containers keep running.
    func testAliveFileDeletedInTheSameBootRepairs() throws {
        let (world, ids) = try bootedWorld(seed: 4)
        try world.machine(for: world.spawn(name: "rm")).fileSystem.unlink("/run/podrt/alive")
        XCTAssertEqual(try coordinate(world, options()), .repair(segmentWasCreated: false))
        let runtime = try Runtime(machine: try process(world), options: options())
        XCTAssertEqual(runtime.startup, .repaired)
        XCTAssertEqual(try runtime.lookupContainer("ctr").state, .running)
        XCTAssertEqual(try runtime.locks.allocated(), ids.sorted())
    }

    /// The lock segment was removed and is created again, empty (podman #16784): every lock is reserved again
    /// into it, and the containers keep running.
    func testSegmentDeletedInTheSameBootRepairs() throws {
        let (world, ids) = try bootedWorld(seed: 5)
        let rm = world.machine(for: world.spawn(name: "rm"))
        try rm.mutexes.remove(RuntimeConfig().lockSegmentPath)
        XCTAssertEqual(try coordinate(world, options()), .repair(segmentWasCreated: true))
        try rm.mutexes.remove(RuntimeConfig().lockSegmentPath)
        let runtime = try Runtime(machine: try process(world), options: options())
        XCTAssertEqual(runtime.startup, .repaired)
        XCTAssertEqual(try runtime.lookupContainer("ctr").state, .running)
        XCTAssertEqual(try runtime.locks.allocated(), ids.sorted())
        XCTAssertTrue(try runtime.lockReport().isClean)
    }

    // MARK: Each bug put back into the decision

    /// #3207: the alive lock is dropped before refresh, so another process can take it while this one decides.
    func testAliveLockReleasedEarlyLetsAnotherProcessIn() throws {
        let (world, _) = try bootedWorld(seed: 7)
        func otherCanLock() throws -> Bool {
            let fs = try process(world).fileSystem
            let fd = try fs.open("/run/podrt/alive.lck", [.read, .write])
            defer { try? fs.close(fd) }
            do { try fs.flock(fd, .exclusive, wait: false) } catch Errno.wouldBlock { return false }
            return true
        }
        try coordinate(world, options()) { _ in XCTAssertFalse(try otherCanLock()) }
        XCTAssertEqual(try coordinate(world, options(.aliveLockReleasedEarly)) { _ in XCTAssertTrue(try otherCanLock()) },
                       .nothing)
    }

    /// #7852 and #16784: a missing alive file in the same boot is taken for a reboot: refresh, not repair.
    func testMissingAliveMeansRebootBugsRefreshInsteadOfRepair() throws {
        for bug in [InjectedBugs.missingAliveMeansReboot, .staleSegmentRefresh] {
            let (world, _) = try bootedWorld(seed: 8)
            try world.machine(for: world.spawn(name: "rm")).fileSystem.unlink("/run/podrt/alive")
            XCTAssertEqual(try coordinate(world, options(bug)), .refresh, "\(bug)")
            XCTAssertEqual(try coordinate(world, options()), .repair(segmentWasCreated: false))
        }
    }

    /// #5057: with the tmp dir not on a tmpfs the alive file survives the reboot; the bug trusts it, so there is
    /// no refresh (only a repair of the new, empty segment) and the containers keep their old boot's state.
    func testAliveMeansSameBootMissesTheReboot() throws {
        let persistent = options(tmpDir: "/var/lib/podrt-tmp")
        let buggy = options(.aliveMeansSameBoot, tmpDir: "/var/lib/podrt-tmp")
        func rebooted() throws -> SimWorld {
            let (world, _) = try bootedWorld(seed: 9, persistent)
            world.reboot()
            return world
        }
        XCTAssertEqual(try coordinate(try rebooted(), persistent), .refresh)
        XCTAssertEqual(try coordinate(try rebooted(), buggy), .repair(segmentWasCreated: true))
    }

    /// #16119: for `system renumber` after a num_locks change the segment is rebuilt; with the bug, refused.
    func testRenumberRefusesResizeKeepsTheOldSegment() throws {
        let (world, _) = try bootedWorld(seed: 10)
        let resized = options(numLocks: 4096, forRenumber: true)
        let refusing = options(.renumberRefusesResize, numLocks: 4096, forRenumber: true)
        XCTAssertThrowsError(try coordinate(world, refusing)) { error in
            XCTAssertTrue("\(error)".contains("4096"), "\(error)")
        }
        try coordinate(world, resized) { boot in
            XCTAssertEqual(boot.decision, .repair(segmentWasCreated: true))
            XCTAssertEqual(boot.locks.capacity, 4096)
        }
    }

    /// The decision as a table: (rebooted, alive file, segment created) to what the runtime does.
    func testDecisionTable() {
        typealias Row = (rebooted: Bool, alive: String?, created: Bool, expected: BootCoordinator.Decision)
        let rows: [Row] = [
            (true, nil, true, .refresh), (true, "b", false, .refresh), (false, "b", false, .nothing),
            (false, nil, false, .repair(segmentWasCreated: false)), (false, "old", false, .repair(segmentWasCreated: false)),
            (false, "b", true, .repair(segmentWasCreated: true)),
        ]
        for row in rows {
            XCTAssertEqual(BootCoordinator.decide(rebooted: row.rebooted, bootID: "b", alive: row.alive,
                                                  segmentWasCreated: row.created), row.expected, "\(row)")
        }
        XCTAssertTrue(BootCoordinator.isReboot(bootID: "", alive: nil, storedBootID: "b", bugs: []), "no boot id: the alive file decides")
        XCTAssertFalse(BootCoordinator.isReboot(bootID: "", alive: "", storedBootID: nil, bugs: []))
        XCTAssertTrue(BootCoordinator.isReboot(bootID: "b", alive: "b", storedBootID: "a", bugs: []))
    }
}
