import Core
import Podrt
import SimFS
import XCTest
@testable import Simulation

/// Two processes take two mutexes in opposite orders: some seeds deadlock, and the report names the cycle.
final class DeadlockTests: XCTestCase {
    func run(seed: UInt64) -> (deadlock: [String]?, codes: [Int32?]) {
        let world = SimWorld(seed: seed)
        let chooser = RandomWalkChooser(seed: seed, rates: InjectionRates(), switchChance: 0.5)
        let scheduler = Scheduler(world: world, chooser: chooser, trace: TraceRecorder(detailed: false))
        world.scheduler = scheduler
        let setup = world.machine(for: world.spawn(name: "setup"))
        _ = try? setup.mutexes.create("/dev/shm/pair", mutexCount: 2, dataSize: 0)
        func program(_ first: Int, _ second: Int) -> ProgramSpec {
            ProgramSpec(name: "taker\(first)", crashAtOp: nil) { machine, _ in
                do {
                    let segment = try machine.mutexes.open("/dev/shm/pair")
                    _ = try segment.lock(first)
                    _ = try segment.lock(second)
                    try segment.unlock(second)
                    try segment.unlock(first)
                    return 0
                } catch {
                    return 1
                }
            }
        }
        let processes = scheduler.runGroup([program(0, 1), program(1, 0)])
        return (scheduler.deadlock, processes.map(\.exitCode))
    }

    func testDeadlockIsDetectedAndNamesTheCycle() {
        var deadlocked = 0
        var clean = 0
        for seed in UInt64(1)...40 {
            let outcome = run(seed: seed)
            if let cycle = outcome.deadlock {
                deadlocked += 1
                let text = cycle.joined(separator: "; ")
                XCTAssertTrue(text.contains("101/taker0 waits for mutex 1 of /dev/shm/pair held by 102/taker1"), text)
                XCTAssertTrue(text.contains("102/taker1 waits for mutex 0 of /dev/shm/pair held by 101/taker0"), text)
                XCTAssertEqual(outcome.codes, [nil, nil], "both deadlocked processes are killed to end the run")
            } else {
                clean += 1
                XCTAssertEqual(outcome.codes, [0, 0])
            }
        }
        XCTAssertGreaterThan(deadlocked, 0, "some interleaving must deadlock")
        XCTAssertGreaterThan(clean, 0, "some interleaving must not")
    }
}
