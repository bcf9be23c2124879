import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// Tests that run the built `podrt` binary as separate processes, spawned through the Process protocol.
final class ProcessTests: XCTestCase {
    override func setUpWithError() throws { try requirePodrtBinary() }

    func podrt(_ scratch: ScratchMachine, _ arguments: String, output: String = "/dev/null") throws -> ExitStatus {
        try runPodrt(scratch, arguments, output: output)
    }

    /// A child that dies holding an object's lock leaves it usable: the next locker gets it, told the owner died.
    func testOwnerDeathOnExit() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        let volume = try runtime.createVolume(name: "v")
        XCTAssertEqual(try podrt(scratch, "system hold-lock volume v"), .exited(0))
        let lock = try runtime.locks.retrieve(volume.lockID)
        XCTAssertEqual(try lock.lock(), .ownerDied)
        try lock.unlock()
        XCTAssertEqual(try lock.lock(), .acquired)
        try lock.unlock()
    }

    func testOwnerDeathByKill() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        let container = try runtime.createContainer(name: "c", rootfs: "/r")
        let pid = try scratch.machine.processes.spawn(
            [podrtBinary, "--machine-root", scratch.root, "system", "hold-lock", "container", "c", "--seconds", "60"],
            environment: [], directory: nil)
        let deadline = Date().addingTimeInterval(20)
        while try !runtime.locks.locksHeld().contains(container.lockID) {
            XCTAssertLessThan(Date(), deadline, "the child never took the lock")
            Thread.sleep(forTimeInterval: 0.01)
        }
        XCTAssertEqual(try runtime.lockReport().held, [container.lockID])
        try scratch.machine.processes.kill(pid, signal: 9)
        XCTAssertEqual(try scratch.machine.processes.wait(pid), .signaled(9))
        let lock = try runtime.locks.retrieve(container.lockID)
        XCTAssertEqual(try lock.lock(), .ownerDied)
        try lock.unlock()
        try runtime.removeContainer("c")
    }

    func testFileLockOwnerDeath() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open(scratch.config(lockType: .file))
        let pod = try runtime.createPod(name: "p")
        XCTAssertEqual(try podrt(scratch, "--lock-type file system hold-lock pod p"), .exited(0))
        let lock = try runtime.locks.retrieve(pod.lockID)
        XCTAssertEqual(try lock.lock(), .acquired)
        try lock.unlock()
    }

    func testExitCodesAndOutput() throws {
        let scratch = try ScratchMachine()
        let out = scratch.root + "/out"
        XCTAssertEqual(try podrt(scratch, "volume create v1"), .exited(0))
        XCTAssertEqual(try podrt(scratch, "container create --name c1 -v v1:/data --rootfs /r -- sh -c true"), .exited(0))
        XCTAssertEqual(try podrt(scratch, "pod create --name c1", output: out), .exited(125), "podman's code for a name clash")
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "Error: name c1 is in use by a container\n")
        XCTAssertEqual(try podrt(scratch, "container create --rootfs /r --bogus"), .exited(125))
        XCTAssertEqual(try podrt(scratch, "--num-locks 0 ps", output: out), .exited(125))
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).contains("num_locks must be between 1 and 1048576"))
        XCTAssertEqual(try podrt(scratch, "--lock-type sem ps", output: out), .exited(125))
        XCTAssertEqual(try podrt(scratch, "ps -a --format '{{.Nope}}'"), .exited(125))
        XCTAssertEqual(try podrt(scratch, "nonsense"), .exited(125))

        XCTAssertEqual(try podrt(scratch, "ps -a --format json", output: out), .exited(0))
        let listing = try JSON.parse(String(contentsOfFile: out, encoding: .utf8))
        let first = try XCTUnwrap(listing.arrayValue?.first)
        XCTAssertEqual(first["Names"], .array([.string("c1")]))
        XCTAssertEqual(first["State"], .string("configured"))
        XCTAssertEqual(first["LockID"], .number(1))
        XCTAssertEqual(first["Pod"], .string(""))
        XCTAssertNotNil(first["Id"]?.stringValue)
        XCTAssertNotNil(first["Created"]?.intValue)

        XCTAssertEqual(try podrt(scratch, "system locks --format json", output: out), .exited(0))
        let report = try JSON.parse(String(contentsOfFile: out, encoding: .utf8))
        XCTAssertEqual(report["allocated"], .number(2))
        XCTAssertEqual(report["conflicts"], .array([]))

        XCTAssertEqual(try podrt(scratch, "events --format json", output: out), .exited(0))
        let statuses = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
            .map { try JSON.parse(String($0))["status"]?.stringValue ?? "" }
        XCTAssertEqual(statuses, ["refresh", "create", "create"])
        XCTAssertEqual(try podrt(scratch, "events --since 1h", output: out), .exited(0))
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count, 3)
        XCTAssertEqual(try podrt(scratch, "events --since 2999-01-01T00:00:00Z", output: out), .exited(0))
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "")

        XCTAssertEqual(try podrt(scratch, "system info --format json", output: out), .exited(0))
        let info = try JSON.parse(String(contentsOfFile: out, encoding: .utf8))
        XCTAssertEqual(info["store"]?["containers"], .number(1))
        XCTAssertEqual(info["locks"]?["freeLocks"], .number(2046))
        XCTAssertEqual(info["host"]?["ociRuntimes"]?["runc"], .string("/usr/bin/runc"))

        XCTAssertEqual(try podrt(scratch, "system reset"), .exited(125))
        XCTAssertEqual(try podrt(scratch, "system reset --force"), .exited(0))
        XCTAssertEqual(try podrt(scratch, "volume ls --format json", output: out), .exited(0))
        XCTAssertEqual(try JSON.parse(String(contentsOfFile: out, encoding: .utf8)), .array([]))
    }

    func testWrongNumLocksAdvisesRenumberThenRenumberFixesIt() throws {
        let scratch = try ScratchMachine()
        let out = scratch.root + "/out"
        XCTAssertEqual(try podrt(scratch, "volume create v"), .exited(0))
        XCTAssertEqual(try podrt(scratch, "pod create --name p"), .exited(0))
        XCTAssertEqual(try podrt(scratch, "--num-locks 4096 ps -a", output: out), .exited(125))
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).contains("run `podrt system renumber`"))
        XCTAssertEqual(try podrt(scratch, "--num-locks 4096 system renumber"), .exited(0))
        XCTAssertEqual(try podrt(scratch, "--num-locks 4096 system locks"), .exited(0))
        XCTAssertEqual(try podrt(scratch, "--num-locks 4096 system info --format json", output: out), .exited(0))
        XCTAssertEqual(try JSON.parse(String(contentsOfFile: out, encoding: .utf8))["locks"]?["freeLocks"], .number(4094))
    }
}
