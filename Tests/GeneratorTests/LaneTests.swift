import Foundation
import XCTest
@testable import Core
import SimFS

/// Writing a plan in lanes gives exactly the serial result: the same tree, messages and status, whatever
/// order the lanes run in, with entries that share a drop-in, an entry that fails while writing and one the
/// planner refuses.
final class LaneTests: XCTestCase {
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

    func run(lanes: (count: Int, run: PlanWriter.LaneRunner)?) throws -> Recording {
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
        process.lanes = lanes
        let status = GeneratorCommand.run(process)
        return try Recording(status: status, stderr: stderr.text, fileSystem: fileSystem)
    }

    func testLanesInAnyOrderGiveTheSerialResult() throws {
        let serial = try run(lanes: nil)
        XCTAssertEqual(serial.status, 1)
        XCTAssertTrue(serial.stderr.contains("systemd-cryptsetup@vol7.service': File exists"), serial.stderr)
        XCTAssertTrue(serial.stderr.contains("vol40"), serial.stderr)
        XCTAssertEqual(serial.files["normal/systemd-cryptsetup@vol7.service"], Array("mine\n".utf8))
        let dropIn = "normal/dev-disk-by\\x2dlabel-keystore.device.d/90-device-timeout.conf"
        // The key device's drop-in is the last writer's: vol96.
        let dropInText = serial.files[dropIn].map { String(decoding: $0, as: UTF8.self) } ?? ""
        XCTAssertTrue(dropInText.hasSuffix("\n[Unit]\nJobRunningTimeoutSec=96s\n"), dropInText)

        var ran: [Int] = []
        let reversed = try run(lanes: (3, { work in
            ran.append(work.count)
            work.reversed().forEach { $0() }
        }))
        XCTAssertEqual(ran, [3], "the plan was not split into lanes")
        XCTAssertEqual(reversed.differences(from: serial), [])
        XCTAssertEqual(reversed.stderr, serial.stderr)

        let inOrder = try run(lanes: (2, { $0.forEach { $0() } }))
        XCTAssertEqual(inOrder.differences(from: serial), [])
        XCTAssertEqual(inOrder.stderr, serial.stderr)
    }

    func testEntriesSharingAPathShareALane() throws {
        func entry(_ name: String, _ paths: [String]) -> PlanEntry {
            PlanEntry(name: Bytes(utf8: name),
                      operations: paths.map { .symlink(path: Bytes(utf8: $0), target: Bytes(utf8: "t")) })
        }
        var entries = (0..<40).map { entry("e\($0)", ["/g/own\($0)"]) }
        entries[3].operations.append(.replaceDropIn(path: Bytes(utf8: "/g/d/shared.conf"), contents: []))
        entries[30].operations.append(.replaceDropIn(path: Bytes(utf8: "/g/d/shared.conf"), contents: []))
        entries[30].operations.append(.symlink(path: Bytes(utf8: "/g/own17"), target: Bytes(utf8: "t")))
        // A directory with its own mode groups everything written below it.
        entries[5].operations.append(.makeDirectory(path: Bytes(utf8: "/r/key"), mode: 0o700, parentMode: 0o755))
        entries[25].operations.append(.symlink(path: Bytes(utf8: "/r/key/inside"), target: Bytes(utf8: "t")))

        let lanes = PlanLanes.assign(entries, lanes: 2)
        XCTAssertEqual(lanes.count, 2)
        XCTAssertEqual(lanes.flatMap { $0 }.sorted(), Array(0..<40))
        func lane(of index: Int) -> Int { lanes.firstIndex { $0.contains(index) }! }
        XCTAssertEqual(lane(of: 3), lane(of: 30))
        XCTAssertEqual(lane(of: 17), lane(of: 30))
        XCTAssertEqual(lane(of: 5), lane(of: 25))
        for indices in lanes { XCTAssertEqual(indices, indices.sorted(), "a lane is out of plan order") }
        XCTAssertLessThan(abs(lanes[0].count - lanes[1].count), 8, "lanes are unbalanced: \(lanes.map(\.count))")
    }

    func testSmallPlansStayInOneLane() throws {
        let entries = (0..<(PlanWriter.minimumEntriesPerLane * 2 - 1)).map {
            PlanEntry(name: Bytes(utf8: "e\($0)"), operations: [])
        }
        var plan = GeneratorPlan()
        plan.entries = entries
        var calls = 0
        let world = SimWorld(seed: 1)
        _ = PlanWriter.apply(plan, fileSystem: world.machine(for: world.spawn(name: "g")).fileSystem,
                             lanes: 2, run: { work in calls += 1; work.forEach { $0() } })
        XCTAssertEqual(calls, 0)
    }

    /// The built binary starts real threads for a large crypttab; on the same scratch directory its tree and
    /// messages equal a serial run in-process on the host.
    func testBinaryWithThreadsMatchesSerial() throws {
        let binary = try FixtureTests.builtBinary()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lanes-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let normal = scratch + "/run/systemd/generator", runtime = scratch + "/run/systemd/cryptsetup"
        let environment = ["SYSTEMD_CRYPTTAB": scratch + "/crypttab", "SYSTEMD_PROC_CMDLINE": "",
                           "SYSTEMD_EFI_OPTIONS": "", "SYSTEMD_LOG_COLOR": "0", "RUNTIME_DIRECTORY": runtime]
        let host = HostFileSystem()
        func prepare() throws {
            try? FileManager.default.removeItem(atPath: scratch)
            try host.makeDirectories(normal, permissions: FilePermissions(rawValue: 0o755))
            try host.writeFile(scratch + "/crypttab", Array(Self.crypttab.utf8))
            try host.writeFile(normal + "/systemd-cryptsetup@vol7.service", Array("mine\n".utf8))
        }
        func record(_ status: Int32, _ stderr: String) throws -> Recording {
            try Recording(status: status, stderr: stderr, fileSystem: host, normal: normal, runtime: scratch + "/run/systemd")
        }

        try prepare()
        let stderr = TextBox()
        let process = GeneratorProcess(
            arguments: ["systemd-cryptsetup-generator", normal], environment: { environment[$0] },
            fileSystem: host, standardOutput: { _ in }, standardError: { stderr.text += $0 })
        let serial = try record(GeneratorCommand.run(process), stderr.text)
        XCTAssertEqual(serial.status, 1)

        try prepare()
        let stderrPath = scratch + "/stderr"
        let status = spawnAndWait(binary.path, arguments: [normal], environment: environment, stderrPath: stderrPath)
        let threaded = try record(status, try String(contentsOfFile: stderrPath, encoding: .utf8))
        XCTAssertEqual(threaded.differences(from: serial), [])
        XCTAssertEqual(threaded.stderr, serial.stderr)
        XCTAssertGreaterThan(threaded.manifest.count, 500)
    }
}

private extension FileSystem {
    func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let fd = try open(path, [.write, .create, .truncate])
        defer { try? close(fd) }
        try writeAll(fd, bytes)
    }
}
