import Core
import Podrt

/// One generator fixture case (Fixtures/generator/CASE), read from the real disk once, before any run.
public struct FixtureCase: Sendable {
    public var name: String
    public var crypttab: [UInt8]?
    public var commandLine: String?
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
        fixture.crypttab = try? fs.readFile(base + "/crypttab")
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

    /// The cases of a fixture directory: its entries with an `expected/manifest`.
    static func names(in directory: String) -> [String] {
        let fs = HostFileSystem()
        return ((try? fs.readdir(directory)) ?? []).map(\.name)
            .filter { (try? fs.stat(directory + "/" + $0 + "/expected/manifest")) != nil }.sorted()
    }
}
