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

    func testBlockingLockWaitsForRelease() throws {
        let world = SimWorld(seed: 1)
        world.register(program: "locker") { machine, _ in
            let segment = try machine.mutexes.open("/dev/shm/l")
            let got = try segment.lock(0)
            try segment.unlock(0)
            return got == .acquired ? 7 : 8
        }
        let parent = world.machine(for: world.spawn(name: "parent"))
        let segment = try parent.mutexes.create("/dev/shm/l", mutexCount: 1, dataSize: 0)
        XCTAssertEqual(try segment.lock(0), .acquired)
        let child = try parent.processes.spawn(["locker"], environment: [], directory: nil)
        // Give the child time to block on the mutex (real time only paces the test; the world never reads it).
        usleep(50_000)
        try segment.unlock(0)
        XCTAssertEqual(try parent.processes.wait(child), .exited(7))
    }

    func testWaitForCycleAndEDEADLKWithTwoThreads() throws {
        let world = SimWorld(seed: 1)
        let setup = world.machine(for: world.spawn(name: "setup"))
        _ = try setup.mutexes.create("/dev/shm/l", mutexCount: 2, dataSize: 0)
        // Process a takes 0 then wants 1; b takes 1 then wants 0.
        world.register(program: "crosser") { machine, arguments in
            let first = Int(arguments[1])!
            let segment = try machine.mutexes.open("/dev/shm/l")
            _ = try segment.lock(first)
            try machine.fileSystem.write("/run/took\(first)", "")
            while !(try machine.fileSystem.exists("/run/took\(1 - first)")) {
                try machine.clock.sleep(until: machine.clock.monotonicNow().advanced(byNanoseconds: 1000))
                usleep(1000)
            }
            do {
                _ = try segment.lock(1 - first)
                try segment.unlock(1 - first)
                try segment.unlock(first)
                return 0
            } catch Errno.deadlock {
                try segment.unlock(first)
                return 35
            }
        }
        let a = try setup.processes.spawn(["crosser", "0"], environment: [], directory: nil)
        let b = try setup.processes.spawn(["crosser", "1"], environment: [], directory: nil)
        let results = [try setup.processes.wait(a), try setup.processes.wait(b)]
        // Exactly one of them would have closed the cycle and got EDEADLK; the other then got the lock.
        XCTAssertEqual(results.filter { $0 == .exited(35) }.count, 1, "\(results)")
        XCTAssertEqual(results.filter { $0 == .exited(0) }.count, 1, "\(results)")
        let report = try XCTUnwrap(world.deadlocks.first)
        XCTAssertEqual(Set(report.cycle), [a, b])
        XCTAssertNil(world.waitForCycle())
    }

    func testWaitForCycleSeesBlockedProcesses() throws {
        let world = SimWorld(seed: 1)
        let setup = world.machine(for: world.spawn(name: "setup"))
        let segment = try setup.mutexes.create("/dev/shm/l", mutexCount: 1, dataSize: 0)
        _ = try segment.lock(0)
        world.register(program: "waiter") { machine, _ in
            _ = try machine.mutexes.open("/dev/shm/l").lock(0)
            return 0
        }
        let waiter = try setup.processes.spawn(["waiter"], environment: [], directory: nil)
        usleep(50_000)
        XCTAssertNil(world.waitForCycle())  // a waits for setup, setup waits for nobody
        // setup now waits for the waiter: the cycle is refused with EDEADLK.
        XCTAssertErrno(.deadlock, try setup.processes.wait(waiter))
        XCTAssertEqual(Set(world.deadlocks.last!.cycle), [waiter, setup.processes.currentProcess])
        world.kill(waiter)
        world.settle()
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

    func testWaitingParksInTheSchedulerWhenOneIsInstalled() throws {
        final class PollingScheduler: SimScheduling, @unchecked Sendable {
            let waits = SharedCounter()
            func willPerform(_ pid: ProcessID, _ op: SimOp) {}
            func wait(_ pid: ProcessID) {
                waits.increment()
                usleep(1000)
            }
            func sleep(_ pid: ProcessID, until deadline: MonotonicInstant) -> Bool { false }
        }
        let world = SimWorld(seed: 1)
        let scheduler = PollingScheduler()
        world.scheduler = scheduler
        world.register(program: "locker") { machine, _ in
            let segment = try machine.mutexes.open("/dev/shm/l")
            _ = try segment.lock(0)
            try segment.unlock(0)
            return 0
        }
        let parent = world.machine(for: world.spawn(name: "parent"))
        let segment = try parent.mutexes.create("/dev/shm/l", mutexCount: 1, dataSize: 0)
        _ = try segment.lock(0)
        let child = try parent.processes.spawn(["locker"], environment: [], directory: nil)
        while !world.isWaiting(child) { usleep(1000) }
        XCTAssertFalse(world.isWaiting(parent.processes.currentProcess))
        try segment.unlock(0)
        XCTAssertEqual(try parent.processes.wait(child), .exited(0))
        XCTAssertGreaterThan(scheduler.waits.value, 0)
    }
}

/// A counter shared between threads, guarded by a pthread mutex (no Foundation).
final class SharedCounter: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var count = 0
    init() { pthread_mutex_init(&mutex, nil) }
    func increment() {
        pthread_mutex_lock(&mutex)
        count += 1
        pthread_mutex_unlock(&mutex)
    }
    var value: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return count
    }
}
