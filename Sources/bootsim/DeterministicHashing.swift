import Glibc

/// Swift seeds `Hasher` per process, so dictionary and set order (in Core's own code too) differs from one
/// process to the next, and with it the order of some protocol calls. A seed must give the same trace hash
/// in every process (a replay runs in a new one), so the simulation commands re-execute themselves once with
/// `SWIFT_DETERMINISTIC_HASHING=1`, which the runtime reads at start-up.
func ensureDeterministicHashing() {
    guard getenv("SWIFT_DETERMINISTIC_HASHING") == nil else { return }
    setenv("SWIFT_DETERMINISTIC_HASHING", "1", 1)
    let arguments = CommandLine.arguments
    var pointers = arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", &pointers)
    // execv only returns on failure: carry on, with per-process hashing, and say so.
    printToError("bootsim: warning: cannot re-execute with deterministic hashing (errno \(errno)); trace hashes may differ between processes")
}
