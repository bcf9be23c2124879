import Foundation
import XCTest
import Core

/// Random crypttab and command-line inputs run through systemd 252's generator (a process) and ours (in this
/// process, planner and writer over the real file system; the binary itself is covered by FixtureTests).
/// Any difference that our planner does not report as a documented divergence fails the test.
/// GENERATOR_DIFF_SEED and GENERATOR_DIFF_COUNT override the seed (printed) and the count (2,000).
final class DifferentialTests: XCTestCase {
    static let systemdGenerator = "/usr/lib/systemd/system-generators/systemd-cryptsetup-generator"

    func testRandomInputsMatchSystemd() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.systemdGenerator) else {
            throw XCTSkip("systemd's generator is not installed at \(Self.systemdGenerator): "
                + "the differential test did NOT run")
        }
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["GENERATOR_DIFF_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
        let count = environment["GENERATOR_DIFF_COUNT"].flatMap { Int($0) } ?? 2000
        print("GeneratorTests differential: seed \(seed), \(count) inputs (GENERATOR_DIFF_SEED=\(seed) to replay)")
        var random = SeededRandom(seed: seed)
        let inputs = (0..<count).map { _ in RandomInput.make(&random) }

        let workers = 2
        let outcomes = OutcomeBox(count: count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("gen-diff-\(getpid())-\(worker)")
            try? FileManager.default.removeItem(at: base)
            try? FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: base) }
            for index in stride(from: worker, to: count, by: workers) {
                outcomes.set(index, Self.compare(inputs[index], base: base))
            }
        }

        var same = 0, divergent: [String: Int] = [:], failures: [String] = []
        for index in 0..<count {
            switch outcomes.get(index) {
            case .same: same += 1
            case .divergent(let tags): divergent[tags, default: 0] += 1
            case .different(let report):
                failures.append("input #\(index) (seed \(seed)):\n\(report)")
            }
        }
        print("GeneratorTests differential: \(same) identical, \(divergent.values.reduce(0, +)) documented "
            + "divergences \(divergent.sorted { $0.key < $1.key }), \(failures.count) undocumented differences")
        for failure in failures.prefix(5) { XCTFail(failure) }
        XCTAssertEqual(failures.count, 0, "undocumented differences from systemd 252 (seed \(seed))")
        XCTAssertGreaterThan(same, count / 2, "too few inputs compared byte for byte")
    }

    enum Outcome {
        case same
        case divergent(String)
        case different(String)
    }

    static func compare(_ input: RandomInput, base: URL) -> Outcome {
        let crypttab = base.appendingPathComponent("crypttab")
        let destination = base.appendingPathComponent("out").path
        let runtime = base.appendingPathComponent("rt").path
        _ = FileManager.default.createFile(atPath: crypttab.path, contents: Data(input.crypttab))
        let environment = [
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "SYSTEMD_CRYPTTAB": crypttab.path,
            "SYSTEMD_PROC_CMDLINE": input.commandLine, "SYSTEMD_EFI_OPTIONS": "",
            "SYSTEMD_IN_INITRD": input.inInitrd ? "1" : "0", "RUNTIME_DIRECTORY": runtime,
            "SYSTEMD_LOG_LEVEL": "info", "SYSTEMD_LOG_COLOR": "0", "SYSTEMD_LOG_TIME": "0",
            "SYSTEMD_LOG_LOCATION": "0", "SYSTEMD_LOG_TARGET": "console",
        ]
        let theirs = run(systemdGenerator, destination: destination, runtime: runtime, environment: environment)
        let mine = runInProcess(destination: destination, runtime: runtime, environment: environment)

        let plan = GeneratorPlanner.plan(GeneratorInput(
            programName: Array("systemd-cryptsetup-generator".utf8), destination: Array(destination.utf8),
            crypttabPath: Array(crypttab.path.utf8), crypttab: .contents(input.crypttab, readError: nil),
            efiOptions: [], commandLine: Array(input.commandLine.utf8), inInitrd: { input.inInitrd },
            runtimeDirectory: Array(runtime.utf8)))
        let tags = plan.divergences
        var mineCompared = mine, theirsCompared = theirs
        if tags == [.commandLineOrder] {
            // systemd's order is random: compare the messages as a set of lines.
            mineCompared.stderr = mine.stderr.split(separator: "\n").sorted().joined(separator: "\n")
            theirsCompared.stderr = theirs.stderr.split(separator: "\n").sorted().joined(separator: "\n")
            if mineCompared.differences(from: theirsCompared).isEmpty { return .same }
        }
        if !tags.isEmpty { return .divergent(tags.map(\.rawValue).sorted().joined(separator: "+")) }
        let differences = mine.differences(from: theirs)
        if differences.isEmpty { return .same }
        let escaped = String(decoding: input.crypttab, as: UTF8.self).unicodeScalars
            .map { $0.value < 0x20 ? "\\x" + String($0.value, radix: 16) : String($0) }.joined()
        return .different("crypttab: \(escaped)\ncmdline: \(input.commandLine)\ninitrd: \(input.inInitrd)\n"
            + differences.joined(separator: "\n"))
    }

    /// Runs one generator on a clean output and runtime directory and reads what it left.
    static func run(_ binary: String, destination: String, runtime: String, environment: [String: String])
        -> Recording {
        let host = HostFileSystem(root: "/")
        host.removeTree(destination)
        host.removeTree(runtime)
        try? host.mkdir(destination, permissions: FilePermissions(rawValue: 0o755))
        let stderrPath = destination + ".stderr"
        let status = spawnAndWait(binary, arguments: [destination, destination, destination],
                                  environment: environment, stderrPath: stderrPath)
        let stderr = String(decoding: (try? host.readFile(stderrPath)) ?? [], as: UTF8.self)
        do {
            return try Recording(status: status, stderr: stderr, fileSystem: host, normal: destination,
                                 runtime: runtime)
        } catch {
            return Recording(status: status, stderr: stderr + "\n(reading the output failed: \(error))",
                             manifest: [], files: [:])
        }
    }

    /// Runs ours in this process over the real file system (planner and writer, as the binary would).
    static func runInProcess(destination: String, runtime: String, environment: [String: String]) -> Recording {
        let host = HostFileSystem(root: "/")
        host.removeTree(destination)
        host.removeTree(runtime)
        try? host.mkdir(destination, permissions: FilePermissions(rawValue: 0o755))
        let stderr = TextBox()
        var process = GeneratorProcess(
            arguments: ["systemd-cryptsetup-generator", destination, destination, destination],
            environment: { environment[$0] }, fileSystem: host,
            standardOutput: { _ in }, standardError: { stderr.text += $0 })
        process.rootIsTemporary = { false }
        let status = GeneratorCommand.run(process)
        do {
            return try Recording(status: status, stderr: stderr.text, fileSystem: host, normal: destination,
                                 runtime: runtime)
        } catch {
            return Recording(status: status, stderr: stderr.text + "\n(reading the output failed: \(error))",
                             manifest: [], files: [:])
        }
    }
}

final class OutcomeBox: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var values: [DifferentialTests.Outcome]
    init(count: Int) { values = Array(repeating: .same, count: count) }
    func set(_ index: Int, _ value: DifferentialTests.Outcome) { lock.withLock { values[index] = value } }
    func get(_ index: Int) -> DifferentialTests.Outcome { lock.withLock { values[index] } }
}
