import Core
import Podrt

/// One generator fixture case (Fixtures/generator/CASE), read from the real disk once, before any run. Its
/// inputs are those of Fixtures/generator/README.md, read as GeneratorTests' own `FixtureCase` reads them
/// (Tests/GeneratorTests/Support/FixtureCase.swift), so a scenario runs the generator as it was recorded.
public struct FixtureCase: Sendable {
    public var name: String
    public var crypttab: [UInt8]?
    public var commandLine: String?
    /// `args`: the generator's arguments, @NORMAL, @EARLY and @LATE for the output directories; nil: @NORMAL.
    public var arguments: [String]?
    /// `argv0`: the name the generator runs under.
    public var argv0: String?
    /// `initrd-release`: the contents of /etc/initrd-release; nil: it does not exist.
    public var initrdRelease: [UInt8]?
    /// Extra environment: KEY=VALUE sets, -KEY unsets.
    public var environment: [(String, String?)] = []
    public var rc: Int32 = 0
    /// The expected manifest lines, sorted.
    public var manifest: [String] = []
    /// area/relpath → contents, for every regular file of the manifest.
    public var files: [String: [UInt8]] = [:]

    /// Reads the case through the real file system (the harness's side, never the simulated world's).
    public static func load(directory: String, name: String) throws -> FixtureCase {
        let fs = HostFileSystem()
        let base = directory + "/" + name
        func text(_ path: String) -> String? {
            (try? fs.readFile(base + "/" + path)).map { String(decoding: $0, as: UTF8.self) }
        }
        var fixture = FixtureCase(name: name)
        guard let manifest = text("expected/manifest") else { throw NotFound(tried: base + "/expected/manifest") }
        if (try? fs.stat(base + "/crypttab.gen")) != nil {
            // A shell snippet makes its crypttab (inputs too large to commit); the harness runs no programs.
            throw Unsupported(path: base + "/crypttab.gen", why: "a generated crypttab, which only GeneratorTests runs")
        }
        fixture.crypttab = try? fs.readFile(base + "/crypttab")
        fixture.arguments = text("args").map { $0.split(separator: "\n").map(String.init) }
        fixture.argv0 = text("argv0").map { $0.split(separator: "\n").first.map { $0.trimmed() } ?? "" }
        fixture.initrdRelease = try? fs.readFile(base + "/initrd-release")
        fixture.commandLine = text("cmdline").map { var s = $0; while s.hasSuffix("\n") { s.removeLast() }; return s }
        for line in (text("env") ?? "").split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            if line.hasPrefix("-") { fixture.environment.append((String(line.dropFirst()), nil)); continue }
            guard let eq = line.firstIndex(of: "=") else { continue }
            fixture.environment.append((String(line[..<eq]), String(line[line.index(after: eq)...])))
        }
        fixture.rc = Int32((text("expected/rc") ?? "0").trimmed().split(separator: "\n").first ?? "0") ?? 0
        fixture.manifest = manifest.split(separator: "\n").map(String.init)
        for line in fixture.manifest {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, parts[1] == "f" else { continue }
            fixture.files[String(parts[0])] = try fs.readFile(base + "/expected/" + parts[0])
        }
        return fixture
    }
}

extension FixtureCase {
    init(name: String) { self.name = name }

    /// A case whose `expected/manifest` is not at `tried`.
    struct NotFound: Error { var tried: String }

    /// A case with an input scenarios cannot give the generator.
    struct Unsupported: Error { var path: String; var why: String }

    /// The generator's arguments after argv[0], with the output directories in place.
    var resolvedArguments: [String] {
        (arguments ?? ["@NORMAL"]).map {
            switch $0 {
            case "@NORMAL": return "/run/systemd/generator"
            case "@EARLY": return "/run/systemd/generator.early"
            case "@LATE": return "/run/systemd/generator.late"
            default: return $0
            }
        }
    }

    /// The cases of a fixture directory a scenario can run: its entries with an `expected/manifest` and no
    /// `crypttab.gen`.
    static func names(in directory: String) -> [String] {
        let fs = HostFileSystem()
        return ((try? fs.readdir(directory)) ?? []).map(\.name).filter {
            (try? fs.stat(directory + "/" + $0 + "/expected/manifest")) != nil
                && (try? fs.stat(directory + "/" + $0 + "/crypttab.gen")) == nil
        }.sorted()
    }
}
