import CSupport
import Glibc

/// Thin wrappers over the system calls of the host backend, in swift-system's style: one wrapper per call,
/// named after it, turning `-1` plus `errno` into a thrown `Errno`.
///
/// EINTR policy: every wrapper retries a call interrupted by a signal, except `close(2)`. On Linux the
/// descriptor is released even when close is interrupted, so retrying could close a descriptor another
/// thread has just been given; an interrupted close counts as success.
enum Syscall {}

extension Syscall {
    /// Runs `call` until it returns something other than -1 with EINTR; throws any other error.
    @inline(__always)
    static func retryingOnInterrupt<Result: FixedWidthInteger>(_ call: () -> Result) throws -> Result {
        RealWorldGuard.check("kernel (a system call)")
        while true {
            let result = call()
            if result != -1 { return result }
            let error = Errno(rawValue: errno)
            if error != .interrupted { throw error }
        }
    }

    /// Runs `call` once; throws its error when it returns -1. For calls that cannot be interrupted.
    @inline(__always)
    static func once<Result: FixedWidthInteger>(_ call: () -> Result) throws -> Result {
        RealWorldGuard.check("kernel (a system call)")
        let result = call()
        if result == -1 { throw Errno(rawValue: errno) }
        return result
    }

    /// For pthread-style calls that return an error number instead of setting errno.
    @inline(__always)
    static func checking(_ result: Int32) throws {
        if result != 0 { throw Errno(rawValue: result) }
    }
}

/// Flags and constants Swift's Glibc module leaves out (GNU extensions), re-exported from CSupport.
enum HostFlags {
    static let openPath = CSUPPORT_O_PATH                 // O_PATH
    static let emptyPath = CSUPPORT_AT_EMPTY_PATH         // AT_EMPTY_PATH
    static let resolveInRoot = CSUPPORT_RESOLVE_IN_ROOT   // RESOLVE_IN_ROOT
    static let resolveNoMagicLinks = CSUPPORT_RESOLVE_NO_MAGICLINKS
    static let renameNoReplace = CSUPPORT_RENAME_NOREPLACE
}
