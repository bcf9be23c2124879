import XCTest
import SimFS

final class SimFSSmokeTests: XCTestCase {
    func testCoreTypesAreVisibleThroughSimFS() {
        XCTAssertEqual(OpenOptions.readWrite, [.read, .write])
    }
}
