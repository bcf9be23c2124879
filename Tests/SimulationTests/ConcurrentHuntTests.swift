import Foundation
import XCTest
@testable import Simulation

/// The bugs a hunt puts back are a value of its runs, not a switch of the process: two hunts for different bugs
/// run at the same time on two threads, over one loaded scenario, and each catches its own bug only.
final class ConcurrentHuntTests: XCTestCase {
    final class Catches: @unchecked Sendable {  // each thread writes its own index before leaving the group
        var values: [Hunter.Catch?] = [nil, nil]
    }

    func testTwoHuntsForDifferentBugsAtTheSameTime() throws {
        let entries = try ["volume-locks-not-reserved", "alive-lock-released-early"].map {
            try XCTUnwrap(Catalogue.entry(named: $0))
        }
        let scenario = try loadScenario("refresh-race")  // both hunt here, so they share its prefix cache too
        let catches = Catches()
        let group = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        for (index, entry) in entries.enumerated() {
            group.enter()
            Thread {
                start.wait()
                catches.values[index] = Hunter.hunt(entry, scenarios: [scenario], seeds: 1000, jobs: 1,
                                                    options: RunOptions())
                group.leave()
            }.start()
        }
        start.signal()
        start.signal()
        group.wait()

        for (index, entry) in entries.enumerated() {
            let other = entries[1 - index]
            guard let found = catches.values[index], let violation = found.result.violation else {
                XCTFail("\(entry.name) was not caught while \(other.name) was hunted beside it")
                continue
            }
            XCTAssert(entry.invariants.contains(violation.invariant), "\(entry.name) broke \(violation)")
            XCTAssertFalse(other.invariants.contains(violation.invariant), "\(entry.name) broke \(other.name)'s \(violation)")
            // Run again alone, the seed does exactly what it did beside the other hunt: nothing leaked across.
            var own = RunOptions()
            own.bugs = entry.switches
            let again = scenario.run(seed: found.result.seed, options: own)
            XCTAssertEqual(again.traceHash, found.result.traceHash, entry.name)
            XCTAssertEqual(again.violation, violation, entry.name)
            // The other bug in the same seed does not break what this one broke.
            var swapped = RunOptions()
            swapped.bugs = other.switches
            let crossed = scenario.run(seed: found.result.seed, options: swapped)
            XCTAssertNotEqual(crossed.violation?.invariant, violation.invariant,
                              "seed \(found.result.seed) with \(other.name) instead of \(entry.name)")
        }
    }
}
