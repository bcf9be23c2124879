import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// Rootless mode: podman's rootless paths (`GetRuntimeDir`'s fallbacks and checks, the XDG homes, the user's
/// containers.conf), the per-uid lock segment, and podrt run as an unprivileged uid through `setpriv` with
/// `runc --rootless true`.
final class RootlessTests: XCTestCase {
    static let uid: UInt32 = 4242

    /// A machine rooted at a fresh directory, so `/run/user` and `/tmp` are the test's own.
    private func scratchRoot() throws -> (root: String, machine: Machine) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("podrt-rootless-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/run/user", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        return (root, Machine.host(root: root))
    }

    private func directory(_ path: String, uid: UInt32, mode: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        XCTAssertEqual(chown(path, uid, uid), 0)
        XCTAssertEqual(chmod(path, mode_t(mode)), 0)
    }

    private func user(_ environment: [String: String]) -> User { User(uid: Self.uid, gid: Self.uid, environment: environment) }

    func testRuntimeDirectoryFollowsPodmansGetRuntimeDir() throws {
        guard getuid() == 0 else { throw XCTSkip("making directories owned by another uid needs root") }
        let (root, machine) = try scratchRoot()
        let fs = machine.fileSystem
        // 1. XDG_RUNTIME_DIR, owned by the user: used as it is.
        try directory(root + "/xdg", uid: Self.uid, mode: 0o700)
        XCTAssertEqual(try user(["XDG_RUNTIME_DIR": "/xdg"]).runtimeDirectory(fileSystem: fs), "/xdg")
        // ... owned by someone else, or missing: an error naming it (podman refuses it too).
        try directory(root + "/theirs", uid: 0, mode: 0o700)
        XCTAssertThrowsError(try user(["XDG_RUNTIME_DIR": "/theirs"]).runtimeDirectory(fileSystem: fs)) {
            XCTAssertEqual("\($0)", "rootless: XDG_RUNTIME_DIR directory \"/theirs\" is not owned by the current user (uid 4242)")
        }
        XCTAssertThrowsError(try user(["XDG_RUNTIME_DIR": "/none"]).runtimeDirectory(fileSystem: fs)) {
            XCTAssertTrue("\($0)".hasPrefix("rootless: XDG_RUNTIME_DIR directory /none: "), "\($0)")
        }
        // 2. Unset: /run/user/UID when the user owns it and only they may write it.
        try directory(root + "/run/user/4242", uid: Self.uid, mode: 0o700)
        XCTAssertEqual(try user(["HOME": "/home"]).runtimeDirectory(fileSystem: fs), "/run/user/4242")
        // Writable by the group: not used; nor is one that root made (this test runs as root, so the mkdir
        // fallback makes root-owned directories, as a user's would be theirs).
        XCTAssertEqual(chmod(root + "/run/user/4242", 0o770), 0)
        try directory(root + "/tmp/podrt-run-4242", uid: Self.uid, mode: 0o700)
        XCTAssertEqual(try user(["HOME": "/home"]).runtimeDirectory(fileSystem: fs), "/tmp/podrt-run-4242")
        // 3. $TMPDIR's podrt-run-UID: made when missing (here root's, so refused), then 4. $HOME/rundir.
        try directory(root + "/home", uid: Self.uid, mode: 0o755)
        XCTAssertEqual(try user(["HOME": "/home", "TMPDIR": "/var/tmp"]).runtimeDirectory(fileSystem: fs), "/home/rundir")
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/var/tmp/podrt-run-4242"), "made as podman's MkdirAll does")
        XCTAssertThrowsError(try user(["TMPDIR": "/var/tmp"]).runtimeDirectory(fileSystem: fs)) {
            XCTAssertEqual("\($0)", "rootless: neither XDG_RUNTIME_DIR nor HOME was set non-empty")
        }
    }

