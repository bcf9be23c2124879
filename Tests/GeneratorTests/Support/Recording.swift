import Foundation
import Core

/// A generator run as the fixtures record it: exit status, stderr, manifest and file contents.
struct Recording: Equatable {
    var status: Int32
    var stderr: String
    var manifest: [String]
    /// Contents of regular files by manifest path (`normal/…`, `runtime/…`).
    var files: [String: [UInt8]]

    /// Loads `rc`, `stderr`, `manifest` and the files the manifest lists from a recording folder.
    init(folder: URL) throws {
        let rc = try String(contentsOf: folder.appendingPathComponent("rc"), encoding: .utf8)
        status = Int32(rc.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        stderr = (try? String(contentsOf: folder.appendingPathComponent("stderr"), encoding: .utf8)) ?? ""
        let manifestData = (try? Data(contentsOf: folder.appendingPathComponent("manifest"))) ?? Data()
        manifest = Recording.lines(Array(manifestData))
        files = [:]
        for line in manifest {
            guard let path = Recording.regularFilePath(line) else { continue }
            files[path] = Array(try Data(contentsOf: folder.appendingPathComponent(path)))
        }
    }

    init(status: Int32, stderr: String, manifest: [String], files: [String: [UInt8]]) {
        self.status = status
        self.stderr = stderr
        self.manifest = manifest
        self.files = files
    }

    static func lines(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: 0x0a).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The path of an `f` line of a manifest.
    static func regularFilePath(_ line: String) -> String? {
        guard !line.contains(" -> ") else { return nil }
        let parts = line.split(separator: " ")
        guard parts.count >= 3, parts[parts.count - 2] == "f" else { return nil }
        return parts.dropLast(2).joined(separator: " ")
    }

    /// Reads what a run left in a file system: `normal/` is /run/systemd/generator, `runtime/` everything else
    /// under /run/systemd except the generator directories.
    init(status: Int32, stderr: String, fileSystem: any FileSystem) throws {
        try self.init(status: status, stderr: stderr, fileSystem: fileSystem,
                      normal: "/run/systemd/generator", runtime: "/run/systemd")
    }

    /// Reads the trees at `normal` and `runtime` (skipping `generator*` directly under `runtime`).
    init(status: Int32, stderr: String, fileSystem: any FileSystem, normal: String, runtime: String) throws {
        var manifest: [[UInt8]] = []
        var files: [String: [UInt8]] = [:]
        func walk(_ path: String, _ area: String, _ root: String) throws {
            for entry in try fileSystem.readdir(path) {
                let full = path + "/" + entry.name
                if area == "runtime", path == root, entry.name.hasPrefix("generator") { continue }
                let relative = area + full.dropFirst(root.count)
                let status = try fileSystem.lstat(full)
                let mode = String(status.permissions.rawValue & 0o7777, radix: 8)
                let padded = String(repeating: "0", count: max(0, 4 - mode.count)) + mode
                switch status.kind {
                case .directory:
                    manifest.append(Array("\(relative) d \(padded)".utf8))
                    try walk(full, area, root)
                case .symbolicLink:
                    manifest.append(Array("\(relative) l 0777 -> \(try fileSystem.readlink(full))".utf8))
                default:
                    manifest.append(Array("\(relative) f \(padded)".utf8))
                    files[relative] = try fileSystem.readFile(full)
                }
            }
        }
        try walk(normal, "normal", normal)
        do {
            try walk(runtime, "runtime", runtime)
        } catch Errno.noSuchFileOrDirectory {
        }
        manifest.sort { $0.lexicographicallyPrecedes($1) }
        self.init(status: status, stderr: stderr,
                  manifest: manifest.map { String(decoding: $0, as: UTF8.self) }, files: files)
    }

    /// Human-readable differences from `expected`, empty when they match.
    func differences(from expected: Recording) -> [String] {
        var out: [String] = []
        if status != expected.status { out.append("exit status \(status), expected \(expected.status)") }
        if stderr != expected.stderr { out.append("stderr:\n\(stderr)expected:\n\(expected.stderr)") }
        if manifest != expected.manifest {
            let extra = manifest.filter { !expected.manifest.contains($0) }
            let missing = expected.manifest.filter { !manifest.contains($0) }
            out.append("manifest: extra \(extra), missing \(missing)")
        }
        for (path, contents) in expected.files where files[path] != contents {
            out.append("contents of \(path):\n" + String(decoding: files[path] ?? [], as: UTF8.self)
                + "expected:\n" + String(decoding: contents, as: UTF8.self))
        }
        return out
    }
}
