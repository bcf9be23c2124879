import Foundation
import Testing

/// `bootsim run --fuse`: the scenario files on a mounted machine, with the built `podrt` and
/// `systemd-cryptsetup-generator` (and systemd's own generator) as real processes.
@Suite("SimFUSE: scenarios in FUSE mode", .enabled(if: FUSETest.available, FUSETest.skipReason), .serialized)
struct ScenarioFUSEModeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized.path
    static let systemdGenerator = "/usr/lib/systemd/system-generators/systemd-cryptsetup-generator"

    /// `bootsim run --fuse ARGS` from the package root (scenarios and fixtures are found there).
    static func run(_ arguments: [String]) -> RunResult {
        FUSETest.run(["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", root, FUSETest.bootsim, "run", "--fuse"] + arguments,
                     timeout: 600)
    }

    @Test("every scenario passes with the built binaries, and no mount is left behind")
    func everyScenario() {
        let result = Self.run(["--seeds", "2", "--jobs", "2"])
        #expect(result.status == 0, "\(result.output.suffix(3000))\(result.error.suffix(2000))")
        // Scenarios that need container processes are skipped by name, with the reason (the in-process
        // simulated OCI runtime runs them); every other scenario runs both seeds.
        let skipped = result.output.split(separator: "\n").filter { $0.hasPrefix("skipped ") }
        #expect(skipped.allSatisfy { $0.contains("FUSE mode runs no container processes") })
        #expect(skipped.contains { $0.hasPrefix("skipped containers-across-reboot:") }, "\(result.output.prefix(3000))")
        let scenarios = ((try? FileManager.default.contentsOfDirectory(atPath: Self.root + "/scenarios"))?
            .filter { $0.hasSuffix(".scenario") }.count ?? 0) - skipped.count
        #expect(scenarios > 0 && result.output.contains("\(2 * scenarios) passed, 0 failed"), "\(result.output.suffix(2000))")
        #expect(!((try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "").contains("/tmp/bootsim-fuse/"))
        // Named on the command line, such a scenario is not skipped: it fails its setup, saying why.
        let named = Self.run(["--seeds", "1", "scenarios/containers-across-reboot.scenario"])
        #expect(named.status == 1 && named.output.contains("setup broken: FUSE mode runs no container processes"),
                "\(named.output.suffix(2000))")
    }

    @Test("systemd's own generator passes the boot scenarios, leaves a partial unit under ENOSPC (G2) and invalid units for a % in a name (G3)")
    func systemdGeneratorScenarios() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.systemdGenerator), "systemd's generator is not installed")
        let boots = Self.run(["--seeds", "1", "--generator", Self.systemdGenerator,
                              "scenarios/boot-keydev-headerdev.scenario", "scenarios/crypttab-cmdline-edits.scenario"])
        #expect(boots.status == 0 && boots.output.contains("2 passed, 0 failed"), "\(boots.output.suffix(2000))")
        // systemd 252 writes a unit in place (fopen "wxe"); a failed write leaves it there, truncated. Ours
        // writes a temporary file and renames it (Fixtures/generator/DIVERGENCES.md), so G2 holds for ours.
        let faults = Self.run(["--seeds", "1", "--generator", Self.systemdGenerator, "scenarios/generator-faults.scenario"])
        #expect(faults.status == 1)
        #expect(faults.output.contains("G2 broken: normal/systemd-cryptsetup@"), "\(faults.output.suffix(2000))")
        #expect(faults.output.contains("is partial"))
        // systemd #5290: a `%` in a key or header device's volume name is not escaped; ours passes the same
        // scenario (everyScenario).
        let names = Self.run(["--seeds", "1", "--generator", Self.systemdGenerator, "scenarios/keydev-special-names.scenario"])
        #expect(names.status == 1)
        #expect(names.output.contains("G3 broken: systemd-analyze verify: Failed to prepare filename"), "\(names.output.suffix(2000))")
    }

    @Test("a generator that writes nothing breaks G1, and a podrt that always fails breaks E1")
    func brokenBinariesAreCaught() {
        let generator = Self.run(["--seeds", "1", "--generator", "/bin/true", "scenarios/boot-keydev-headerdev.scenario"])
        #expect(generator.status == 1)
        #expect(generator.output.contains("G1 broken"), "\(generator.output.suffix(2000))")
        let podrt = Self.run(["--seeds", "1", "--podrt", "/bin/false", "scenarios/refresh-race.scenario"])
        #expect(podrt.status == 1)
        #expect(podrt.output.contains("E1 broken"), "\(podrt.output.suffix(2000))")
    }
}