    func testRootlessDefaultsConfigFileAndLockSegment() throws {
        let (root, machine) = try scratchRoot()
        let fs = machine.fileSystem
        try FileManager.default.createDirectory(atPath: root + "/xdg", withIntermediateDirectories: true)
        let owner = getuid()
        let me = User(uid: owner == 0 ? 1 : owner, gid: 1, environment: [:])
        // As root, a User of another uid: make its runtime dir its own where it can be (root only).
        let runtimeUID = owner == 0 ? UInt32(1) : owner
        if owner == 0 { XCTAssertEqual(chown(root + "/xdg", 1, 1), 0) }
        func load(_ environment: [String: String], overrides: ConfigOverrides = ConfigOverrides()) throws -> RuntimeConfig {
            let user = User(uid: runtimeUID, gid: me.gid, environment: environment)
            var sources = ConfigSources(environment: environment)
            sources.vendorFile = "/none"; sources.adminFile = "/none"; sources.podrtFile = "/none"
            try sources.addUserFile(for: user)
            return try RuntimeConfig.load(fileSystem: fs, sources: sources, overrides: overrides, user: user)
        }
        var config = try load(["HOME": "/h", "XDG_RUNTIME_DIR": "/xdg"])
        XCTAssertEqual(config.staticDir, "/h/.local/share/containers/storage/podrt")
        XCTAssertEqual(config.tmpDir, "/xdg/podrt/tmp")
        XCTAssertEqual(config.lockSegmentPath,
                       "/dev/shm/podrt_rootless_lock_\(runtimeUID)_" + RuntimeConfig.storeHash(config.staticDir))
        config = try load(["HOME": "/h", "XDG_DATA_HOME": "/data", "XDG_RUNTIME_DIR": "/xdg"])
        XCTAssertEqual(config.staticDir, "/data/containers/storage/podrt")
        // Flags win, and need neither HOME nor a runtime directory.
        var overrides = ConfigOverrides()
        overrides.staticDir = "/s"
        overrides.tmpDir = "/t"
        config = try load(["XDG_CONFIG_HOME": "/c"], overrides: overrides)
        XCTAssertEqual([config.staticDir, config.tmpDir], ["/s", "/t"])
        XCTAssertThrowsError(try load(["XDG_RUNTIME_DIR": "/xdg", "XDG_CONFIG_HOME": "/c"])) {
            XCTAssertEqual("\($0)", "rootless: neither XDG_DATA_HOME nor HOME was set non-empty")
        }
        // The user's containers.conf and its drop-ins: $XDG_CONFIG_HOME, else $HOME/.config.
        try FileManager.default.createDirectory(atPath: root + "/h/.config/containers/containers.conf.d", withIntermediateDirectories: true)
        try "[engine]\nnum_locks = 77\nlock_type = \"file\"\n".write(toFile: root + "/h/.config/containers/containers.conf", atomically: true, encoding: .utf8)
        try "[engine]\nnum_locks = 78\n".write(toFile: root + "/h/.config/containers/containers.conf.d/10.conf", atomically: true, encoding: .utf8)
        config = try load(["HOME": "/h", "XDG_RUNTIME_DIR": "/xdg"])
        XCTAssertEqual(config.numLocks, 78)
        XCTAssertEqual(config.lockType, .file)
        config = try load(["HOME": "/h", "XDG_CONFIG_HOME": "/elsewhere", "XDG_RUNTIME_DIR": "/xdg"])
        XCTAssertEqual(config.numLocks, 2048, "XDG_CONFIG_HOME replaces $HOME/.config")
        // Root reads no user file and keeps the system paths.
        var sources = ConfigSources(environment: ["HOME": "/h"])
        try sources.addUserFile(for: .root)
        XCTAssertNil(sources.userFile)
        let rootConfig = RuntimeConfig(user: .root)
        XCTAssertEqual([rootConfig.staticDir, rootConfig.tmpDir], ["/var/lib/podrt", "/run/podrt"])
        XCTAssertTrue(rootConfig.lockSegmentPath.hasPrefix("/dev/shm/podrt_lock_"))
        // Two users of one store path, or one user's two stores: four segments.
        var a = RuntimeConfig(user: User(uid: 5, gid: 5, environment: [:])); a.staticDir = "/one"
        var b = a; b.rootlessUID = 6
        var c = a; c.staticDir = "/two"
        XCTAssertEqual(Set([a, b, c, rootConfig].map(\.lockSegmentPath)).count, 4)
    }

