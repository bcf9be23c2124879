@testable import Simulation
import XCTest

/// I4 reads refresh events from the raw log; a torn event shares its line with the next append.
final class StateReaderTests: XCTestCase {
    func testRefreshBootsAreFoundInWholeAndTornLines() {
        let log = """
        {"time":"1","type":"system","status":"refresh","bootID":"boot-a"}
        {"time":"2","type":"container","status":"create","name":"c1"}
        {"time":"3","type":"system","status":"ref{"time":"4","type":"system","status":"refresh","bootID":"boot-b"}
        {"time":"5","type":"system","status":"renumber","bootID":"boot-b"}
        {"time":"6","type":"container","status":"refresh","bootID":"boot-x"}
        {"time":"7","type":"system","status":"refresh","bootID":"boot-c
        """
        XCTAssertEqual(StateReader.refreshBoots(in: Array(log.utf8)), ["boot-a", "boot-b", "boot-c"])
        XCTAssertEqual(StateReader.refreshBoots(in: []), [])
        XCTAssertEqual(StateReader.refreshBoots(in: Array("\n\n{\"time\"".utf8)), [])
    }
}
