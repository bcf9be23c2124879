import Foundation

/// One folder of Fixtures/generator (see its README): the inputs of a run and the recording to compare with.
struct FixtureCase {
    let name: String
    let folder: URL
    /// Nil when /etc/crypttab must not exist.
    let crypttab: [UInt8]?
    let commandLine: String
    /// Variables to set (after the defaults) and to unset.
    let environmentSets: [(String, String)]
    let environmentUnsets: [String]
    /// The generator's arguments with @NORMAL/@EARLY/@LATE not yet replaced; nil = one argument, @NORMAL.
    let arguments: [String]?
    let argv0: String?
    let divergent: Bool
    /// The recording ours must match: `expected/`, or our own recording for divergent cases.
    let expected: URL

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static var fixturesFolder: URL { root.appendingPathComponent("Fixtures/generator") }
    static var divergentFolder: URL {
        root.appendingPathComponent("Tests/GeneratorTests/DivergentExpected")
    }

    /// Every case folder with a recording.
    static func all() throws -> [FixtureCase] {
        let names = try FileManager.default.contentsOfDirectory(atPath: fixturesFolder.path).sorted()
        return try names.compactMap { try FixtureCase(folder: fixturesFolder.appendingPathComponent($0)) }
    }

    init?(folder: URL) throws {
        let manager = FileManager.default
        func file(_ name: String) -> URL { folder.appendingPathComponent(name) }
        func exists(_ name: String) -> Bool { manager.fileExists(atPath: file(name).path) }
        guard exists("expected/rc") else { return nil }
        name = folder.lastPathComponent
        self.folder = folder
        divergent = exists("divergent")
        expected = divergent ? Self.divergentFolder.appendingPathComponent(name) : file("expected")
        if exists("crypttab") {
            crypttab = Array(try Data(contentsOf: file("crypttab")))
        } else if exists("crypttab.gen") {
            crypttab = try Self.runShell("sh ./crypttab.gen", in: folder)
        } else {
            crypttab = nil
        }
        var line = exists("cmdline") ? try String(contentsOf: file("cmdline"), encoding: .utf8) : ""
        while line.hasSuffix("\n") { line.removeLast() }
        commandLine = line
        var sets: [(String, String)] = [], unsets: [String] = []
        if exists("env") {
            for entry in try String(contentsOf: file("env"), encoding: .utf8).split(separator: "\n") {
                if entry.isEmpty || entry.hasPrefix("#") { continue }
                if entry.hasPrefix("-") { unsets.append(String(entry.dropFirst())); continue }
                guard let equals = entry.firstIndex(of: "=") else { continue }
                sets.append((String(entry[..<equals]), String(entry[entry.index(after: equals)...])))
            }
        }
        environmentSets = sets
        environmentUnsets = unsets
        if exists("args") {
            arguments = try String(contentsOf: file("args"), encoding: .utf8).split(separator: "\n",
                omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        } else {
            arguments = nil
        }
        argv0 = exists("argv0")
            ? try String(contentsOf: file("argv0"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            : nil
    }

    /// The environment the recorder gives the generator.
    var environment: [String: String] {
        var values = [
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "SYSTEMD_LOG_LEVEL": "info", "SYSTEMD_LOG_COLOR": "0",
            "SYSTEMD_LOG_TIME": "0", "SYSTEMD_LOG_LOCATION": "0", "SYSTEMD_LOG_TARGET": "console",
            "SYSTEMD_EFI_OPTIONS": "", "SYSTEMD_IN_INITRD": "0", "SYSTEMD_PROC_CMDLINE": commandLine,
        ]
        for (key, value) in environmentSets { values[key] = value }
        for key in environmentUnsets { values[key] = nil }
        return values
    }

    /// The arguments with the output directories the recorder uses.
    var resolvedArguments: [String] {
        (arguments ?? ["@NORMAL"]).map {
            $0.replacingOccurrences(of: "@NORMAL", with: "/run/systemd/generator")
                .replacingOccurrences(of: "@EARLY", with: "/run/systemd/generator.early")
                .replacingOccurrences(of: "@LATE", with: "/run/systemd/generator.late")
        }
    }

    static func runShell(_ command: String, in folder: URL) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }
}
