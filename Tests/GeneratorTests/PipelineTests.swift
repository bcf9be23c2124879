import Foundation
import XCTest
@testable import Core
import SimFS

/// Writing while planning, on several writers, gives exactly the serial result: the same tree, messages and
/// status, with entries that share a drop-in and a key device's 0700 mount directory, an entry that fails
/// while writing and one the planner refuses.
final class PipelineTests: XCTestCase {
    /// 96 entries: every 12th takes its key from one key device with its own keyfile-timeout (so the shared
    /// device drop-in's last writer shows), vol40 is named twice, and vol7's unit is already there.
    static let crypttab: String = {
        var lines: [String] = []
        for i in 1...96 {
            let uuid = String(format: "%08x-0000-4000-8000-%012x", 0x5eed0000 + i, i)
            if i % 12 == 0 {
                lines.append("vol\(i) UUID=\(uuid) /keys/vol\(i).key:LABEL=keystore luks,keyfile-timeout=\(i)s")
            } else if i % 5 == 0 {
                lines.append("vol\(i) UUID=\(uuid) none luks,nofail,x-systemd.device-timeout=\(i)s")
            } else {
                lines.append("vol\(i) UUID=\(uuid) /etc/keys/vol\(i).key luks")
            }
        }
        lines.append("vol40 UUID=5eed9999-0000-4000-8000-000000000040 none luks")
        return lines.joined(separator: "\n") + "\n"
    }()

    /// Runs the generator over SimFS with `sink` (nil: the serial writer).
    func runSimulated(_ sink: ((any FileSystem) -> any PlanSink)?) throws -> Recording {
        let world = SimWorld(seed: 11)
        let fileSystem = world.machine(for: world.spawn(name: "generator")).fileSystem
        try fileSystem.makeDirectories("/run/systemd/generator", permissions: FilePermissions(rawValue: 0o755))
        try fileSystem.writeFile("/etc/crypttab", Array(Self.crypttab.utf8))
        try fileSystem.writeFile("/run/systemd/generator/systemd-cryptsetup@vol7.service", Array("mine\n".utf8))
        let environment = ["SYSTEMD_PROC_CMDLINE": "", "SYSTEMD_EFI_OPTIONS": "", "SYSTEMD_LOG_COLOR": "0"]
        let stderr = TextBox()
        var process = GeneratorProcess(
            arguments: ["systemd-cryptsetup-generator", "/run/systemd/generator"], environment: { environment[$0] },
            fileSystem: fileSystem, standardOutput: { _ in }, standardError: { stderr.text += $0 })
        process.makeSink = sink
        let status = GeneratorCommand.run(process)
        return try Recording(status: status, stderr: stderr.text, fileSystem: fileSystem)
    }

    func testSerialResultIsTheOneExpected() throws {
        let serial = try runSimulated(nil)
        XCTAssertEqual(serial.status, 1)
        XCTAssertTrue(serial.stderr.contains("systemd-cryptsetup@vol7.service': File exists"), serial.stderr)
        XCTAssertTrue(serial.stderr.contains("vol40"), serial.stderr)
        XCTAssertEqual(serial.files["normal/systemd-cryptsetup@vol7.service"], Array("mine\n".utf8))
        let dropIn = "normal/dev-disk-by\\x2dlabel-keystore.device.d/90-device-timeout.conf"
        // The key device's drop-in is the last writer's: vol96.
        let dropInText = serial.files[dropIn].map { String(decoding: $0, as: UTF8.self) } ?? ""
        XCTAssertTrue(dropInText.hasSuffix("\n[Unit]\nJobRunningTimeoutSec=96s\n"), dropInText)
    }

    /// Every order of whole entries that the dependencies allow, over three writers, is the serial result.
    func testEveryOrderTheDependenciesAllowGivesTheSerialResult() throws {
        let serial = try runSimulated(nil)
        var reordered = 0
        for seed in 1...12 {
            var sink: ShuffledSink?
            let shuffled = try runSimulated { fileSystem in
                let made = ShuffledSink(fileSystem: fileSystem, seed: UInt64(seed))
                sink = made
                return made
            }
            XCTAssertEqual(shuffled.differences(from: serial), [], "seed \(seed)")
            XCTAssertEqual(shuffled.stderr, serial.stderr, "seed \(seed)")
            if let order = sink?.order, order != order.sorted() { reordered += 1 }
        }
        XCTAssertEqual(reordered, 12, "the shuffled sink did not reorder the entries")
    }

