import Core
import Glibc

/// Temporary directories for the host backend, made and removed through the host backend itself.
enum Scratch {
    /// `mkdtemp(3)` under `/tmp`.
    static func makeDirectory() throws -> String {
        var template = Array("/tmp/contract.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Errno(rawValue: errno) }
        return String(cString: made)
    }

    /// Removes `path` and everything under it; errors are ignored (best effort tidying).
    static func remove(_ path: String) {
        let fs = HostFileSystem()
        if let status = try? fs.lstat(path), status.kind == .directory {
            for entry in (try? fs.readdir(path)) ?? [] { remove(path + "/" + entry.name) }
            try? fs.rmdir(path)
        } else {
            try? fs.unlink(path)
        }
    }

    /// Runs a program to completion; whether it exited with status 0.
    static func run(_ arguments: [String]) throws -> Bool {
        let processes = HostProcessControl()
        let pid = try processes.spawn(arguments, environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], directory: nil)
        return try processes.wait(pid) == .exited(0)
    }
}
