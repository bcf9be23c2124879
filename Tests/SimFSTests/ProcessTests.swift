import XCTest
import Glibc
@testable import SimFS

final class ProcessTests: XCTestCase {
    func testPidsAreDeterministicAndRestartEveryBoot() {
        let world = SimWorld(seed: 1)
        XCTAssertEqual(world.spawn(name: "a"), ProcessID(rawValue: 100))
        XCTAssertEqual(world.spawn(name: "b"), ProcessID(rawValue: 101))
        world.reboot()
        XCTAssertEqual(world.spawn(name: "c"), ProcessID(rawValue: 100))
    }

    func testEnvironmentIsPerProcess() {
        let world = SimWorld(seed: 1)
        let a = world.machine(for: world.spawn(name: "a", environment: ["HOME": "/root"]))
        let b = world.machine(for: world.spawn(name: "b"))
        XCTAssertEqual(a.processes.environment("HOME"), "/root")
        XCTAssertNil(b.processes.environment("HOME"))
    }

    func testSpawnRunsProgramWithArgumentsEnvironmentAndDirectory() throws {
        let world = SimWorld(seed: 1)
        world.register(program: "/usr/bin/echo-to") { machine, arguments in
            try machine.fileSystem.write(arguments[1], machine.processes.environment("GREETING") ?? "none")
            try machine.fileSystem.write("relative", "in cwd")
            return 3
        }
        let parent = world.machine(for: world.spawn(name: "parent"))
        let child = try parent.processes.spawn(["echo-to", "/etc/out"], environment: ["GREETING=hi=there"],
                                               directory: "/var")
        XCTAssertEqual(child, ProcessID(rawValue: 101))
        XCTAssertEqual(try parent.processes.wait(child), .exited(3))
        XCTAssertEqual(try parent.fileSystem.text("/etc/out"), "hi=there")
        XCTAssertEqual(try parent.fileSystem.text("/var/relative"), "in cwd")
        XCTAssertErrno(.noChildProcess, try parent.processes.wait(child))
        XCTAssertErrno(.noSuchFileOrDirectory, try parent.processes.spawn(["nonexistent"], environment: [], directory: nil))
        XCTAssertFalse(parent.processes.isAlive(child))
    }

    /// Without a scheduler a child runs to its end inside `spawn`; its status waits for the parent.
    func testWithoutASchedulerAChildRunsToItsEndBeforeSpawnReturns() throws {
        let world = SimWorld(seed: 1)
        world.register(program: "fails") { machine, _ in
            try machine.fileSystem.write("/run/ran", "yes")
            throw Errno.ioError
        }
        let parent = world.machine(for: world.spawn(name: "parent"))
        let child = try parent.processes.spawn(["fails"], environment: [], directory: nil)
        XCTAssertEqual(try parent.fileSystem.text("/run/ran"), "yes")
        XCTAssertFalse(parent.processes.isAlive(child))
        XCTAssertTrue(world.hasEnded(child))
        XCTAssertEqual(try parent.processes.wait(child), .exited(1), "an error the program does not handle is exit 1")
        XCTAssertErrno(.noSuchProcess, try parent.processes.kill(ProcessID(rawValue: 999), signal: 9))
    }

    func testExitReleasesDescriptorsAndFlocks() throws {
        let world = SimWorld(seed: 1)
        let holderPid = world.spawn(name: "holder")
        let holder = world.machine(for: holderPid).fileSystem
        let other = world.machine(for: world.spawn(name: "other")).fileSystem
        try holder.write("/run/lock", "")
        try holder.flock(try holder.open("/run/lock", .read), .exclusive, wait: false)
        let fd = try other.open("/run/lock", .read)
        XCTAssertErrno(.wouldBlock, try other.flock(fd, .exclusive, wait: false))
        world.exit(holderPid, code: 0)
        try other.flock(fd, .exclusive, wait: false)
    }
}

final class ConcurrentProcessTests: XCTestCase {
    /// Four program threads hammer one world at once (no scheduler): nothing may crash, every call lands in
    /// the log, and the bookkeeping stays sound.
    func testConcurrentProgramsKeepTheWorldConsistent() throws {
        let world = SimWorld(seed: 3)
        world.register(program: "worker") { machine, arguments in
            let fs = machine.fileSystem
            let me = arguments[1]
            let segment = try machine.mutexes.open("/dev/shm/locks")
            for i in 0..<300 {
                let path = "/var/w\(me)-\(i % 7)"
                do {
                    let fd = try fs.open(path + ".tmp", [.write, .create, .truncate])
                    try fs.writeAll(fd, Array("\(me) \(i)".utf8))
                    try fs.fsync(fd)
                    try fs.close(fd)
                    try fs.rename(path + ".tmp", to: path)
                    if i % 5 == 0 { try fs.unlink(path) }
                    _ = try segment.lock(i % 3)
                    var count: [UInt8] = [0]
                    try count.withUnsafeMutableBytes { try segment.readData(at: 0, into: $0) }
                    count[0] &+= 1
                    try count.withUnsafeBytes { try segment.writeData(at: 0, $0) }
                    try segment.unlock(i % 3)
                } catch let error as Errno where error == .noSuchFileOrDirectory {
                }
            }
            return 0
        }
        let parent = world.machine(for: world.spawn(name: "parent"))
        _ = try parent.mutexes.create("/dev/shm/locks", mutexCount: 3, dataSize: 1)
        let children = try (0..<4).map { try parent.processes.spawn(["worker", "\($0)"], environment: [], directory: nil) }
        for child in children { XCTAssertEqual(try parent.processes.wait(child), .exited(0)) }
        XCTAssertEqual(world.consistencyProblems(), [])
        XCTAssertGreaterThan(world.opCount, 4 * 300 * 8)
        world.reboot()
        XCTAssertEqual(world.consistencyProblems(), [])
    }
}
