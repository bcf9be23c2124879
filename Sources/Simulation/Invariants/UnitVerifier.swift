import Core
import Synchronization

/// G3: every unit the generator wrote passes `systemd-analyze verify`. The oracle is the real program run on a
/// real copy of the tree, outside the simulated machine (as systemd's own generator is the oracle of the
/// fixtures). Its verdicts are kept by the tree's bytes, so a tree is verified once per process and a
/// seed's result cannot change between runs.
public final class UnitVerifier: Sendable {
    public static let shared = UnitVerifier()
    public static let analyze = "/usr/bin/systemd-analyze"
    /// Warnings systemd's own units get for the same input (Fixtures/generator/README.md): relative
    /// RequiresMountsFor= paths, and the alias lookup `verify` makes for a `:` in a file name.
    public static let tolerated = ["RequiresMountsFor= path is not absolute, ignoring",
                                   "Couldn't process aliases: No such file or directory"]
    static let unitSuffixes = [".service", ".mount", ".swap", ".target", ".socket", ".automount", ".timer", ".path"]

    private let verdicts = Mutex<[[UInt8]: [String]]>([:])
    private let scratchCount = Atomic<Int>(0)
    private let scratch: String

    public init(scratch: String = "/tmp/bootsim-g3-\(HostProcessControl().currentProcess.rawValue)") {
        self.scratch = scratch
    }

    /// How many times the oracle was run (trees verified, not found in the kept verdicts).
    var runs: Int { scratchCount.load(ordering: .relaxed) }

    /// Whether the oracle is installed; without it G3 is not checked (bootsim says so).
    public static let available = (try? HostFileSystem().stat(analyze)) != nil

    /// What `systemd-analyze verify` says of the units at the top of a generator tree (manifest lines
    /// `normal/PATH TYPE MODE [-> TARGET]` and the regular files' bytes), less the tolerated warnings; nil
    /// when it could not be run. Only the `normal/` area is verified.
    public func complaints(manifest: [String], files: [String: [UInt8]]) -> [String]? {
        let tree = manifest.filter { $0.hasPrefix("normal/") }
        var key = Array(tree.joined(separator: "\n").utf8)
        for name in files.keys.sorted() where name.hasPrefix("normal/") {
            key += [0] + Array(name.utf8) + [0] + files[name]!
        }
        if let known = verdicts.withLock({ $0[key] }) { return known }
        guard let verdict = run(tree, files) else { return nil }
        verdicts.withLock { $0[key] = verdict }
        return verdict
    }

    private func run(_ tree: [String], _ files: [String: [UInt8]]) -> [String]? {
        let directory = scratch + "-\(scratchCount.add(1, ordering: .relaxed).newValue)"
        let fs = HostFileSystem()
        var units: [String] = []
        do {
            try fs.makeDirectories(directory, permissions: FilePermissions(rawValue: 0o755))
            for line in tree {
                // `NAME d MODE`, `NAME f MODE` or `NAME l 0777 -> TARGET`; a name or target may hold spaces.
                if let arrow = line.firstRange(of: " l 0777 -> ") {
                    try fs.symlink(String(line[arrow.upperBound...]),
                                   at: directory + "/" + line[..<arrow.lowerBound].dropFirst("normal/".count))
                    continue
                }
                let words = line.split(separator: " ", omittingEmptySubsequences: false)
                guard words.count >= 3 else { continue }
                let name = words.dropLast(2).joined(separator: " ")
                let relative = String(name.dropFirst("normal/".count))
                let path = directory + "/" + relative
                switch words[words.count - 2] {
                case "d": try fs.makeDirectories(path, permissions: FilePermissions(rawValue: 0o755))
                default:
                    guard let bytes = files[name] else { continue }
                    let fd = try fs.open(path, [.write, .create, .truncate], permissions: FilePermissions(rawValue: 0o644))
                    defer { try? fs.close(fd) }
                    try fs.writeAll(fd, bytes)
                    if !relative.contains("/"), Self.unitSuffixes.contains(where: relative.hasSuffix) {
                        units.append("./" + relative)
                    }
                }
            }
        } catch {
            fs.removeTree(directory)
            return nil
        }
        guard !units.isEmpty else { fs.removeTree(directory); return [] }
        let output = directory + ".out"
        let script = #"cd "$1" || exit 127; out=$2; shift 2; "$@" >"$out" 2>&1"#
        let processes = HostProcessControl()
        let status = try? processes.wait(processes.spawn(
            ["/bin/sh", "-c", script, "verify", directory, output, Self.analyze, "verify", "--man=no"] + units,
            environment: ["PATH=/usr/bin:/bin", "SYSTEMD_LOG_COLOR=0"], directory: "/"))
        fs.removeTree(directory)
        defer { try? fs.unlink(output) }
        guard case .exited = status, let bytes = try? fs.readFile(output, limit: 1 << 20) else { return nil }
        // The scratch directory's name (it holds the pid) is written as `.`, so a verdict reads the same in any run.
        return bytes.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self).replacing(directory, with: ".") }
            .filter { line in !line.isEmpty && !Self.tolerated.contains { line.contains($0) } }
    }
}
