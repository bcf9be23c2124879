import Foundation
import XCTest
@testable import Core
@testable import Podrt

final class ShutdownTests: XCTestCase {
    /// A state recorded without a runtime (no container behind it) is not running: shutdown has nothing to stop
    /// and signals nobody, whatever pid the row holds. Real containers: RuncTests.
    func testARecordedStateWithoutARuntimeIsNotStopped() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        let processes = scratch.machine.processes
        let child = try processes.spawn(["/bin/sleep", "60"], environment: [], directory: nil)
        defer { try? processes.kill(child, signal: 9); _ = try? processes.wait(child) }
        try runtime.setState(try runtime.createContainer(name: "busy", rootfs: "/r"), .running, pid: child.rawValue)
        XCTAssertNoThrow(try runtime.shutdown(force: false))
        try runtime.shutdown(force: true)
        XCTAssertTrue(processes.isAlive(child))
        XCTAssertEqual(try runtime.lookupContainer("busy").state, .running, "left as recorded")
    }

    func testRemovingTheSameContainerTwiceFreesItsLockOnce() throws {
        let scratch = try ScratchMachine()
        let first = try scratch.open()
        let second = try scratch.open()
        let container = try first.createContainer(name: "c", rootfs: "/r")
        try first.remove(container, force: false)
        let newcomer = try first.createVolume(name: "v")
        XCTAssertEqual(newcomer.lockID, container.lockID)
        // A process that looked the container up before it went must not free the newcomer's lock.
        XCTAssertThrowsMessage(try second.remove(container, force: false), "no such container c")
        XCTAssertEqual(try second.locks.allocated(), [newcomer.lockID])
    }
}
