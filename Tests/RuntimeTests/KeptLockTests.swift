import XCTest
@testable import Core
@testable import Podrt
import SimFS

/// A lock podrt leaves allocated on purpose is said to the observer (`ObjectChange.keptLock`), so a harness
/// does not take it for a leak: a create whose commit failed and whose row no read could rule out keeps its
/// lock (found by `bootsim selftest --seed 2`, scenario 9, seed 17, as I3: a read fault on the database failed
/// `create pod p2` and then the read that would have freed its lock).
final class KeptLockTests: XCTestCase {
    final class Recorder: @unchecked Sendable {
        var changes: [ObjectChange] = []
    }

    func runtime(_ world: SimWorld, _ recorder: Recorder) throws -> Runtime {
        var options = RuntimeOptions(config: RuntimeConfig())
        options.observer = { recorder.changes.append($0) }
        return try Runtime(machine: try simulatedPodrtProcess(world), options: options)
    }

    func testAFailedCreateWhoseRowNoReadRulesOutKeepsItsLockAndSaysSo() throws {
        let world = SimWorld(seed: 2)
        let recorder = Recorder()
        let podrt = try runtime(world, recorder)
        _ = try podrt.createVolume(name: "first")
        // The commit fails (its WAL fsync), and every read of the database after it.
        world.addFault(FaultRule(op: .fsync, path: "/var/lib/podrt/podrt.db-wal", trigger: .nth(1), effect: .error(.ioError)))
        world.addFault(FaultRule(op: .read, path: "/var/lib/podrt/podrt.db*", trigger: .always, effect: .error(.readOnlyFileSystem)))
        recorder.changes = []
        XCTAssertThrowsError(try podrt.createPod(name: "p2"))
        world.clearFaults()
        let kept = recorder.changes.compactMap { change -> UInt32? in
            if case let .keptLock(id) = change { return id } else { return nil }
        }
        XCTAssertEqual(kept.count, 1, "\(recorder.changes)")
        let allocated = try podrt.locks.allocated()
        XCTAssertTrue(kept.allSatisfy(allocated.contains), "the kept lock \(kept) is not allocated: \(allocated)")
    }

    /// When a read shows no row has the lock, the failed create frees it and says nothing of a kept lock.
    func testAFailedCreateWhoseRowIsRuledOutFreesItsLock() throws {
        let world = SimWorld(seed: 3)
        let recorder = Recorder()
        let podrt = try runtime(world, recorder)
        let first = try podrt.createVolume(name: "first").lockID
        world.addFault(FaultRule(op: .fsync, path: "/var/lib/podrt/podrt.db-wal", trigger: .nth(1), effect: .error(.ioError)))
        recorder.changes = []
        XCTAssertThrowsError(try podrt.createPod(name: "p2"))
        world.clearFaults()
        XCTAssertFalse(recorder.changes.contains { if case .keptLock = $0 { true } else { false } }, "\(recorder.changes)")
        let report = try runtime(world, recorder).lockReport()
        XCTAssertTrue(report.isClean, "\(report)")
        XCTAssertEqual(try podrt.locks.allocated().filter { $0 != first }.count,
                       try podrt.pods().count, "a lock is allocated for each object, and no other")
    }
}
