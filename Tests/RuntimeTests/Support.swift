import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// A scratch machine: a temporary directory used as `/` through the rooted host backends, with a boot id
/// file and a stand-in OCI runtime. The lock segment and tmp dir therefore sit under the test directory.
final class ScratchMachine {
    let root: String
    let machine: Machine

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("podrt-test-\(UUID().uuidString)").path
        for directory in ["proc/sys/kernel/random", "usr/bin", "dev/shm"] {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        try "#!/bin/sh\n".write(toFile: root + "/usr/bin/runc", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + "/usr/bin/runc")
        machine = Machine.host(root: root)
        try setBootID(UUID().uuidString.lowercased())
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func setBootID(_ id: String) throws {
        try (id + "\n").write(toFile: root + "/proc/sys/kernel/random/boot_id", atomically: true, encoding: .utf8)
    }

    /// A real reboot as tmpfs sees it: the tmp dir and the lock segment are gone, and the boot id is new.
    func reboot() throws {
        try? FileManager.default.removeItem(atPath: root + "/run/podrt")
        try? FileManager.default.removeItem(atPath: root + RuntimeConfig().lockSegmentPath)
        try setBootID(UUID().uuidString.lowercased())
    }

    func config(numLocks: UInt32 = 2048, lockType: LockType = .shm) -> RuntimeConfig {
        var config = RuntimeConfig()
        config.numLocks = numLocks
        config.lockType = lockType
        return config
    }

    func open(_ config: RuntimeConfig? = nil, forRenumber: Bool = false) throws -> Runtime {
        var options = RuntimeOptions(config: config ?? self.config())
        options.forRenumber = forRenumber
        return try Runtime(machine: machine, options: options)
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: root + path) }
}

/// The built `podrt` binary, in the products directory that holds the test bundle.
var podrtBinary: String {
    let bundle = Bundle(for: ScratchMachine.self).bundleURL
    let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("podrt").path }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
}

/// Skips a test that needs the built podrt binary when it is not there.
func requirePodrtBinary() throws {
    // `swift build` (or `swift test`, which builds every product) puts podrt beside the test bundle.
    guard FileManager.default.isExecutableFile(atPath: podrtBinary) else {
        throw XCTSkip("no podrt binary at \(podrtBinary): run `swift build` first")
    }
}

/// Runs `podrt --machine-root ROOT ARGUMENTS` (the shell splits them) on the scratch machine, its stdout and
/// stderr going to `output`; returns its exit status.
@discardableResult
func runPodrt(_ scratch: ScratchMachine, _ arguments: String, output: String = "/dev/null") throws -> ExitStatus {
    try runShell("'\(podrtBinary)' --machine-root '\(scratch.root)' \(arguments) > '\(output)' 2>&1", machine: scratch.machine)
}

/// Runs a shell script through the Process protocol; returns its exit status.
@discardableResult
func runShell(_ script: String, machine: Machine) throws -> ExitStatus {
    let pid = try machine.processes.spawn(["/bin/sh", "-c", script],
                                          environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], directory: nil)
    return try machine.processes.wait(pid)
}

func XCTAssertThrowsMessage(
    _ expression: @autoclosure () throws -> some Any, _ expected: String, file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertThrowsError(try expression(), file: file, line: line) { error in
        XCTAssertTrue("\(error)".contains(expected), "\"\(error)\" does not contain \"\(expected)\"", file: file, line: line)
    }
}
