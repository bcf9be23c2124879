import Foundation
import XCTest
@testable import Core
@testable import Podrt

final class ShutdownTests: XCTestCase {
    func testShutdownStopsRunningContainersOnlyWithForce() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        let processes = scratch.machine.processes
        let child = try processes.spawn(["/bin/sleep", "60"], environment: [], directory: nil)
        try runtime.setState(try runtime.createContainer(name: "busy", rootfs: "/r"), .running, pid: child.rawValue)
        _ = try runtime.createContainer(name: "idle", rootfs: "/r")

        XCTAssertThrowsMessage(try runtime.shutdown(force: false), "containers are still running (busy)")
        XCTAssertTrue(processes.isAlive(child))
        XCTAssertThrowsMessage(try runtime.removeContainer("busy"), "containers are still running (busy)")

        try runtime.shutdown(force: true, graceNanoseconds: 5_000_000_000)
        XCTAssertEqual(try processes.wait(child), .signaled(15), "SIGTERM was enough")
        XCTAssertEqual(try runtime.lookupContainer("busy").state, .exited)
        XCTAssertEqual(try runtime.lookupContainer("idle").state, .configured)
        XCTAssertNoThrow(try runtime.shutdown(force: false), "nothing runs any more")
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
