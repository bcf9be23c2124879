import Foundation
import XCTest
@testable import Core
@testable import Podrt

final class ObjectTests: XCTestCase {
    func testCreateListRemoveCycle() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        let volume = try runtime.createVolume(name: "data")
        let pod = try runtime.createPod(name: "web")
        let first = try runtime.createContainer(name: "c1", pod: "web", volumes: [VolumeMount(volume: "data", destination: "/d")],
                                                rootfs: "/rootfs", command: ["sh", "-c", "echo hi"])
        let second = try runtime.createContainer(rootfs: "/rootfs")
        XCTAssertEqual([volume.lockID, pod.lockID, first.lockID, second.lockID], [0, 1, 2, 3])
        XCTAssertEqual(first.podID, pod.id)
        XCTAssertEqual(first.id.count, 64)

        // A second process (a fresh runtime) sees the same state, config included.
        let other = try scratch.open()
        XCTAssertEqual(other.startup, .nothing)
        let listed = try other.containers(all: true)
        XCTAssertEqual(listed.map(\.name), ["c1", second.name])
        XCTAssertEqual(listed[0].command, ["sh", "-c", "echo hi"])
        XCTAssertEqual(listed[0].volumes, [VolumeMount(volume: "data", destination: "/d")])
        XCTAssertEqual(listed[0].state, .configured)
        XCTAssertEqual(try other.containers(all: false), [], "nothing is running")
        XCTAssertEqual(try other.lookupContainer(String(first.id.prefix(10))).name, "c1")

        XCTAssertThrowsMessage(try other.removeVolume("data"), "volume data is in use by containers c1")
        XCTAssertThrowsMessage(try other.removePod("web"), "pod web has containers c1")
        try other.removeContainer("c1")
        try other.removePod("web")
        try other.removeVolume("data")
        try other.removeContainer(second.id)
        XCTAssertEqual(try other.containers(), [])
        XCTAssertEqual(try other.pods(), [])
        XCTAssertEqual(try other.volumes(), [])
        let report = try other.lockReport()
        XCTAssertEqual(report.allocated, [])
        XCTAssertTrue(report.isClean)
        XCTAssertEqual(try runtime.createContainer(rootfs: "/r").lockID, 0, "freed locks are reused first-fit")