    /// A run where entries wait for nothing would hide a missing dependency: this one must have some.
    func testTheSharedPathsAreDependencies() {
        func entry(_ name: String, _ operations: [PlanOperation]) -> PlanEntry {
            PlanEntry(name: Bytes(utf8: name), operations: operations)
        }
        func link(_ path: String) -> PlanOperation { .symlink(path: Bytes(utf8: path), target: Bytes(utf8: "t")) }
        func directory(_ path: String) -> PlanOperation {
            .makeDirectory(path: Bytes(utf8: path), mode: 0o700, parentMode: 0o755)
        }
        var dependencies = PlanDependencies()
        XCTAssertEqual(dependencies.add(entry("e0", [link("/g/own0"), link("/r/key/early")])), [])
        XCTAssertEqual(dependencies.add(entry("e1", [link("/g/own1")])), [])
        XCTAssertEqual(dependencies.add(entry("e2", [link("/g/own0")])), [0], "same path")
        // A 0700 directory after an entry wrote below it: that entry first (it made a plain one).
        XCTAssertEqual(dependencies.add(entry("e3", [directory("/r/key"), link("/r/key/mine")])), [0])
        // Below a 0700 directory made earlier: its maker first.
        XCTAssertEqual(dependencies.add(entry("e4", [link("/r/key/inside")])), [3])
        XCTAssertEqual(dependencies.add(entry("e5", [link("/r/keyring")])), [], "a prefix is not a parent")
        XCTAssertEqual(dependencies.add(entry("e6", [link("/g/own1"), link("/g/own0"), link("/r/key/x")])), [1, 2, 4])
    }

    /// Real threads through the host pipeline, in-process, against a serial run on the same directory.
    func testHostPipelineWithThreadsMatchesSerial() throws {
        let host = HostFileSystem()
        let serial = try runOnHost(host) { SerialPlanSink(fileSystem: $0) }
        XCTAssertEqual(serial.status, 1)
        XCTAssertGreaterThan(serial.manifest.count, 500)
        let starts = Counter()
        for _ in 1...5 {
            let threaded = try runOnHost(host) { fileSystem in
                HostPlanPipeline(fileSystem: fileSystem, helpers: 2) { body in
                    starts.add()
                    Thread { body() }.start()
                    return true
                }
            }
            XCTAssertEqual(threaded.differences(from: serial), [])
            XCTAssertEqual(threaded.stderr, serial.stderr)
        }
        XCTAssertEqual(starts.value, 10)
        // No thread at all: the planner's thread writes everything when planning ends.
        let alone = try runOnHost(host) { HostPlanPipeline(fileSystem: $0, helpers: 1) { _ in false } }
        XCTAssertEqual(alone.differences(from: serial), [])
        XCTAssertEqual(alone.stderr, serial.stderr)
    }

    func testSmallPlansStartNoThread() throws {
        let world = SimWorld(seed: 1)
        let fileSystem = world.machine(for: world.spawn(name: "g")).fileSystem
        for (count, expected) in [(HostPlanPipeline.entriesBeforeHelpers - 1, 0), (HostPlanPipeline.entriesBeforeHelpers, 1)] {
            let starts = Counter()
            let pipeline = HostPlanPipeline(fileSystem: fileSystem, helpers: 1) { _ in starts.add(); return false }
            for index in 0..<count { pipeline.planned(PlanEntry(name: Bytes(utf8: "e\(index)"), operations: [])) }
            let result = pipeline.finish()
            XCTAssertFalse(result.failed)
            XCTAssertEqual(starts.value, expected, "\(count) entries")
        }
    }

