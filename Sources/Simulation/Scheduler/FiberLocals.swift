import CSQLite
import CSupport
import Core

/// One thread-local value of a simulated process, up to two pointers.
struct FiberLocalValue {
    var first: UnsafeMutableRawPointer?
    var second: UnsafeMutableRawPointer?
}

/// Thread-local state that belongs to the simulated process running on the thread, not to the thread.
/// `Fiber.switchTo` walks this list: each entry exchanges the thread's value with the one it is given, so
/// the leaving fiber keeps its own and the arriving fiber's is installed.
enum FiberLocals {
    /// SQLite's randomness source (the one patch of the amalgamation), which each podrt connection points
    /// at its own machine while it is open.
    static let sqliteRandomness = 0
    /// The run's `EscapeHandler` (`RealWorldGuard`): set on a process's fiber, none on the thread's own.
    static let escapeHandler = 1

    static let swaps: [@Sendable (inout FiberLocalValue) -> Void] = [
        { value in
            var source = unsafeBitCast(value.first, to: sqlite3_randomness_source?.self)
            sqlite3_thread_randomness_swap(&source, &value.second)
            value.first = unsafeBitCast(source, to: UnsafeMutableRawPointer?.self)
        },
        { value in csupport_swap_escape_handler(&value.first) },
    ]

    static var empty: [FiberLocalValue] { Array(repeating: FiberLocalValue(), count: swaps.count) }
}
