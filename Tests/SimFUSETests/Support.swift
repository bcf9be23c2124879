import Foundation
import SimFUSE
import Testing

/// What a finished program left behind.
struct RunResult {
    var status: Int32
    var output: String
    var error: String
    var timedOut: Bool
}

/// Running real programs and mounting machines for the tests. Every mount lives under `root`; a guard
/// detaches leftovers from an earlier run before the first mount, and each test unmounts in a `defer`.
enum FUSETest {
    static let root = "/tmp/simfuse-tests"

    /// Root and /dev/fuse are needed; without them the tests are skipped with this reason.
    static let available: Bool = getuid() == 0 && access("/dev/fuse", R_OK | W_OK) == 0
    static let skipReason: Comment = "needs root and /dev/fuse"

    /// The `bootsim` built beside the test bundle.
    static let bootsim: String = {
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
        for directory in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = directory.appendingPathComponent("bootsim").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("bootsim").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return "bootsim"
    }()

    /// Detaches every mount left under `root` by an earlier, interrupted run (once per process).
    static let leftoversRemoved: Void = {
        for mount in mounts(under: root) { _ = run(["/bin/umount", "-l", mount]) }
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }()

    /// The mount points under `prefix`, from /proc/self/mountinfo.
    static func mounts(under prefix: String) -> [String] {
        let info = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return info.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            let point = String(fields[4])
            return point.hasPrefix(prefix + "/") ? point : nil
        }
    }

    /// Runs a program, killing it after `timeout` seconds. Output is read while it runs.
    @discardableResult
    static func run(_ arguments: [String], timeout: Double = 20) -> RunResult {
        let child: Child
        do { child = try Child(arguments) } catch {
            return RunResult(status: 127, output: "", error: "\(error)", timedOut: false)
        }
        return child.finish(timeout: timeout)
    }

    /// `sh -c script`.
    @discardableResult
    static func sh(_ script: String, timeout: Double = 20) -> RunResult {
        run(["/bin/sh", "-c", script], timeout: timeout)
    }

    /// `bootsim ARGS`.
    @discardableResult
    static func bootsim(_ arguments: [String], timeout: Double = 20) -> RunResult {
        run([bootsim] + arguments, timeout: timeout)
    }

    /// A fresh empty directory under `root`.
    static func makeDirectory(_ name: String) -> String {
        _ = leftoversRemoved
        let path = root + "/" + name + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Mounts a machine on a fresh directory, runs `body` with the mount point, and always unmounts (with
    /// `umount -l` as the last resort) and removes the directory.
    static func withMount(_ name: String, _ options: [String] = [], _ body: (String) throws -> Void) throws {
        let directory = makeDirectory(name)
        defer {
            if isMounted(directory) { bootsim(["unmount", directory]) }
            if isMounted(directory) { run(["/bin/umount", "-l", directory]) }
            try? FileManager.default.removeItem(atPath: directory)
        }
        let mounted = bootsim(["mount", directory, "--background"] + options)
        try #require(mounted.status == 0, "mount failed: \(mounted.error)")
        try body(directory)
    }

    static func isMounted(_ directory: String) -> Bool {
        mounts(under: root).contains(directory)
    }
}