    /// The built binary starts a real thread for a large crypttab; on the same scratch directory its tree and
    /// messages equal a serial run in-process on the host.
    func testBinaryWithThreadsMatchesSerial() throws {
        let binary = try FixtureTests.builtBinary()
        let host = HostFileSystem()
        let serial = try runOnHost(host) { SerialPlanSink(fileSystem: $0) }
        XCTAssertEqual(serial.status, 1)
        let threaded = try runOnHost(host, binary: binary.path)
        XCTAssertEqual(threaded.differences(from: serial), [])
        XCTAssertEqual(threaded.stderr, serial.stderr)
        XCTAssertGreaterThan(threaded.manifest.count, 500)
    }

    /// One run in a fresh scratch directory on the host: in-process with `sink`, or the binary at `binary`.
    func runOnHost(_ host: HostFileSystem, binary: String? = nil,
                   sink: ((any FileSystem) -> any PlanSink)? = nil) throws -> Recording {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let normal = scratch + "/run/systemd/generator", runtime = scratch + "/run/systemd/cryptsetup"
        let environment = ["SYSTEMD_CRYPTTAB": scratch + "/crypttab", "SYSTEMD_PROC_CMDLINE": "",
                           "SYSTEMD_EFI_OPTIONS": "", "SYSTEMD_LOG_COLOR": "0", "RUNTIME_DIRECTORY": runtime]
        try? FileManager.default.removeItem(atPath: scratch)
        try host.makeDirectories(normal, permissions: FilePermissions(rawValue: 0o755))
        try host.writeFile(scratch + "/crypttab", Array(Self.crypttab.utf8))
        try host.writeFile(normal + "/systemd-cryptsetup@vol7.service", Array("mine\n".utf8))
        let status: Int32, stderr: String
        if let binary {
            let stderrPath = scratch + "/stderr"
            status = spawnAndWait(binary, arguments: [normal], environment: environment, stderrPath: stderrPath)
            stderr = try String(contentsOfFile: stderrPath, encoding: .utf8)
        } else {
            let box = TextBox()
            var process = GeneratorProcess(
                arguments: ["systemd-cryptsetup-generator", normal], environment: { environment[$0] },
                fileSystem: host, standardOutput: { _ in }, standardError: { box.text += $0 })
            process.makeSink = sink
            status = GeneratorCommand.run(process)
            stderr = box.text
        }
        return try Recording(status: status, stderr: stderr, fileSystem: host, normal: normal,
                             runtime: scratch + "/run/systemd")
    }
}

/// Writes whole entries in a seeded random order that respects `PlanDependencies`, each by one of three
/// writers picked at random; the messages come back in plan order.
private final class ShuffledSink: PlanSink {
    let fileSystem: any FileSystem
    var random: UInt64
    var entries: [PlanEntry] = []
    var waits: [[Int]] = []
    var dependencies = PlanDependencies()
    var order: [Int] = []

    init(fileSystem: any FileSystem, seed: UInt64) {
        self.fileSystem = fileSystem
        random = seed &* 0x9E37_79B9_7F4A_7C15
    }

    func planned(_ entry: PlanEntry) {
        waits.append(dependencies.add(entry))
        entries.append(entry)
    }

    func next(_ bound: Int) -> Int {
        random = random &* 6364136223846793005 &+ 1442695040888963407
        return Int((random >> 33) % UInt64(bound))
    }

    func finish() -> (messages: [LogMessage], failed: Bool) {
        var writers = (1...3).map { PlanWriter(fileSystem: fileSystem, lane: $0) }
        var outcomes = [(messages: [LogMessage], succeeded: Bool)?](repeating: nil, count: entries.count)
        var pending = Array(entries.indices)
        while !pending.isEmpty {
            let ready = pending.filter { index in waits[index].allSatisfy { outcomes[$0] != nil } }
            let index = ready[next(ready.count)]
            pending.removeAll { $0 == index }
            var messages: [LogMessage] = []
            let succeeded = writers[next(writers.count)].apply(entries[index], messages: &messages)
            outcomes[index] = (messages, succeeded)
            order.append(index)
        }
        let done = outcomes.map { $0! }
        return (done.flatMap(\.messages), done.contains { !$0.succeeded })
    }
}

private final class Counter: @unchecked Sendable {  // guarded by `lock`
    let lock = NSLock()
    var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

private extension FileSystem {
    func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let fd = try open(path, [.write, .create, .truncate])
        defer { try? close(fd) }
        try writeAll(fd, bytes)
    }
}
