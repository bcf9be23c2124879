@_spi(BugInjection) import Core
import Podrt
import SimFS

/// The cryptsetup generator as a simulated process, and the G1–G3 checks of its output.
extension Runner {
    static let normalDirectory = "/run/systemd/generator"
    static let generatorDirectories = ["generator", "generator.early", "generator.late"]

    func generatorProgram(fixture name: String?, crashAtOp: Int?) -> ProgramSpec {
        let run = prepareGenerator(fixture: name), bugs = options.bugs.generator
        return ProgramSpec(name: "generator", crashAtOp: crashAtOp) { machine, _ in
            var process = GeneratorProcess(arguments: run.arguments, environment: { run.environment[$0] },
                                           fileSystem: machine.fileSystem, standardOutput: { _ in }, standardError: { _ in })
            process.rootIsTemporary = { false }
            process.injectedBugs = bugs
            return GeneratorCommand.run(process)
        }
    }
}

/// How one generator run is invoked: its argv and environment.
struct GeneratorInvocation {
    var arguments: [String]
    var environment: [String: String]
}

/// The generator's runs and the G1–G3 checks, on every driver.
extension ScenarioDriver {
    /// Writes the fixture's crypttab (or removes it), empties /run/systemd and makes the output
    /// directories; returns the arguments and environment of the run.
    func prepareGenerator(fixture name: String?) -> GeneratorInvocation {
        let fixture = name.flatMap { scenario.fixtures[$0] }
        generatorFixture = fixture
        if let crypttab = fixture?.crypttab { harnessWrite("/etc/crypttab", crypttab, append: false) }
        else if fixture != nil { harnessRemove("/etc/crypttab") }
        if let release = fixture?.initrdRelease { harnessWrite("/etc/initrd-release", release, append: false) }
        else if fixture != nil { harnessRemove("/etc/initrd-release") }
        harnessRemove("/run/systemd")
        for directory in Runner.generatorDirectories { harnessMakeDirectories("/run/systemd/" + directory) }
        var environment: [String: String] = [
            "SYSTEMD_LOG_LEVEL": "info", "SYSTEMD_LOG_COLOR": "0", "SYSTEMD_LOG_TIME": "0",
            "SYSTEMD_LOG_LOCATION": "0", "SYSTEMD_LOG_TARGET": "console", "SYSTEMD_EFI_OPTIONS": "",
            "SYSTEMD_IN_INITRD": "0",
        ]
        if let fixture {
            environment["SYSTEMD_PROC_CMDLINE"] = fixture.commandLine ?? ""
            for (key, value) in fixture.environment { environment[key] = value }
        }
        let arguments = fixture.map { [$0.argv0 ?? "systemd-cryptsetup-generator"] + $0.resolvedArguments }
            ?? ["systemd-cryptsetup-generator"] + Runner.generatorDirectories.map { "/run/systemd/" + $0 }
        return GeneratorInvocation(arguments: arguments, environment: environment)
    }

