import XCTest
import Glibc
@testable import SimFS

final class LockTests: XCTestCase {
    func testSegmentCreateOpenData() throws {
        let world = SimWorld(seed: 1)
        let a = world.machine(for: world.spawn(name: "a"))
        let b = world.machine(for: world.spawn(name: "b"))
        let segment = try a.mutexes.create("/dev/shm/locks", mutexCount: 4, dataSize: 64)
        XCTAssertErrno(.fileExists, try a.mutexes.create("/dev/shm/locks", mutexCount: 4, dataSize: 64))
        let status = try a.fileSystem.stat("/dev/shm/locks")
        XCTAssertEqual(status.permissions.rawValue, 0o600)
        XCTAssertEqual(status.size, 64)
        try [UInt8(1), 2, 3].withUnsafeBytes { try segment.writeData(at: 10, $0) }
        let other = try b.mutexes.open("/dev/shm/locks")
        XCTAssertEqual(other.mutexCount, 4)
        XCTAssertEqual(other.dataSize, 64)
        var buffer = [UInt8](repeating: 0, count: 3)
        try buffer.withUnsafeMutableBytes { try other.readData(at: 10, into: $0) }
        XCTAssertEqual(buffer, [1, 2, 3])
        XCTAssertErrno(.invalidArgument, try buffer.withUnsafeMutableBytes { try other.readData(at: 62, into: $0) })
        XCTAssertErrno(.noSuchFileOrDirectory, try b.mutexes.open("/dev/shm/none"))
        try b.fileSystem.write("/dev/shm/plain", "not a segment")
        XCTAssertErrno(.badMessage, try b.mutexes.open("/dev/shm/plain"))
        XCTAssertErrno(.invalidArgument, try segment.lock(4))
        try b.mutexes.remove("/dev/shm/locks")
        XCTAssertErrno(.noSuchFileOrDirectory, try a.mutexes.open("/dev/shm/locks"))
        XCTAssertEqual(try segment.tryLock(0), .acquired)  // a removed segment keeps working for its users
    }

    func testSegmentsVanishAtReboot() throws {
        let world = SimWorld(seed: 1)
        _ = try world.machine(for: world.spawn(name: "a")).mutexes.create("/dev/shm/locks", mutexCount: 1, dataSize: 0)
        world.reboot()
        let after = world.machine(for: world.spawn(name: "b"))
        XCTAssertErrno(.noSuchFileOrDirectory, try after.mutexes.open("/dev/shm/locks"))
        XCTAssertNoThrow(try after.mutexes.create("/dev/shm/locks", mutexCount: 1, dataSize: 0))
    }

    func testRelockIsEDEADLKAndForeignUnlockIsEPERM() throws {
        let world = SimWorld(seed: 1)
        let a = world.machine(for: world.spawn(name: "a"))
        let b = world.machine(for: world.spawn(name: "b"))
        let sa = try a.mutexes.create("/dev/shm/l", mutexCount: 2, dataSize: 0)
        let sb = try b.mutexes.open("/dev/shm/l")
        XCTAssertEqual(try sa.lock(0), .acquired)
        XCTAssertErrno(.deadlock, try sa.lock(0))
        XCTAssertErrno(.deadlock, try sa.tryLock(0))
        XCTAssertErrno(.notPermitted, try sb.unlock(0))
        XCTAssertErrno(.notPermitted, try sb.unlock(1))
        XCTAssertNil(try sb.tryLock(0))
        try sa.unlock(0)
        XCTAssertEqual(try sb.tryLock(0), .acquired)
    }

    func testOwnerDiedAfterKill() throws {
        let world = SimWorld(seed: 1)
        let victim = world.spawn(name: "victim")
        let a = world.machine(for: victim)
        let b = world.machine(for: world.spawn(name: "b"))
        let sa = try a.mutexes.create("/dev/shm/l", mutexCount: 1, dataSize: 0)
        let sb = try b.mutexes.open("/dev/shm/l")
        XCTAssertEqual(try sa.lock(0), .acquired)
        world.kill(victim)
        XCTAssertThrowsError(try sa.unlock(0)) { XCTAssertTrue($0 is ProcessKilled) }
        XCTAssertEqual(try sb.lock(0), .ownerDied)
        try sb.unlock(0)
        XCTAssertEqual(try sb.lock(0), .acquired)
    }

