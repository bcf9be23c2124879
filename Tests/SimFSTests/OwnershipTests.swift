import XCTest
@testable import SimFS

/// A simulated process with credentials other than root: what it makes is its own, and chown, chmod and
/// utimensat follow the kernel's rules for it (the contract suite covers root; PosixParityTests the mount).
final class OwnershipTests: XCTestCase {
    func user(_ world: SimWorld, uid: UInt32, groups: [UInt32] = []) -> any FileSystem {
        let pid = world.spawn(name: "user\(uid)")
        world.setCredentials(pid, Credentials(uid: uid, gid: uid, groups: groups))
        return world.machine(for: pid).fileSystem
    }

    func testWhatAUserMakesIsItsOwn() throws {
        let (world, machine) = makeWorld()
        let root = machine.fileSystem
        try root.mkdir("/w", permissions: FilePermissions(rawValue: 0o777))
        try root.chmod("/w", permissions: FilePermissions(rawValue: 0o777))
        let alice = user(world, uid: 1001)
        try alice.write("/w/f", "x")
        try alice.mkdir("/w/d", permissions: FilePermissions(rawValue: 0o755))
        try alice.symlink("f", at: "/w/l")
        try alice.mknod("/w/p", kind: .fifo, permissions: FilePermissions(rawValue: 0o644), device: 0)
        for name in ["f", "d", "l", "p"] {
            let status = try alice.lstat("/w/" + name)
            XCTAssertEqual(status.uid, 1001, name)
            XCTAssertEqual(status.gid, 1001, name)
        }
        XCTAssertErrno(.notPermitted, try alice.mknod("/w/c", kind: .characterDevice, permissions: FilePermissions(rawValue: 0o644), device: 0x0103))
        XCTAssertErrno(.noSuchAddressOrDevice, try alice.open("/w/p", .read))
    }

    func testChownAndChmodRules() throws {
        let (world, machine) = makeWorld()
        let root = machine.fileSystem
        try root.mkdir("/w", permissions: FilePermissions(rawValue: 0o777))
        try root.chmod("/w", permissions: FilePermissions(rawValue: 0o777))
        let alice = user(world, uid: 1001, groups: [2000])
        let bob = user(world, uid: 1002)
        try alice.write("/w/f", "x")
        try alice.chmod("/w/f", permissions: FilePermissions(rawValue: 0o4755))
        XCTAssertErrno(.notPermitted, try alice.chown("/w/f", uid: 1002, gid: UInt32.max))  // only root gives away
        XCTAssertErrno(.notPermitted, try alice.chown("/w/f", uid: UInt32.max, gid: 0))  // not her group
        try alice.chown("/w/f", uid: 1001, gid: 2000)  // her own uid, a group of hers
        XCTAssertEqual(try alice.stat("/w/f").gid, 2000)
        XCTAssertEqual(try alice.stat("/w/f").permissions.rawValue, 0o755, "chown dropped setuid")
        XCTAssertErrno(.notPermitted, try bob.chmod("/w/f", permissions: FilePermissions(rawValue: 0o777)))
        XCTAssertErrno(.notPermitted, try bob.chown("/w/f", uid: UInt32.max, gid: 1002))
        // Setting setgid on a file of a group one is not in keeps the rest of the mode.
        try root.chown("/w/f", uid: 1001, gid: 3000)
        try alice.chmod("/w/f", permissions: FilePermissions(rawValue: 0o2755))
        XCTAssertEqual(try alice.stat("/w/f").permissions.rawValue, 0o755)
        // A write by someone other than root drops setuid.
        try root.chmod("/w/f", permissions: FilePermissions(rawValue: 0o4777))
        let fd = try bob.open("/w/f", .write)
        try bob.writeAll(fd, [1])
        try bob.close(fd)
        XCTAssertEqual(try root.stat("/w/f").permissions.rawValue, 0o777)
    }

    func testTimesRules() throws {
        let (world, machine) = makeWorld()
        let root = machine.fileSystem
        try root.mkdir("/w", permissions: FilePermissions(rawValue: 0o777))
        try root.chmod("/w", permissions: FilePermissions(rawValue: 0o777))
        let alice = user(world, uid: 1001)
        let bob = user(world, uid: 1002)
        try alice.write("/w/f", "x")
        let past = WallTime(seconds: 5, nanoseconds: 6)
        XCTAssertErrno(.notPermitted, try bob.setTimes("/w/f", access: .to(past), modification: .omit, follow: true))
        XCTAssertErrno(.permissionDenied, try bob.setTimes("/w/f", access: .now, modification: .now, follow: true))
        try alice.chmod("/w/f", permissions: FilePermissions(rawValue: 0o666))
        try bob.setTimes("/w/f", access: .now, modification: .now, follow: true)  // write permission suffices
        XCTAssertErrno(.notPermitted, try bob.setTimes("/w/f", access: .to(past), modification: .to(past), follow: true))
        try alice.setTimes("/w/f", access: .to(past), modification: .to(past), follow: true)
        XCTAssertEqual(try alice.stat("/w/f").modificationTime, past)
        XCTAssertErrno(.invalidArgument,
                       try alice.setTimes("/w/f", access: .to(WallTime(seconds: 1, nanoseconds: 1_000_000_000)), modification: .omit, follow: true))
    }

    func testChildInheritsCredentials() throws {
        let world = SimWorld(seed: 1)
        let pid = world.spawn(name: "parent")
        world.setCredentials(pid, Credentials(uid: 1001, gid: 1001))
        world.register(program: "child") { machine, _ in
            try machine.fileSystem.write("/tmp/by-child", "x")
            return 0
        }
        let parent = world.machine(for: pid)
        let child = try parent.processes.spawn(["child"], environment: [], directory: nil)
        _ = try parent.processes.wait(child)
        XCTAssertEqual(try parent.fileSystem.stat("/tmp/by-child").uid, 1001)
    }
}