    /// podrt as uid 4242 (`setpriv --reuid --regid --clear-groups`), with no flags: podman's rootless paths,
    /// 0700 directories, a 0600 segment named for the uid and the store, and a real container through
    /// `runc --rootless true` whose root is the user.
    func testUnprivilegedUserRunsContainersRootless() throws {
        let box = try RealContainers()
        let home = box.directory + "/home", xdg = box.directory + "/xdg"
        try directory(home, uid: Self.uid, mode: 0o755)
        try directory(xdg, uid: Self.uid, mode: 0o700)
        XCTAssertEqual(chmod(box.directory, 0o755), 0)
        // The rootfs is the user's: runc makes mount points in it (/run/podrt-init for --init).
        XCTAssertEqual(try box.run("chown -R 4242:4242 $R"), .exited(0))
        let staticDir = home + "/.local/share/containers/storage/podrt"
        let segment = "/dev/shm/podrt_rootless_lock_4242_" + RuntimeConfig.storeHash(staticDir)
        defer { try? FileManager.default.removeItem(atPath: segment) }
        let user = "setpriv --reuid=4242 --regid=4242 --clear-groups env -i HOME=\(home) XDG_RUNTIME_DIR=\(xdg) "
            + "PATH=/usr/bin:/bin \(podrtBinary)"
        func podrt(_ arguments: String) throws -> (status: ExitStatus, out: String, err: String) {
            let status = try box.run("\(user) \(arguments) > $D/out 2> $D/err")
            return (status, box.read("out"), box.read("err"))
        }
        let info = try podrt("system info")
        XCTAssertEqual(info.status, .exited(0), info.err)
        XCTAssertTrue(info.out.contains("staticDir: \(staticDir)\n"), info.out)
        XCTAssertTrue(info.out.contains("tmpDir: \(xdg)/podrt/tmp\n"), info.out)
        XCTAssertTrue(info.out.contains("lockSegment: \(segment)\n"), info.out)

        let ran = try podrt("run --rm --rootfs $R sh -c 'id; echo out; exit 3'")
        XCTAssertEqual(ran.status, .exited(3), ran.err)
        XCTAssertEqual(ran.out, "uid=0 gid=0\nout\n", "the container's root is the user, mapped")
        let started = try podrt("run -d --name web --init --rootfs $R sh -c 'cat /proc/1/comm; sleep 100'")
        XCTAssertEqual(started.status, .exited(0), started.err)
        let inspected = try podrt("inspect web")
        let pid = try XCTUnwrap(try JSON.parse(inspected.out).arrayValue?.first?["State"]?["Pid"]?.intValue)
        XCTAssertTrue(box.isAlive(pid))
        // The container's process belongs to the user on the host, and its pid 1 is the init.
        let owner = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("Uid:") }.map(String.init) ?? ""
        XCTAssertTrue(owner.hasPrefix("Uid:\t4242\t"), owner)
        XCTAssertTrue(box.eventually { (try? podrt("logs web").out) == "podrt-init\n" },
                      (try? podrt("logs web").out) ?? "")
        XCTAssertEqual(try podrt("stop -t 5 web").status, .exited(0))
        XCTAssertFalse(box.isAlive(pid))

        for (path, mode) in [(xdg + "/podrt", 0o700), (xdg + "/podrt/tmp", 0o700), (staticDir, 0o700), (segment, 0o600)] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, mode, path)
            XCTAssertEqual((attributes[.ownerAccountID] as? NSNumber)?.intValue, 4242, path)
        }
        XCTAssertEqual(try podrt("rm web").status, .exited(0))
        let locks = try podrt("system locks")
        XCTAssertEqual(locks.status, .exited(0), locks.err)

        // No XDG_RUNTIME_DIR: /run/user/4242 cannot be made by this user (root's /run/user is 0755), so
        // $TMPDIR's podrt-run-4242, made 0700.
        guard !FileManager.default.fileExists(atPath: "/run/user/4242") else { return }
        let temporary = box.directory + "/tmp"
        try directory(temporary, uid: Self.uid, mode: 0o755)
        let fallback = "setpriv --reuid=4242 --regid=4242 --clear-groups env -i HOME=\(home) TMPDIR=\(temporary) "
            + "PATH=/usr/bin:/bin \(podrtBinary) system info > $D/out 2> $D/err"
        XCTAssertEqual(try box.run(fallback), .exited(0), box.read("err"))
        XCTAssertTrue(box.read("out").contains("tmpDir: \(temporary)/podrt-run-4242/podrt/tmp\n"), box.read("out"))
        let made = try FileManager.default.attributesOfItem(atPath: temporary + "/podrt-run-4242")
        XCTAssertEqual((made[.posixPermissions] as? NSNumber)?.intValue, 0o700)
    }
}
