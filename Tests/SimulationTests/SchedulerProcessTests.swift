import Core
import SimFS
import XCTest
@testable import Simulation

/// The scheduler is the machine's one model of waiting: spawned programs become its processes, and waiting
/// for a mutex, a flock or a child parks the waiter until another process acts.
final class SchedulerProcessTests: XCTestCase {
    func scheduler(_ world: SimWorld, seed: UInt64) -> Scheduler {
        let chooser = RandomWalkChooser(seed: seed, rates: InjectionRates(), switchChance: 0.5)
        let scheduler = Scheduler(world: world, chooser: chooser, trace: TraceRecorder(detailed: false))
        world.scheduler = scheduler
        return scheduler
    }

    func testABlockingLockWaitsForTheHolderAndAWaitForTheChild() {
        for seed in UInt64(1)...20 {
            let world = SimWorld(seed: seed)
            world.register(program: "locker") { machine, _ in
                let segment = try machine.mutexes.open("/dev/shm/l")
                let got = try segment.lock(0)
                try segment.unlock(0)
                return got == .acquired ? 7 : 8
            }
            let parent = ProgramSpec(name: "parent", crashAtOp: nil) { machine, _ in
                do {
                    let segment = try machine.mutexes.create("/dev/shm/l", mutexCount: 1, dataSize: 0)
                    _ = try segment.lock(0)
                    let child = try machine.processes.spawn(["locker"], environment: [], directory: nil)
                    for _ in 0..<5 { _ = try machine.fileSystem.exists("/etc") }  // let the child block
                    try segment.unlock(0)
                    guard case let .exited(code) = try machine.processes.wait(child) else { return 99 }
                    return code
                } catch {
                    return 98
                }
            }
            let ran = scheduler(world, seed: seed).runGroup([parent])
            XCTAssertEqual(ran.map(\.exitCode), [7], "seed \(seed)")
        }
    }

    func testAParentWaitingForAChildThatWaitsForItIsADeadlock() {
        let world = SimWorld(seed: 1)
        world.register(program: "waiter") { machine, _ in
            _ = try machine.mutexes.open("/dev/shm/l").lock(0)
            return 0
        }
        let parent = ProgramSpec(name: "parent", crashAtOp: nil) { machine, _ in
            let segment = try? machine.mutexes.create("/dev/shm/l", mutexCount: 1, dataSize: 0)
            _ = try? segment?.lock(0)
            guard let child = try? machine.processes.spawn(["waiter"], environment: [], directory: nil) else { return 1 }
            _ = try? machine.processes.wait(child)
            return 0
        }
        let scheduler = scheduler(world, seed: 1)
        XCTAssertEqual(scheduler.runGroup([parent]).map(\.exitCode), [nil], "the deadlocked processes are killed")
        let report = (scheduler.deadlock ?? []).joined(separator: "; ")
        XCTAssertTrue(report.contains("100/parent waits for child 101 held by 101/waiter"), report)
        XCTAssertTrue(report.contains("101/waiter waits for mutex 0 of /dev/shm/l held by 100/parent"), report)
    }

    func testKillingARunningChildMakesItUnwindAndWaitReportsTheSignal() {
        let world = SimWorld(seed: 1)
        world.register(program: "loop") { machine, _ in
            while true { _ = try machine.fileSystem.exists("/run") }
        }
        let parent = ProgramSpec(name: "parent", crashAtOp: nil) { machine, _ in
            guard let child = try? machine.processes.spawn(["loop"], environment: [], directory: nil) else { return 1 }
            for _ in 0..<10 { _ = try? machine.fileSystem.exists("/run") }
            guard machine.processes.isAlive(child) else { return 2 }
            try? machine.processes.kill(child, signal: 15)
            guard !machine.processes.isAlive(child) else { return 3 }
            return (try? machine.processes.wait(child)) == .signaled(15) ? 0 : 4
        }
        XCTAssertEqual(scheduler(world, seed: 1).runGroup([parent]).map(\.exitCode), [0])
        XCTAssertEqual(world.liveProcesses, [])
    }

    func testAChildThatOutlivesItsParentRunsToItsEnd() throws {
        let world = SimWorld(seed: 2)
        world.register(program: "sleeper") { machine, _ in
            for _ in 0..<3 { try machine.clock.sleep(until: machine.clock.monotonicNow().advanced(byNanoseconds: 1_000)) }
            try machine.fileSystem.mkdir("/run/done", permissions: FilePermissions(rawValue: 0o755))
            return 0
        }
        let parent = ProgramSpec(name: "parent", crashAtOp: nil) { machine, _ in
            (try? machine.processes.spawn(["sleeper"], environment: [], directory: nil)) == nil ? 1 : 0
        }
        XCTAssertEqual(scheduler(world, seed: 2).runGroup([parent]).map(\.exitCode), [0])
        let harness = world.machine(for: world.spawn(name: "harness"))
        XCTAssertTrue(try harness.fileSystem.exists("/run/done"))
    }
}
