import XCTest
@testable import SimFS

/// Read, write and search permission for a simulated process that is not root (Permissions.swift), the
/// same refusals PosixParityTests expects of the mount and tmpfs.
final class PermissionTests: XCTestCase {
    func user(_ world: SimWorld, uid: UInt32, groups: [UInt32] = []) -> any FileSystem {
        let pid = world.spawn(name: "user\(uid)")
        world.setCredentials(pid, Credentials(uid: uid, gid: uid, groups: groups))
        return world.machine(for: pid).fileSystem
    }

    func mode(_ bits: UInt32) -> FilePermissions { FilePermissions(rawValue: bits) }

    func testRefusals() throws {
        let (world, machine) = makeWorld()
        let root = machine.fileSystem
        try root.mkdir("/w", permissions: mode(0o777))
        try root.chmod("/w", permissions: mode(0o777))
        for name in ["priv", "ro", "sticky", "noread"] { try root.mkdir("/w/" + name, permissions: mode(0o755)) }
        try root.write("/w/priv/f", "x")
        try root.write("/w/ro/f", "x")
        try root.write("/w/sticky/mine", "x")
        try root.write("/w/secret", "data")
        try root.write("/w/readonly", "data")
        try root.chmod("/w/priv", permissions: mode(0o700))
        try root.chmod("/w/ro", permissions: mode(0o555))
        try root.chmod("/w/sticky", permissions: mode(0o1777))
        try root.chmod("/w/noread", permissions: mode(0o311))
        try root.chmod("/w/secret", permissions: mode(0o600))
        try root.chmod("/w/readonly", permissions: mode(0o644))
        let alice = user(world, uid: 1001)
        XCTAssertErrno(.permissionDenied, try alice.open("/w/secret", .read))
        XCTAssertErrno(.permissionDenied, try alice.open("/w/readonly", .write))
        XCTAssertErrno(.permissionDenied, try alice.open("/w/readonly", [.read, .truncate]))
        XCTAssertErrno(.permissionDenied, try alice.truncate("/w/readonly", to: 0))
        XCTAssertEqual(try alice.readFile("/w/readonly"), Array("data".utf8))
        XCTAssertErrno(.permissionDenied, try alice.open("/w/ro/new", [.write, .create]))
        XCTAssertErrno(.fileExists, try alice.open("/w/ro/f", [.write, .create, .exclusive]))
        XCTAssertErrno(.permissionDenied, try alice.mkdir("/w/ro/d", permissions: mode(0o755)))
        XCTAssertErrno(.permissionDenied, try alice.symlink("x", at: "/w/ro/l"))
        XCTAssertErrno(.permissionDenied, try alice.mknod("/w/ro/p", kind: .fifo, permissions: mode(0o644), device: 0))
        XCTAssertErrno(.permissionDenied, try alice.rename("/w/ro/f", to: "/w/ro/g"))
        XCTAssertErrno(.permissionDenied, try alice.rename("/w/readonly", to: "/w/ro/g"))
        XCTAssertErrno(.permissionDenied, try alice.unlink("/w/ro/f"))
        XCTAssertErrno(.permissionDenied, try alice.lstat("/w/priv/f"))
        XCTAssertErrno(.permissionDenied, try alice.readdir("/w/priv"))
        XCTAssertErrno(.permissionDenied, try alice.readdir("/w/noread"))
        XCTAssertErrno(.noSuchFileOrDirectory, try alice.lstat("/w/noread/none"))
        XCTAssertErrno(.notPermitted, try alice.unlink("/w/sticky/mine"))
        XCTAssertErrno(.notPermitted, try alice.rename("/w/sticky/mine", to: "/w/sticky/x"))
        try alice.write("/w/sticky/own", "x")
        try alice.rename("/w/sticky/own", to: "/w/sticky/own2")
        try alice.unlink("/w/sticky/own2")
        XCTAssertErrno(.notPermitted, try alice.chmod("/w/readonly", permissions: mode(0o777)))
        XCTAssertErrno(.notPermitted, try alice.chown("/w/readonly", uid: 1001, gid: UInt32.max))
        XCTAssertErrno(.notPermitted, try alice.chown("/w/readonly", uid: UInt32.max, gid: 1001))
        XCTAssertErrno(.notPermitted, try alice.setTimes("/w/readonly", access: .to(WallTime(seconds: 5)),
                                                         modification: .to(WallTime(seconds: 5)), follow: true))
        XCTAssertErrno(.permissionDenied, try alice.setTimes("/w/readonly", access: .now, modification: .now, follow: true))
        // UTIME_NOW with UTIME_OMIT is an explicit change: the owner's (do_utimes makes only both-now a touch).
        XCTAssertErrno(.notPermitted, try alice.setTimes("/w/readonly", access: .now, modification: .omit, follow: true))
        XCTAssertErrno(.permissionDenied, try alice.access("/w/secret", .read, follow: true))
        XCTAssertErrno(.permissionDenied, try alice.access("/w/readonly", .write, follow: true))
        XCTAssertErrno(.permissionDenied, try alice.access("/w/readonly", .execute, follow: true))
        try alice.access("/w/readonly", .read, follow: true)
        XCTAssertErrno(.permissionDenied, try alice.access("/w/priv/f", [], follow: true))
        // Root passes every check but execute, which needs one execute bit on a file.
        try root.access("/w/secret", [.read, .write], follow: true)
        XCTAssertErrno(.permissionDenied, try root.access("/w/readonly", .execute, follow: true))
        try root.access("/w/priv", .execute, follow: true)
    }

    func testGroupBitsAndSupplementaryGroups() throws {
        let (world, machine) = makeWorld()
        let root = machine.fileSystem
        try root.write("/g", "x")
        try root.chown("/g", uid: 0, gid: 2000)
        try root.chmod("/g", permissions: mode(0o640))
        XCTAssertErrno(.permissionDenied, try user(world, uid: 1001).open("/g", .read))
        let member = user(world, uid: 1002, groups: [2000])
        try member.close(try member.open("/g", .read))
        // The owner gets the owner's bits only, even when the others may do more.
        try root.chown("/g", uid: 1003, gid: 2000)
        try root.chmod("/g", permissions: mode(0o066))
        XCTAssertErrno(.permissionDenied, try user(world, uid: 1003).open("/g", .read))
        // Groups come from the source only when the group and other bits differ in what is asked.
        let pid = world.spawn(name: "lazy")
        var asked = 0
        world.setCredentials(pid, Credentials(uid: 1004, gid: 1004), groups: { asked += 1; return [2000] })
        let lazy = world.machine(for: pid).fileSystem
        try root.chmod("/g", permissions: mode(0o666))
        try lazy.close(try lazy.open("/g", .read))
        XCTAssertEqual(asked, 0)
        try root.chmod("/g", permissions: mode(0o660))
        try lazy.close(try lazy.open("/g", .read))
        XCTAssertEqual(asked, 1)
    }
}
