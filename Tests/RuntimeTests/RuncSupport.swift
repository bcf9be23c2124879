import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// A store and a busybox rootfs under a fresh test directory, for tests that run real containers with runc
/// and podrt-monitor on the real machine. They need root, runc and busybox-static; without them they skip and
/// say why.
final class RealContainers {
    let directory: String
    let rootfs: String

    init() throws {
        guard getuid() == 0 else { throw XCTSkip("real containers need root (runc creates namespaces)") }
        let machine = Machine.host()
        guard OCIRuntimes.discover(config: RuntimeConfig(), fileSystem: machine.fileSystem, path: nil).found["runc"] != nil else {
            throw XCTSkip("runc is not installed (scripts/install-deps.sh installs it)")
        }
        guard FileManager.default.isExecutableFile(atPath: "/bin/busybox") else {
            throw XCTSkip("/bin/busybox is missing (the busybox-static package)")
        }
        try requirePodrtBinary()
        guard FileManager.default.isExecutableFile(atPath: Self.monitorBinary) else {
            throw XCTSkip("no podrt-monitor at \(Self.monitorBinary): run `swift build` first")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("podrt-runc-\(UUID().uuidString)").path
        rootfs = directory + "/rootfs"
        // busybox-static is one static binary: the rootfs is it and its applets as symlinks.
        for sub in ["rootfs/bin", "rootfs/proc", "rootfs/sys", "rootfs/dev", "rootfs/tmp", "lib", "run"] {
            try FileManager.default.createDirectory(atPath: "\(directory)/\(sub)", withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: rootfs + "/bin/busybox")
        for applet in ["sh", "true", "false", "echo", "sleep", "cat"] {
            try FileManager.default.createSymbolicLink(atPath: rootfs + "/bin/" + applet, withDestinationPath: "busybox")
        }
        FileManager.default.createFile(atPath: rootfs + "/notexec", contents: Data("data\n".utf8))
    }

    deinit {
        // Containers a failed test left behind: kill them through runc, then remove the directory.
        _ = try? runShell("for c in \(directory)/run/runc/*/; do [ -d \"$c\" ] && runc --root \(directory)/run/runc "
                          + "delete --force $(basename $c); done 2>/dev/null; true", machine: Machine.host())
        try? FileManager.default.removeItem(atPath: directory)
        // The store's lock segment is in the real /dev/shm, named after the store: remove it too.
        var config = RuntimeConfig()
        config.staticDir = directory + "/lib"
        try? FileManager.default.removeItem(atPath: config.lockSegmentPath)
    }

    static var monitorBinary: String { (podrtBinary as NSString).deletingLastPathComponent + "/podrt-monitor" }

    /// The command line, with the store under the test directory (the paths hold no spaces).
    var podrt: String { "\(podrtBinary) --root \(directory)/lib --runroot \(directory)/run" }

    /// Runs a shell script with `$P` the podrt command line and `$D` the test directory.
    @discardableResult
    func run(_ script: String) throws -> ExitStatus {
        try runShell("P=\"\(podrt)\"; D='\(directory)'; R='\(rootfs)'\n" + script, machine: Machine.host())
    }

    /// `podrt ARGUMENTS`: its status, stdout and stderr.
    func podrt(_ arguments: String) throws -> (status: ExitStatus, out: String, err: String) {
        let status = try run("$P \(arguments) > $D/out 2> $D/err")
        return (status, read("out"), read("err"))
    }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
    }

    /// `inspect NAME` as JSON.
    func inspect(_ name: String) throws -> JSON {
        let result = try podrt("inspect \(name)")
        XCTAssertEqual(result.status, .exited(0), result.err)
        return try XCTUnwrap(try JSON.parse(result.out).arrayValue?.first)
    }

    /// The runtime in this process, over the same store.
    func open() throws -> Runtime {
        var config = RuntimeConfig()
        config.staticDir = directory + "/lib"
        config.tmpDir = directory + "/run"
        config.monitorPath = [Self.monitorBinary]
        return try Runtime(machine: Machine.host(), options: RuntimeOptions(config: config))
    }

    func isAlive(_ pid: Int64) -> Bool { pid > 0 && kill(pid_t(pid), 0) == 0 }

    /// Waits up to `seconds` for `condition`.
    func eventually(_ seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(10_000)
        }
        return try condition()
    }
}
