/// A process id on the machine the implementation stands for.
public struct ProcessID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static func < (a: ProcessID, b: ProcessID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

/// How a process ended.
public enum ExitStatus: Hashable, Sendable {
    case exited(Int32)
    case signaled(Int32)
}

/// The process seam: spawning, waiting, signalling, and what a process knows about itself.
public protocol ProcessControl: AnyObject, Sendable {
    /// The calling process.
    var currentProcess: ProcessID { get }
    /// The calling process's environment variable `name` (`getenv`).
    func environment(_ name: String) -> String?
    /// Starts `arguments[0]` with `arguments` as argv, `environment` as `K=V` strings, in `directory`.
    func spawn(_ arguments: [String], environment: [String], directory: String?) throws -> ProcessID
    /// Waits for a child to end (`waitpid`).
    func wait(_ pid: ProcessID) throws -> ExitStatus
    /// `kill(2)`.
    func kill(_ pid: ProcessID, signal: Int32) throws
    /// Whether `pid` is a live process (`kill(pid, 0)`; a zombie counts as gone).
    func isAlive(_ pid: ProcessID) -> Bool
}
