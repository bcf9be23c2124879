import Glibc

/// Writes a line to standard error (fd 2 directly: the `stderr` global is not concurrency-safe).
func printError(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// A failure that has been reported already; only the exit code remains.
struct ExitFailure: Error {
    var code: Int32
}
