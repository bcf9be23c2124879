import Foundation
import Testing

/// Issue 23, paths: `bootsim run` from a working directory outside the repository. Fixture cases resolve from
/// the scenario file (the nearest Fixtures/generator above it, or a path from its directory), the default
/// scenarios/ from bootsim's own place, and every "not found" names the path it tried. No mount needed.
@Suite("bootsim: paths from any working directory")
struct PathsCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized.path

    /// `bootsim ARGS` with `directory` as the working directory.
    static func bootsim(in directory: String, _ arguments: [String]) -> RunResult {
        FUSETest.run(["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, FUSETest.bootsim] + arguments, timeout: 300)
    }

    /// A fresh directory outside the repository.
    static func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "bootsim-paths-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("a repository scenario with fixtures runs from a temporary working directory")
    func scenarioWithFixtures() throws {
        let cwd = try Self.scratch()
        let result = Self.bootsim(in: cwd, ["run", Self.root + "/scenarios/boot-keydev-headerdev.scenario", "--seeds", "2"])
        #expect(result.status == 0, "\(result.output) \(result.error)")
        #expect(result.output.hasSuffix("2 passed, 0 failed\n"), "\(result.output)")
    }

    @Test("with no paths, bootsim runs the scenarios/ of the repository it was built in")
    func defaultScenarios() throws {
        let cwd = try Self.scratch()
        let count = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/scenarios").filter { $0.hasSuffix(".scenario") }.count
        let result = Self.bootsim(in: cwd, ["run", "--seeds", "1"])
        #expect(result.status == 0, "\(result.output) \(result.error)")
        #expect(result.output.hasSuffix("\(count) passed, 0 failed\n"), "\(result.output)")
    }

    @Test("every not found names the path it tried")
    func notFound() throws {
        let cwd = try Self.scratch()
        let missing = Self.bootsim(in: cwd, ["run", "missing.scenario"])
        #expect(missing.status != 0)
        #expect(missing.error.contains("Error: no scenario file at \(cwd)/missing.scenario"), "\(missing.error)")
        let directory = Self.bootsim(in: cwd, ["run", "nowhere/"])
        #expect(directory.error.contains("no scenario file at \(cwd)/nowhere"), "\(directory.error)")

        // A scenario outside the repository: its fixture is looked for above it, and not found.
        try "generator fixture=keydev-multiple\n".write(toFile: cwd + "/mine.scenario", atomically: true, encoding: .utf8)
        let lost = Self.bootsim(in: "/", ["run", cwd + "/mine.scenario", "--seeds", "1"])
        #expect(lost.error.contains("\(cwd)/mine.scenario:1:19: found `keydev-multiple`, but there is no Fixtures/generator "
                                    + "in \(cwd) or any directory above it"), "\(lost.error)")

        // With its own Fixtures/generator beside it, the scenario runs from anywhere.
        try FileManager.default.createDirectory(atPath: cwd + "/Fixtures/generator", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: cwd + "/Fixtures/generator/keydev-multiple",
                                                   withDestinationPath: Self.root + "/Fixtures/generator/keydev-multiple")
        let found = Self.bootsim(in: "/", ["run", cwd + "/mine.scenario", "--seeds", "1"])
        #expect(found.status == 0, "\(found.output) \(found.error)")
        try "generator fixture=keydev-multiplex\n".write(toFile: cwd + "/typo.scenario", atomically: true, encoding: .utf8)
        let wrong = Self.bootsim(in: "/", ["run", cwd + "/typo.scenario"])
        #expect(wrong.error.contains("found `keydev-multiplex`, which is no fixture case (no \(cwd)/Fixtures/generator/"
                                     + "keydev-multiplex/expected/manifest), expected a case of \(cwd)/Fixtures/generator; "
                                     + "did you mean `keydev-multiple`?"), "\(wrong.error)")
    }

    @Test("a fixture named by a path resolves from the scenario's directory")
    func fixturePath() throws {
        let cwd = try Self.scratch()
        try FileManager.default.createDirectory(atPath: cwd + "/cases", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: cwd + "/cases/mine",
                                                   withDestinationPath: Self.root + "/Fixtures/generator/keydev-multiple")
        try "generator fixture=cases/mine\nexpect-fixture cases/mine\n".write(toFile: cwd + "/own.scenario", atomically: true,
                                                                           encoding: .utf8)
        let result = Self.bootsim(in: "/tmp", ["run", cwd + "/own.scenario", "--seeds", "1"])
        #expect(result.status == 0, "\(result.output) \(result.error)")
    }
}