    /// The generator's tree as manifest lines (`area/relpath type mode [-> target]`) and file contents.
    func generatorTree() -> (manifest: [String], files: [String: [UInt8]]) {
        let fs = harness().fileSystem
        var lines: [String] = []
        var files: [String: [UInt8]] = [:]
        func walk(_ path: String, _ label: String, skip: Set<String>) {
            guard let entries = try? fs.readdir(path) else { return }
            for entry in entries.sorted(by: { $0.name < $1.name }) where !skip.contains(entry.name) {
                let full = path + "/" + entry.name
                let name = label + "/" + entry.name
                guard let status = try? fs.lstat(full) else { continue }
                let mode = String(status.permissions.rawValue & 0o7777, radix: 8)
                let padded = String(repeating: "0", count: max(0, 4 - mode.count)) + mode
                switch status.kind {
                case .directory:
                    lines.append("\(name) d \(padded)")
                    walk(full, name, skip: [])
                case .symbolicLink:
                    lines.append("\(name) l 0777 -> \((try? fs.readlink(full)) ?? "?")")
                default:
                    lines.append("\(name) f \(padded)")
                    // Fault rules apply to the harness too: a read the rules fail is retried, and a file that
                    // stays unreadable is left out of the G2 check rather than taken as empty.
                    for _ in 0..<16 {
                        if let bytes = try? fs.readFile(full) { files[name] = bytes; break }
                    }
                }
            }
        }
        walk(Runner.normalDirectory, "normal", skip: [])
        walk("/run/systemd", "runtime", skip: Set(Runner.generatorDirectories))
        return (lines.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }, files)
    }

    /// After every generator run, one reading of its tree for G2 (a unit file is either absent or complete)
    /// and then G3 (its units pass `systemd-analyze verify`; skipped when that is not installed).
    func checkGenerator(_ processes: [any ProcessOutcome]) -> Violation? {
        let complete = scenario.settings.invariants.contains("G2") || generatorFixture != nil
        let valid = scenario.settings.invariants.contains("G3") && UnitVerifier.available
        guard complete || valid else { return nil }
        let (manifest, files) = generatorTree()
        if complete, let violation = checkComplete(files, processes) { return violation }
        return valid ? verifyUnits(manifest, files) : nil
    }

    private func checkComplete(_ files: [String: [UInt8]], _ processes: [any ProcessOutcome]) -> Violation? {
        for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
            // A hidden file (the `.#…tmp` a killed writer leaves before its rename) is no unit: systemd skips
            // it when loading units and drop-ins (`hidden_or_backup_file()` in src/basic/path-util.c).
            if name.split(separator: "/").last?.hasPrefix(".") == true { continue }
            if let expected = generatorFixture?.files[name] {
                if bytes != expected, !processes.contains(where: { $0.exitCode == 0 }) || bytes.count < expected.count {
                    return Violation(invariant: "G2", message: "\(name) is partial (\(bytes.count) of \(expected.count) bytes)")
                }
            } else if bytes.isEmpty || bytes.last != 0x0A {
                return Violation(invariant: "G2", message: "\(name) is partial (\(bytes.count) bytes, no final newline)")
            }
        }
        return nil
    }

    private func verifyUnits(_ manifest: [String], _ files: [String: [UInt8]]) -> Violation? {
        guard let complaints = UnitVerifier.shared.complaints(manifest: manifest, files: files) else {
            return Violation(invariant: "G3", message: "could not run \(UnitVerifier.analyze) on the generator's tree")
        }
        guard let first = complaints.first else { return nil }
        return Violation(invariant: "G3", message: "systemd-analyze verify: \(first)"
            + (complaints.count > 1 ? " (and \(complaints.count - 1) more lines)" : ""))
    }

    /// "line N is `ours`, the fixture's `theirs`", for the first line that differs.
    static func firstDifference(_ ours: [UInt8], _ theirs: [UInt8]) -> String {
        let a = ours.split(separator: 0x0A, omittingEmptySubsequences: false)
        let b = theirs.split(separator: 0x0A, omittingEmptySubsequences: false)
        let index = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        func line(_ lines: [ArraySlice<UInt8>]) -> String {
            index < lines.count ? "`" + String(decoding: lines[index], as: UTF8.self) + "`" : "the end"
        }
        return "line \(index + 1) is \(line(a)), the fixture's \(line(b))"
    }

    /// G1: the tree equals the fixture's expected tree.
    func compareWithFixture(_ name: String) -> Violation? {
        guard let fixture = scenario.fixtures[name] else {
            return Violation(invariant: "G1", message: "fixture \(name) was not loaded")
        }
        if let process = lastGroup.first?.process, let code = process.exitCode, code != fixture.rc {
            return Violation(invariant: "G1", message: "exit status \(code), fixture \(name) expects \(fixture.rc)")
        }
        let (manifest, files) = generatorTree()
        if manifest != fixture.manifest {
            let extra = manifest.filter { !fixture.manifest.contains($0) }
            let missing = fixture.manifest.filter { !manifest.contains($0) }
            return Violation(invariant: "G1", message: "tree differs from fixture \(name): missing \(missing.prefix(3)), extra \(extra.prefix(3))")
        }
        for (path, bytes) in fixture.files.sorted(by: { $0.key < $1.key }) where files[path] != bytes {
            return Violation(invariant: "G1", message: "\(path) differs from fixture \(name): "
                             + Self.firstDifference(files[path] ?? [], bytes))
        }
        return nil
    }
}
