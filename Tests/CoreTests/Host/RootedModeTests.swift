import Core
import Testing

/// Rooted mode resolves paths itself (openat2 + `*at` calls). For paths that stay inside the root it must
/// give exactly what the plain syscalls give: this compares the two on odd paths (trailing slashes, `.`,
/// `..`, links to directories).
@Suite("Host backend: rooted mode matches plain syscalls")
struct RootedModeTests {
    static let paths = [
        "/f", "/f/", "/f/.", "/d/", "/d/.", "/d/..", "/d/sub/..", "//d//sub", "/ld/", "/ld/.", "/lf/", "/lf",
        "/dangling", "/dangling/", "/new", "/new/", "/d/new", "/ld/new", "/ld", "/d/sub/",
    ]

    static let operations: [(String, @Sendable (any FileSystem, String, String) throws -> String)] = [
        ("stat", { fs, base, path in describe(try fs.stat(path)) }),
        ("lstat", { fs, base, path in describe(try fs.lstat(path)) }),
        ("readlink", { fs, base, path in try fs.readlink(path) }),
        ("mkdir", { fs, base, path in try fs.mkdir(path, permissions: [.ownerReadWriteExecute]); return "" }),
        ("rmdir", { fs, base, path in try fs.rmdir(path); return "" }),
        ("unlink", { fs, base, path in try fs.unlink(path); return "" }),
        ("open", { fs, base, path in try fs.close(try fs.open(path, .read)); return "" }),
        ("create", { fs, base, path in try fs.close(try fs.open(path, [.write, .create])); return "" }),
        ("readdir", { fs, base, path in try fs.names(path).joined(separator: ",") }),
        ("rename", { fs, base, path in try fs.rename(path, to: base + "/renamed"); return "" }),
        ("link", { fs, base, path in try fs.link(path, at: base + "/linked"); return "" }),
        ("symlink", { fs, base, path in try fs.symlink("x", at: path); return "" }),
        ("chmod", { fs, base, path in
            try fs.chmod(path, permissions: FilePermissions(rawValue: 0o700))
            return "\(try fs.stat(path).permissions.rawValue)"
        }),
        ("truncate", { fs, base, path in try fs.truncate(path, to: 1); return "\(try fs.stat(path).size)" }),
        ("realpath", { fs, base, path in
            let inside = try fs.realpath(path).dropFirst(base.count)  // the plain run's base is its root
            return inside.isEmpty ? "/" : String(inside)
        }),
    ]

    static func describe(_ status: FileStatus) -> String { "\(status.kind) \(status.size)" }

    /// Builds the same small tree in `base` (inside `fs`) and returns the outcome of `operation` on
    /// `base + path`, with the tree's listing afterwards.
    static func outcome(
        _ fs: any FileSystem, base: String, path: String, _ operation: (any FileSystem, String, String) throws -> String
    ) throws -> String {
        try fs.put(base + "/f", "file")
        try fs.makeDirectories(base + "/d/sub", permissions: [.ownerReadWriteExecute])
        try fs.symlink("d", at: base + "/ld")
        try fs.symlink("f", at: base + "/lf")
        try fs.symlink("nothing", at: base + "/dangling")
        let result: String
        do {
            result = "ok " + (try operation(fs, base, base + path))
        } catch let error as Errno {
            result = "errno \(error.rawValue)"
        }
        let top = try fs.names(base.isEmpty ? "/" : base).joined(separator: ",")
        let inside = (try? fs.names(base + "/d"))?.joined(separator: ",") ?? "-"
        return result + " | " + top + " | " + inside
    }

    @Test("rooted and plain agree", arguments: operations.map(\.0))
    func agree(_ name: String) throws {
        let operation = Self.operations.first { $0.0 == name }!.1
        for path in Self.paths {
            let plainBase = try Scratch.makeDirectory()
            let rootedBase = try Scratch.makeDirectory()
            defer {
                Scratch.remove(plainBase)
                Scratch.remove(rootedBase)
            }
            let plain = try Self.outcome(HostFileSystem(), base: plainBase, path: path, operation)
            let rooted = try Self.outcome(HostFileSystem(root: rootedBase), base: "", path: path, operation)
            #expect(plain == rooted, "\(name) \(path)")
        }
    }
}
