import Glibc
import Podrt

/// Writes a line to standard error (fd 2 directly: the `stderr` global is not concurrency-safe).
func printError(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// A failure that has been reported already; only the exit code remains.
struct ExitFailure: Error {
    var code: Int32
}

/// After a listing: each row of the state database that did not read, as an error on standard error; then
/// exit 1, as podman's commands over several objects do when some failed (the rest were still shown). The
/// rows are left as they are.
func reportUnreadable(_ rows: [CorruptRowError]) throws {
    for row in rows { printError("Error: \(row)") }
    if !rows.isEmpty { throw ExitFailure(code: 1) }
}
