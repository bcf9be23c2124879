import Foundation
import XCTest
import Core
import SimFS

/// Every recorded case of Fixtures/generator, run two ways: in-process over SimFS, and the built binary
/// through the fixtures' own recorder (a private mount namespace, as systemd's generator was recorded).
final class FixtureTests: XCTestCase {
    func testEveryCaseInProcessOverSimFS() throws {
        let cases = try FixtureCase.all()
        XCTAssertGreaterThanOrEqual(cases.count, 80, "too few fixture cases found")
        var passed = 0
        for fixture in cases {
            let expected = try Recording(folder: fixture.expected)
            let got = try Self.runInProcess(fixture)
            let differences = got.differences(from: expected)
            if differences.isEmpty { passed += 1 }
            XCTAssert(differences.isEmpty, "\(fixture.name): " + differences.joined(separator: "\n"))
        }
        print("GeneratorTests: \(passed) of \(cases.count) fixture cases passed in-process over SimFS")
    }

    func testEveryCaseThroughTheBinary() throws {
        let recorder = FixtureCase.fixturesFolder.appendingPathComponent("record.sh")
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else {
            throw XCTSkip("the fixture recorder needs root and unshare(1); binary fixture runs skipped")
        }
        let binary = try Self.builtBinary()
        let cases = try FixtureCase.all()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gen-fixtures-\(getpid())")
        try? FileManager.default.removeItem(at: scratch)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let results = ResultBox(count: cases.count)
        DispatchQueue.concurrentPerform(iterations: cases.count) { index in
            let fixture = cases[index]
            let destination = scratch.appendingPathComponent(fixture.name)
            let process = Process()
            process.executableURL = recorder
            process.arguments = ["--no-debug", "--to", destination.path, fixture.folder.path]
            process.environment = ["SYSTEMD_GENERATOR": binary.path, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
                process.waitUntilExit()
                let expected = try Recording(folder: fixture.expected)
                let got = try Recording(folder: destination)
                results.set(index, got.differences(from: expected))
            } catch {
                results.set(index, ["recorder failed: \(error)"])
            }
        }
        var passed = 0
        for (index, fixture) in cases.enumerated() {
            let differences = results.get(index)
            if differences.isEmpty { passed += 1 }
            XCTAssert(differences.isEmpty, "\(fixture.name) (binary): " + differences.joined(separator: "\n"))
        }
        print("GeneratorTests: \(passed) of \(cases.count) fixture cases passed through the binary")
    }

    /// Runs the planner and writer in-process on a fresh simulated machine laid out as the recorder's.
    /// `configure` sets up the process further (InjectedBugTests puts a bug back).
    static func runInProcess(_ fixture: FixtureCase,
                             configure: (inout GeneratorProcess) -> Void = { _ in }) throws -> Recording {
        let world = SimWorld(seed: 1)
        let pid = world.spawn(name: "generator")
        let fileSystem = world.machine(for: pid).fileSystem
        try fileSystem.makeDirectories("/run/systemd/generator", permissions: FilePermissions(rawValue: 0o755))
        if fixture.arguments?.count == 3 {
            for name in ["generator.early", "generator.late"] {
                try fileSystem.mkdir("/run/systemd/" + name, permissions: FilePermissions(rawValue: 0o755))
            }
        }
        if let crypttab = fixture.crypttab {
            let fd = try fileSystem.open("/etc/crypttab", [.write, .create, .truncate])
            try fileSystem.writeAll(fd, crypttab)
            try fileSystem.close(fd)
        }
        if let release = fixture.initrdRelease {
            let fd = try fileSystem.open("/etc/initrd-release", [.write, .create, .truncate])
            try fileSystem.writeAll(fd, release)
            try fileSystem.close(fd)
        }
        let environment = fixture.environment
        let stderr = TextBox()
        var process = GeneratorProcess(
            arguments: [fixture.argv0 ?? "systemd-cryptsetup-generator"] + fixture.resolvedArguments,
            environment: { environment[$0] }, fileSystem: fileSystem,
            standardOutput: { _ in }, standardError: { stderr.text += $0 })
        process.rootIsTemporary = { false }
        configure(&process)
        let status = GeneratorCommand.run(process)
        return try Recording(status: status, stderr: stderr.text, fileSystem: fileSystem)
    }

    static func builtBinary() throws -> URL {
        let bundle = Bundle(for: FixtureTests.self).bundleURL
        for directory in [bundle, bundle.deletingLastPathComponent()] {
            let binary = directory.appendingPathComponent("systemd-cryptsetup-generator")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        throw XCTSkip("built generator not found beside \(bundle.path)")
    }
}

/// Collects per-index results from concurrent workers.
final class ResultBox: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var values: [[String]]
    init(count: Int) { values = Array(repeating: [], count: count) }
    func set(_ index: Int, _ value: [String]) { lock.withLock { values[index] = value } }
    func get(_ index: Int) -> [String] { lock.withLock { values[index] } }
}

final class TextBox: @unchecked Sendable {  // used from one thread at a time
    var text = ""
}
