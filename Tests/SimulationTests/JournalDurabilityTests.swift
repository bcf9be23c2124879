import XCTest
@testable import Simulation

/// A journal left by a process killed right after creating it, reused by the next podrt, must reach the disk
/// (its directory synced) before the database's pages are written: otherwise a power cut can drop the
/// journal and keep half-written pages, and the database is malformed (I6). Found by `bootsim selftest`;
/// the crash points are swept so that the test does not hang on one op count.
final class JournalDurabilityTests: XCTestCase {
    func testAJournalLeftByACrashIsMadeDurable() throws {
        var failures: [String] = []
        for first in stride(from: 41, through: 47, by: 2) {
            for second in stride(from: 48, through: 64, by: 4) {
                let scenario = try Scenario.parse("""
                    config num_locks=64
                    podrt create volume first @crash \(first)
                    podrt create volume second @crash \(second)
                    power-loss
                    podrt ps
                    """, path: "journal.scenario")
                for seed: UInt64 in 1...8 {
                    if let violation = scenario.run(seed: seed).violation {
                        failures.append("@crash \(first)/\(second) seed \(seed): \(violation)")
                    }
                }
            }
        }
        XCTAssertEqual(failures, [])
    }
}
