import Foundation
import XCTest
import Core

/// Every unit ours writes for the fixtures passes `systemd-analyze verify` (where it is installed), apart
/// from the warnings systemd's own units get for the same input (relative RequiresMountsFor= paths and the
/// alias lookup `verify` makes for a `:` in a file name, see Fixtures/generator/README.md).
final class VerifyTests: XCTestCase {
    static let analyze = "/usr/bin/systemd-analyze"
    static let tolerated = ["RequiresMountsFor= path is not absolute, ignoring",
                            "Couldn't process aliases: No such file or directory"]

    func testUnitsOfEveryFixtureVerify() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.analyze) else {
            throw XCTSkip("systemd-analyze is not installed: units were NOT verified")
        }
        let fixtures = try FixtureCase.all()
        let results = ResultBox(count: fixtures.count)
        let recordings = try fixtures.map { try FixtureTests.runInProcess($0) }
        DispatchQueue.concurrentPerform(iterations: fixtures.count) { index in
            do {
                results.set(index, try Self.verify(fixtures[index], recordings[index]))
            } catch {
                results.set(index, ["could not verify: \(error)"])
            }
        }
        var verified = 0
        for (index, fixture) in fixtures.enumerated() {
            let complaints = results.get(index)
            XCTAssert(complaints.isEmpty, "\(fixture.name): systemd-analyze verify says:\n"
                + complaints.joined(separator: "\n"))
            verified += 1
        }
        print("GeneratorTests: units of \(verified) fixture cases checked with systemd-analyze verify")
    }

    /// Writes the normal tree of `recording` to a scratch directory and verifies its units there.
    static func verify(_ fixture: FixtureCase, _ recording: Recording) throws -> [String] {
        do {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("gen-verify-\(getpid())-\(fixture.name)")
            try? FileManager.default.removeItem(at: directory)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            var units: [String] = []
            for line in recording.manifest where line.hasPrefix("normal/") {
                let relative = String(line.dropFirst("normal/".count))
                let url = directory.appendingPathComponent(relative.components(separatedBy: " ").dropLast(2)
                    .joined(separator: " "))
                if let path = Recording.regularFilePath(line) {
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                            withIntermediateDirectories: true)
                    try Data(recording.files[path]!).write(to: url)
                    let name = url.lastPathComponent
                    if !relative.contains("/") && (name.hasSuffix(".service") || name.hasSuffix(".mount")) {
                        units.append("./" + name)
                    }
                } else if line.contains(" l 0777 -> ") {
                    let parts = line.components(separatedBy: " l 0777 -> ")
                    let link = directory.appendingPathComponent(String(parts[0].dropFirst("normal/".count)))
                    try FileManager.default.createDirectory(at: link.deletingLastPathComponent(),
                                                            withIntermediateDirectories: true)
                    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: parts[1])
                }
            }
            guard !units.isEmpty else { return [] }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.analyze)
            process.arguments = ["verify", "--man=no"] + units
            process.currentDirectoryURL = directory
            process.environment = ["SYSTEMD_LOG_COLOR": "0", "PATH": "/usr/bin:/bin"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return output.split(separator: "\n").map(String.init).filter { line in
                !Self.tolerated.contains { line.contains($0) }
            }
        }
    }
}