    func testOwnerDiedAfterProgramExitsHoldingIt() throws {
        let world = SimWorld(seed: 1)
        world.register(program: "holder") { machine, _ in
            let segment = try machine.mutexes.open("/dev/shm/l")
            _ = try segment.lock(0)
            return 0
        }
        let parent = world.machine(for: world.spawn(name: "parent"))
        let segment = try parent.mutexes.create("/dev/shm/l", mutexCount: 1, dataSize: 0)
        let child = try parent.processes.spawn(["holder"], environment: [], directory: nil)
        XCTAssertEqual(try parent.processes.wait(child), .exited(0))
        XCTAssertEqual(try segment.lock(0), .ownerDied)
    }

    /// Without a scheduler one thread drives the machine: a lock another process holds can never be let go
    /// while the caller waits, so the wait is refused (the scheduler's own tests cover real waiting).
    func testWaitingWithoutASchedulerIsRefused() throws {
        let world = SimWorld(seed: 1)
        let a = world.machine(for: world.spawn(name: "a"))
        let b = world.machine(for: world.spawn(name: "b"))
        let sa = try a.mutexes.create("/dev/shm/l", mutexCount: 1, dataSize: 0)
        let sb = try b.mutexes.open("/dev/shm/l")
        XCTAssertEqual(try sa.lock(0), .acquired)
        XCTAssertNil(try sb.tryLock(0))
        XCTAssertErrno(.deadlock, try sb.lock(0))
        try sa.unlock(0)
        XCTAssertEqual(try sb.lock(0), .acquired)
        try a.fileSystem.write("/run/lock", "")
        let fa = try a.fileSystem.open("/run/lock", .read)
        let fb = try b.fileSystem.open("/run/lock", .read)
        try a.fileSystem.flock(fa, .exclusive, wait: true)
        XCTAssertErrno(.deadlock, try b.fileSystem.flock(fb, .shared, wait: true))
        try a.fileSystem.close(fa)
        try b.fileSystem.flock(fb, .shared, wait: true)
    }

    func testFlockSharedExclusiveAndRelease() throws {
        let world = SimWorld(seed: 1)
        let a = world.machine(for: world.spawn(name: "a")).fileSystem
        let b = world.machine(for: world.spawn(name: "b")).fileSystem
        try a.write("/run/lock", "")
        let fa = try a.open("/run/lock", .read)
        let fb = try b.open("/run/lock", .read)
        let fa2 = try a.open("/run/lock", .read)
        try a.flock(fa, .shared, wait: false)
        try b.flock(fb, .shared, wait: false)
        XCTAssertErrno(.wouldBlock, try a.flock(fa2, .exclusive, wait: false))  // another description of a's own
        try b.flock(fb, .unlock, wait: false)
        XCTAssertErrno(.wouldBlock, try b.flock(fb, .exclusive, wait: false))
        try a.close(fa)  // last close releases
        try b.flock(fb, .exclusive, wait: false)
        XCTAssertErrno(.wouldBlock, try a.flock(fa2, .shared, wait: false))
        world.kill(world.machine(for: ProcessID(rawValue: 101)).processes.currentProcess)  // b dies
        try a.flock(fa2, .exclusive, wait: false)
    }

    func testFlockDeadlockIsRefused() throws {
        let world = SimWorld(seed: 1)
        let a = world.machine(for: world.spawn(name: "a")).fileSystem
        try a.write("/run/lock", "")
        let first = try a.open("/run/lock", .read)
        let second = try a.open("/run/lock", .read)
        try a.flock(first, .exclusive, wait: true)
        // Waiting on a lock one holds oneself can never end.
        XCTAssertErrno(.deadlock, try a.flock(second, .exclusive, wait: true))
    }
}
