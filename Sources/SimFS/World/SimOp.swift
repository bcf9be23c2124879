/// Every kind of call a simulated process can make, plus the world's own events (pid 0), plus the requests
/// a FUSE mount of the world serves. Fault rules and the op logs (the world's and the mount server's) name
/// calls by these. A FUSE request that is also a FileSystem call (`open`, `read`, `write`, `rename`, …)
/// shares its case; the new cases are appended, so saved worlds keep their numbers.
public enum SimOp: UInt8, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    // FileSystem
    case open, close, read, write, fsync, fdatasync, truncate, fstat, flock
    case mkdir, rmdir, unlink, rename, symlink, readlink, link, stat, lstat, readdir, chmod, chown, realpath
    // MachineClock
    case monotonicNow, wallNow, sleep
    // MutexSegments
    case segmentCreate, segmentOpen, segmentRemove, segmentClose
    case mutexLock, mutexTryLock, mutexUnlock, segmentRead, segmentWrite
    // ProcessControl
    case spawn, wait, kill, isAlive, environment
    // RandomSource
    case random
    // World events, logged with pid 0.
    case reboot, powerLoss, processExit
    // FUSE requests that are no FileSystem call (the mount's server only; `isMountRequest`).
    case lookup, getattr, setattr, mknod, create, flush, release, opendir, releasedir, fsyncdir, statfs, access
    // FileSystem, added later: byte-range locks and shared mappings (SQLite's WAL index).
    case lockRange, mapShared, unmapShared
    // FileSystem, added for POSIX parity (`mknod` and `access` are shared with the FUSE requests above).
    case lchown, setTimes

    /// A request only a FUSE mount serves: a simulated process never makes it, so the world's rules never
    /// match it. `mknod` and `access` are both requests and FileSystem calls.
    public var isMountRequest: Bool {
        self != .mknod && self != .access && (SimOp.lookup.rawValue...SimOp.access.rawValue).contains(rawValue)
    }

    public var description: String { Self.names[Int(rawValue)] }

    /// Looks an op up by its name (`"rename"`), as a control channel or scenario file would spell it.
    public init?(name: String) {
        guard let index = Self.names.firstIndex(of: name) else { return nil }
        self.init(rawValue: UInt8(index))
    }

    private static let names: [String] = [
        "open", "close", "read", "write", "fsync", "fdatasync", "truncate", "fstat", "flock",
        "mkdir", "rmdir", "unlink", "rename", "symlink", "readlink", "link", "stat", "lstat", "readdir", "chmod",
        "chown", "realpath",
        "monotonicNow", "wallNow", "sleep",
        "segmentCreate", "segmentOpen", "segmentRemove", "segmentClose",
        "mutexLock", "mutexTryLock", "mutexUnlock", "segmentRead", "segmentWrite",
        "spawn", "wait", "kill", "isAlive", "environment",
        "random",
        "reboot", "powerLoss", "processExit",
        "lookup", "getattr", "setattr", "mknod", "create", "flush", "release", "opendir", "releasedir", "fsyncdir",
        "statfs", "access",
        "lockRange", "mapShared", "unmapShared",
        "lchown", "setTimes",
    ]
}
