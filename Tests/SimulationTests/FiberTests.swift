import CSQLite
import Core
import Glibc
import SimFS
@testable import Podrt
import XCTest
@testable import Simulation

/// Fibers keep their own stack and registers across switches, run bodies one after another, and the
/// scheduler runs every simulated process on the thread that called `runGroup`.
final class FiberTests: XCTestCase {
    func testFibersSwitchBackAndForthAndKeepTheirState() {
        let main = Fiber()
        let worker = FiberPool.take()
        defer { FiberPool.put([worker]) }
        let log = Log()
        worker.body = {
            var sum = 0.0
            for round in 1...1000 {
                sum += Double(round) / 3
                log.values.append(round)
                worker.switchTo(main)
            }
            log.sum = sum
        }
        worker.exitTarget = main
        var expected = 0.0
        for round in 1...1000 {
            expected += Double(round) / 3
            main.switchTo(worker)
            XCTAssertEqual(log.values.last, round)
        }
        main.switchTo(worker)  // the last round returns; the body ends and comes back here
        XCTAssertEqual(log.values.count, 1000)
        XCTAssertEqual(log.sum, expected)
    }

    func testAFiberRunsOneBodyAfterAnotherWithADeepStack() {
        let main = Fiber()
        let worker = FiberPool.take()
        defer { FiberPool.put([worker]) }
        let log = Log()
        for index in 1...3 {
            // Half a MiB or more of the 2 MiB stack, in frames the optimiser cannot fold away.
            worker.body = { log.values.append(index * 1000 + depth(500)) }
            worker.exitTarget = main
            main.switchTo(worker)
        }
        XCTAssertEqual(log.values, [1000 + 500, 2000 + 500, 3000 + 500])
    }

    /// SQLite's thread-local randomness source belongs to the fiber that installed it: each podrt process
    /// points it at its own machine, and the processes share one thread.
    func testEachFiberKeepsItsOwnSQLiteRandomnessSource() {
        let main = Fiber()
        let worker = FiberPool.take()
        defer { FiberPool.put([worker]) }
        let log = Log()
        // The source fills the buffer with its context's value.
        let tagged: sqlite3_randomness_source = { context, count, out in
            memset(out!, Int32(Int(bitPattern: context)), Int(count))
        }
        func drawn() -> Int {
            var byte: UInt8 = 0
            sqlite3_randomness(1, &byte)
            return Int(byte)
        }
        func install(_ tag: Int?) {
            var source = tag.map { _ in tagged }
            var context = tag.flatMap { UnsafeMutableRawPointer(bitPattern: $0) }
            sqlite3_thread_randomness_swap(&source, &context)
        }
        worker.body = {
            install(2)
            for _ in 1...3 {
                log.values.append(drawn())
                worker.switchTo(main)
            }
            install(nil)
        }
        worker.exitTarget = main
        install(1)
        for _ in 1...3 {
            main.switchTo(worker)
            log.values.append(drawn())
        }
        main.switchTo(worker)
        log.values.append(drawn())
        install(nil)
        XCTAssertEqual(log.values, [2, 1, 2, 1, 2, 1, 1])
    }

    /// The real world's clock, randomness, system calls and processes refuse to run inside a simulated process
    /// (in bootsim that is a crash; here the escapes are recorded); outside a simulated process they run as
    /// usual. (podrt's database has no way to the real world of its own: its VFS is the machine's.)
    func testTheRealWorldRefusesSimulatedProcesses() {
        let escapes = Messages()
        let world = SimWorld(seed: 3)
        let scheduler = Scheduler(world: world, chooser: RandomWalkChooser(seed: 3, rates: InjectionRates(), switchChance: 0.1),
                                  trace: TraceRecorder(detailed: false),
                                  onEscape: EscapeHandler { escapes.values.append($0) })
        world.scheduler = scheduler
        let inside = Log()
        let program = ProgramSpec(name: "leaky", crashAtOp: nil) { machine, _ in
            inside.values.append(RealWorldGuard.inSimulatedProcess ? 1 : 0)
            _ = HostClock().monotonicNow()
            _ = HostRandom().next()
            _ = try? HostFileSystem().stat("/")
            _ = try? machine.fileSystem.stat("/")  // the simulated machine is fine
            return 0
        }
        XCTAssertEqual(scheduler.runGroup([program]).map(\.exitCode), [0])
        XCTAssertEqual(inside.values, [1])
        // getrandom(2) is a system call too.
        XCTAssertEqual(escapes.values, ["clock", "randomness", "kernel (a system call)", "kernel (a system call)"])
        XCTAssertFalse(RealWorldGuard.inSimulatedProcess, "the caller's thread is not a simulated process")
        _ = HostClock().monotonicNow()
        XCTAssertEqual(escapes.values.count, 4)
    }

    /// No thread besides the caller's: every protocol call of every process comes from it.
    func testProcessesRunOnTheCallersThread() {
        let world = SimWorld(seed: 5)
        let chooser = RandomWalkChooser(seed: 5, rates: InjectionRates(), switchChance: 0.5)
        let scheduler = Scheduler(world: world, chooser: chooser, trace: TraceRecorder(detailed: false))
        world.scheduler = scheduler
        let caller = pthread_self()
        let threads = Log()
        let programs = (0..<4).map { index in
            ProgramSpec(name: "writer\(index)", crashAtOp: nil) { machine, _ in
                for round in 0..<20 {
                    threads.values.append(pthread_equal(pthread_self(), caller) != 0 ? 1 : 0)
                    guard (try? machine.fileSystem.mkdir("/tmp/\(index)-\(round)",
                                                         permissions: FilePermissions(rawValue: 0o755))) != nil
                    else { return 1 }
                }
                return 0
            }
        }
        let processes = scheduler.runGroup(programs)
        XCTAssertEqual(processes.map(\.exitCode), [0, 0, 0, 0])
        XCTAssertEqual(threads.values.count, 80)
        XCTAssertEqual(Set(threads.values), [1])
        XCTAssertGreaterThan(scheduler.choices, 10, "the processes did not interleave")
    }
}

@inline(never)
private func depth(_ remaining: Int) -> Int {
    var frame = [UInt8](repeating: 0, count: 1)
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1000) { buffer in
        buffer.initialize(repeating: UInt8(truncatingIfNeeded: remaining))
        frame[0] = buffer[999]
        return remaining == 0 ? 0 : 1 + depth(remaining - 1) + Int(frame[0]) - Int(buffer[0])
    }
}

private final class Messages: @unchecked Sendable {  // one thread
    var values: [String] = []
}

private final class Log: @unchecked Sendable {  // one thread
    var values: [Int] = []
    var sum = 0.0
}
