import CSupport
import Glibc

/// The real processes behind `ProcessControl`: `posix_spawn`, `waitpid`, `kill` and `/proc`.
public final class HostProcessControl: ProcessControl {
    public init() {}

    /// `getpid(2)`.
    public var currentProcess: ProcessID { ProcessID(rawValue: getpid()) }

    /// `getenv(3)`.
    public func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// `posix_spawn(3)` of `arguments[0]` (a path; without a slash it is searched in this process's PATH,
    /// as `posix_spawnp` does). The child starts in `directory` (`posix_spawn_file_actions_addchdir_np`),
    /// with an empty signal mask and default signal handlers.
    public func spawn(_ arguments: [String], environment: [String], directory: String?) throws -> ProcessID {
        RealWorldGuard.check("processes (a spawn)")
        guard let program = arguments.first else { throw Errno.invalidArgument }
        var actions = posix_spawn_file_actions_t()
        try Syscall.checking(posix_spawn_file_actions_init(&actions))
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let directory { try Syscall.checking(csupport_spawn_addchdir(&actions, directory)) }

        var attributes = posix_spawnattr_t()
        try Syscall.checking(posix_spawnattr_init(&attributes))
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        try Syscall.checking(posix_spawnattr_setsigmask(&attributes, &noSignals))
        try Syscall.checking(posix_spawnattr_setsigdefault(&attributes, &allSignals))
        try Syscall.checking(posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)))

        let argv = CStringArray(arguments)
        let envp = CStringArray(environment)
        defer {
            argv.free()
            envp.free()
        }
        var pid: pid_t = 0
        let result = program.contains("/")
            ? posix_spawn(&pid, program, &actions, &attributes, argv.pointers, envp.pointers)
            : posix_spawnp(&pid, program, &actions, &attributes, argv.pointers, envp.pointers)
        try Syscall.checking(result)
        return ProcessID(rawValue: pid)
    }

    /// `waitpid(2)`, retried on EINTR. ECHILD when `pid` is not an unwaited child.
    public func wait(_ pid: ProcessID) throws -> ExitStatus {
        var status: Int32 = 0
        _ = try Syscall.retryingOnInterrupt { waitpid(pid.rawValue, &status, 0) }
        let signal = status & 0x7f
        if signal == 0 { return .exited((status >> 8) & 0xff) }  // WIFEXITED, WEXITSTATUS
        return .signaled(signal)                                   // WTERMSIG
    }

    /// `kill(2)`.
    public func kill(_ pid: ProcessID, signal: Int32) throws {
        _ = try Syscall.once { Glibc.kill(pid.rawValue, signal) }
    }

    /// `kill(pid, 0)` finds the process (EPERM also means it exists), and `/proc/PID/stat` shows it is not
    /// a zombie: an exited child nobody has waited for counts as gone.
    public func isAlive(_ pid: ProcessID) -> Bool {
        guard pid.rawValue > 0 else { return false }
        if Glibc.kill(pid.rawValue, 0) == -1, errno != EPERM { return false }
        return Self.processState(pid) != "Z"
    }

    /// The state letter of `/proc/PID/stat` (the field after the parenthesised command), or nil.
    static func processState(_ pid: ProcessID) -> Character? {
        guard let fd = try? Syscall.openat(AT_FDCWD, "/proc/\(pid.rawValue)/stat", O_RDONLY | O_CLOEXEC, 0)
        else { return nil }
        defer { try? Syscall.close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        guard let count = try? buffer.withUnsafeMutableBytes({ try Syscall.read(fd, $0) }) else { return nil }
        let text = buffer[0..<count]
        guard let close = text.lastIndex(of: UInt8(ascii: ")")), close + 2 < count else { return nil }
        return Character(UnicodeScalar(text[close + 2]))
    }
}

/// A NULL-terminated array of C strings for argv and envp, freed by `free()`.
struct CStringArray {
    let pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    func free() {
        for pointer in pointers { Glibc.free(pointer) }
    }
}
