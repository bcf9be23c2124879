import Foundation
import XCTest
@testable import Core
@testable import Podrt

final class LockManagerTests: XCTestCase {
    func shm(_ scratch: ScratchMachine, _ numLocks: UInt32, rebuild: Bool = false) throws -> SHMLockManager {
        try SHMLockManager.open(mutexes: scratch.machine.mutexes, clock: scratch.machine.clock,
                                path: "/dev/shm/podrt_lock", numLocks: numLocks, store: "/var/lib/podrt",
                                rebuildIfMismatched: rebuild)
    }

    /// First fit, reuse of the lowest freed id, exhaustion with podman's message, and the other calls.
    func exerciseManager(_ manager: any LockManager, capacity: UInt32?) throws {
        XCTAssertEqual(try manager.allocate(), 0)
        XCTAssertEqual(try manager.allocate(), 1)
        XCTAssertEqual(try manager.allocate(), 2)
        try manager.free(1)
        XCTAssertEqual(try manager.allocate(), 1, "first fit reuses the lowest free id")
        XCTAssertThrowsError(try manager.allocateGiven(2)) { XCTAssertEqual($0 as? LockError, .alreadyAllocated(2)) }
        try manager.allocateGiven(7)
        XCTAssertEqual(try manager.allocated(), [0, 1, 2, 7])
        XCTAssertEqual(try manager.allocate(), 3)
        try manager.free(3)
        XCTAssertThrowsError(try manager.free(3)) { XCTAssertEqual($0 as? LockError, .notAllocated(3)) }
        let lock = try manager.retrieve(7)
        XCTAssertEqual(try lock.lock(), .acquired)
        XCTAssertEqual(try manager.locksHeld(), [7])
        try lock.unlock()
        XCTAssertEqual(try manager.locksHeld(), [])
        try manager.freeAll()
        XCTAssertEqual(try manager.allocated(), [])
        if let capacity {
            XCTAssertEqual(try manager.available(), capacity)
            for expected in 0..<capacity { XCTAssertEqual(try manager.allocate(), expected) }
            XCTAssertThrowsError(try manager.allocate()) { error in
                XCTAssertEqual("\(error)", "allocation failed; exceeded num_locks (\(capacity))")
            }
            XCTAssertEqual(try manager.available(), 0)
            XCTAssertThrowsError(try manager.allocateGiven(capacity)) {
                XCTAssertEqual($0 as? LockError, .outOfRange(capacity, numLocks: capacity))
            }
        } else {
            XCTAssertNil(try manager.available())
        }
    }

    func testSHMManager() throws {
        let scratch = try ScratchMachine()
        let manager = try shm(scratch, 64)
        XCTAssertTrue(manager.wasCreated)
        try exerciseManager(manager, capacity: 64)
    }

    func testFileManager() throws {
        let scratch = try ScratchMachine()
        try exerciseManager(try FileLockManager(fileSystem: scratch.machine.fileSystem, directory: "/run/podrt/locks"),
                            capacity: nil)
        XCTAssertTrue(scratch.exists("/run/podrt/locks"))
    }

    func testInMemoryManager() throws {
        try exerciseManager(InMemoryLockManager(numLocks: 16, clock: Machine.host().clock), capacity: 16)
    }

    /// The creator and every opener agree on the rounded count (podman's 2320 → 2336 bug), and the bitmap is shared.
    func testCreatorAndOpenerAgreeOnRoundedCount() throws {
        let scratch = try ScratchMachine()
        let creator = try shm(scratch, 2320)
        XCTAssertEqual(creator.numLocks, 2336)
        for _ in 0..<2322 { _ = try creator.allocate() }
        let opener = try shm(scratch, 2320)
        XCTAssertFalse(opener.wasCreated)
        XCTAssertEqual(opener.numLocks, 2336)
        XCTAssertEqual(try opener.allocate(), 2322, "the opener sees the creator's bitmap")
        XCTAssertNoThrow(try opener.retrieve(2335))
        XCTAssertEqual(try creator.available(), 2336 - 2323)
    }

    func testSegmentOfAnotherSizeAdvisesRenumber() throws {
        let scratch = try ScratchMachine()
        _ = try shm(scratch, 2048)
        XCTAssertThrowsError(try shm(scratch, 4096)) { error in
            XCTAssertEqual(error as? LockError, .segmentSizeMismatch(path: "/dev/shm/podrt_lock", segmentLocks: 2048,
                                                                     configuredLocks: 4096, roundedLocks: 4096))
            XCTAssertTrue("\(error)".contains("run `podrt system renumber`"))
        }
        XCTAssertNoThrow(try shm(scratch, 2040), "2040 rounds to the same 2048")
        let rebuilt = try shm(scratch, 4096, rebuild: true)
        XCTAssertEqual(rebuilt.numLocks, 4096)
        XCTAssertTrue(rebuilt.wasCreated)
    }

    func testForeignSegmentIsRefused() throws {
        let scratch = try ScratchMachine()
        try Array(repeating: UInt8(7), count: 4096).withUnsafeBytes {
            try Data($0).write(to: URL(fileURLWithPath: scratch.root + "/dev/shm/podrt_lock"))
        }
        XCTAssertThrowsMessage(try shm(scratch, 64), "run `podrt system renumber` to rebuild it")
        XCTAssertEqual(try shm(scratch, 64, rebuild: true).numLocks, 64)
    }

    /// The segment records its store; another store opening it is refused, even where a mismatch would rebuild.
    func testSegmentOfAnotherStoreIsRefused() throws {
        let scratch = try ScratchMachine()
        let mine = try shm(scratch, 64)
        XCTAssertEqual(try mine.allocate(), 0)
        for rebuild in [false, true] {
            XCTAssertThrowsError(try SHMLockManager.open(
                mutexes: scratch.machine.mutexes, clock: scratch.machine.clock, path: "/dev/shm/podrt_lock",
                numLocks: 64, store: "/srv/other", rebuildIfMismatched: rebuild)) { error in
                XCTAssertEqual(error as? LockError, .segmentOfAnotherStore(
                    path: "/dev/shm/podrt_lock", owner: "/var/lib/podrt", store: "/srv/other"))
                XCTAssertTrue("\(error)".contains("belongs to the store at /var/lib/podrt, not to this one at /srv/other"))
            }
        }
        XCTAssertEqual(try shm(scratch, 64).allocated(), [0], "the owner's reservation survived")
    }

    /// A static dir longer than the owner field is recorded by its hash, and still told apart.
    func testLongStorePathsAreRecordedByHash() throws {
        let scratch = try ScratchMachine()
        let long = "/" + String(repeating: "d", count: 300)
        func open(_ store: String) throws -> SHMLockManager {
            try SHMLockManager.open(mutexes: scratch.machine.mutexes, clock: scratch.machine.clock,
                                    path: "/dev/shm/long", numLocks: 32, store: store)
        }
        XCTAssertTrue(try open(long).wasCreated)
        XCTAssertFalse(try open(long).wasCreated)
        XCTAssertThrowsError(try open(long + "e"))
    }
}