        let statuses = try runtime.events.read().map { "\($0.type) \($0.status)" }
        XCTAssertEqual(statuses, ["system refresh", "volume create", "pod create", "container create", "container create",
                                  "container remove", "pod remove", "volume remove", "container remove", "container create"])
        XCTAssertThrowsMessage(try other.removeContainer("c1"), "no such container c1")
    }

    func testNameRules() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        _ = try runtime.createPod(name: "shared")
        XCTAssertThrowsMessage(try runtime.createContainer(name: "shared", rootfs: "/r"), "name shared is in use by a pod")
        _ = try runtime.createContainer(name: "box", rootfs: "/r")
        XCTAssertThrowsMessage(try runtime.createPod(name: "box"), "name box is in use by a container")
        XCTAssertThrowsMessage(try runtime.createContainer(name: "box", rootfs: "/r"), "name box is in use by a container")
        // Volumes have their own namespace.
        XCTAssertEqual(try runtime.createVolume(name: "box").name, "box")
        XCTAssertThrowsMessage(try runtime.createVolume(name: "box"), "name box is in use by a volume")
        for bad in ["-x", ".x", "_x", "a b", "a/b", "", "é"] {
            XCTAssertThrowsMessage(try runtime.createContainer(name: bad, rootfs: "/r"), "names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*")
        }
        for good in ["a", "A1", "x_y.z-w", String(repeating: "n", count: 300)] {
            XCTAssertEqual(try runtime.createContainer(name: good, rootfs: "/r").name, good)
        }
        let generated = try runtime.createContainer(rootfs: "/r").name
        let parts = generated.split(separator: "_")
        XCTAssertEqual(parts.count, 2, generated)
        XCTAssertTrue(Names.adjectives.contains(String(parts[0])))
        XCTAssertTrue(Names.surnames.contains(String(parts[1])))
        XCTAssertEqual(try runtime.lockReport().allocated.count, 8, "failed creates left no locks")
    }

    func testRandomNamesAreBoundedAndDeterministic() throws {
        final class Fixed: RandomSource { func next() -> UInt64 { 0 } }
        XCTAssertEqual(Names.random(Fixed()), "agile_agnesi")
        XCTAssertThrowsMessage(try Names.unique(Fixed()) { $0 != "agile_agnesi" }, "could not generate a unique name in 64 tries")
    }

    func testExhaustionLeavesNoLockAndNoRow() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open(scratch.config(numLocks: 32))
        for index in 0..<30 { _ = try runtime.createContainer(name: "c\(index)", rootfs: "/r") }
        _ = try runtime.createVolume(name: "v")
        _ = try runtime.createPod(name: "p")
        XCTAssertThrowsMessage(try runtime.createContainer(name: "late", rootfs: "/r"),
                               "allocating lock for new container: allocation failed; exceeded num_locks (32)")
        XCTAssertThrowsMessage(try runtime.createVolume(name: "late"), "allocation failed; exceeded num_locks (32)")
        XCTAssertThrowsMessage(try runtime.createPod(name: "late"), "allocation failed; exceeded num_locks (32)")
        XCTAssertEqual(try runtime.containers().count, 30)
        XCTAssertEqual(try runtime.pods().count, 1)
        XCTAssertEqual(try runtime.volumes().count, 1)
        XCTAssertEqual(try runtime.locks.available(), 0)
        XCTAssertTrue(try runtime.lockReport().isClean)
        try runtime.removeContainer("c7")
        XCTAssertEqual(try runtime.createContainer(name: "late", rootfs: "/r").lockID, 7)
    }

    func testFailedInsertFreesItsLock() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()
        struct Boom: Error {}
        XCTAssertThrowsError(try runtime.withNewLock(for: "container", { _ -> Int in throw Boom() }, then: { _ in }))
        XCTAssertEqual(try runtime.locks.allocated(), [])
        XCTAssertNoThrow(try runtime.withNewLock(for: "container", { $0 }, then: { _ in }))
        XCTAssertEqual(try runtime.locks.allocated(), [0])
    }

    func testMissingRuntimeFailsOnlyCommandsThatNeedIt() throws {
        let scratch = try ScratchMachine()
        try FileManager.default.removeItem(atPath: scratch.root + "/usr/bin/runc")
        let runtime = try scratch.open()
        XCTAssertThrowsMessage(try runtime.createContainer(name: "c", rootfs: "/r"), "OCI runtime runc not found")
        XCTAssertEqual(try runtime.containers(), [])
        XCTAssertNotNil(try runtime.info()["host"])
        XCTAssertEqual(try runtime.createVolume(name: "v").name, "v")
        XCTAssertEqual(try runtime.locks.allocated(), [0])
    }

    func testDiscoveryFindsRuntimesAndConmon() throws {
        let scratch = try ScratchMachine()
        try FileManager.default.createDirectory(atPath: scratch.root + "/opt/bin", withIntermediateDirectories: true)
        try "#!/bin/sh\n".write(toFile: scratch.root + "/opt/bin/conmon", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.root + "/opt/bin/conmon")
        var config = scratch.config()
        config.runtimes["crun"] = ["/nowhere/crun", "/usr/bin/runc"]
        let found = OCIRuntimes.discover(config: config, fileSystem: scratch.machine.fileSystem, path: "/nope:/opt/bin")
        XCTAssertEqual(found.found["runc"], "/usr/bin/runc")
        XCTAssertEqual(found.found["crun"], "/usr/bin/runc")
        XCTAssertEqual(found.conmon, "/opt/bin/conmon")
        XCTAssertEqual(try found.require(), "/usr/bin/runc")
    }

    func testFileLocksBackTheRuntimeToo() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open(scratch.config(lockType: .file))
        let volume = try runtime.createVolume(name: "v")
        let container = try runtime.createContainer(name: "c", rootfs: "/r")
        XCTAssertEqual([volume.lockID, container.lockID], [0, 1])
        XCTAssertTrue(scratch.exists("/run/podrt/locks/1"))
        try runtime.removeContainer("c")
        XCTAssertFalse(scratch.exists("/run/podrt/locks/1"))
        XCTAssertNil(try runtime.lockReport().available)
    }
}
