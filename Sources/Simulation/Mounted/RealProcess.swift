import Core
import Glibc

/// One slot of a group in FUSE mode: a real program (or a chain of them, for `create containers P N`),
/// started behind a gate so that pauses can be set before its first request reaches the mount.
final class RealProcess: ProcessOutcome {
    var exitCode: Int32?
    var killed = false
    var note = ""
    var resolvedName: String? { nil }
    /// The pid of the program running now (0 before the start and after the end).
    private(set) var pid: Int32 = 0
    private var chain: [[String]]
    private let environment: [String]
    private let output: String

    /// The real machine's processes (FUSE mode runs real programs).
    static let processes = HostProcessControl()

    init(chain: [[String]], environment: [String], output: String) {
        self.chain = chain
        self.environment = environment
        self.output = output
    }

    var running: Bool { pid > 0 }

    func captured(stderr: Bool) -> String? {
        (try? HostFileSystem().readFile(output + (stderr ? ".err" : ".out"), limit: 1 << 22)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Starts the first program, held before `exec` until `openGate` writes to the FIFO at `gate`.
    func start(gate: String) throws {
        guard !chain.isEmpty else { exitCode = 0; return }
        guard mkfifo(gate, 0o600) == 0 else { throw Errno(rawValue: errno) }
        let script = #"read _ < "$1"; exec >"$2" 2>"$3"; shift 3; exec "$@""#
        try spawn(["/bin/sh", "-c", script, "gate", gate, output + ".out", output + ".err"] + chain.removeFirst())
    }

    static func openGate(_ gate: String) {
        let fd = open(gate, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = write(fd, "\n", 1)
        close(fd)
    }

    private func spawn(_ arguments: [String]) throws {
        pid = try Self.processes.spawn(arguments, environment: environment, directory: "/").rawValue
    }

    /// Reaps the program if it has ended (a zombie counts as ended); a successful one is followed by the next
    /// of the chain.
    func poll() {
        guard pid > 0, !Self.processes.isAlive(ProcessID(rawValue: pid)) else { return }
        reap()
    }

    /// Waits for the program (after a kill).
    func reap() {
        guard pid > 0 else { return }
        let status = (try? Self.processes.wait(ProcessID(rawValue: pid))) ?? .exited(127)
        pid = 0
        let code = status.shellCode
        if code == 0, !killed, !chain.isEmpty {
            let script = #"exec >>"$1" 2>>"$2"; shift 2; exec "$@""#
            if (try? spawn(["/bin/sh", "-c", script, "chain", output + ".out", output + ".err"] + chain.removeFirst())) != nil {
                return
            }
        }
        exitCode = code
        if code != 0 { note = lastLine(of: output + ".err") }
    }

    private func lastLine(of path: String) -> String {
        guard let bytes = try? HostFileSystem().readFile(path, limit: 1 << 16) else { return "" }
        let lines = bytes.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
        return String((lines.last { !$0.isEmpty } ?? "").prefix(300))
    }
}

extension ExitStatus {
    /// The status as a shell reports it: the exit code, or 128+N for signal N.
    var shellCode: Int32 {
        switch self {
        case let .exited(code): return code
        case let .signaled(signal): return 128 + signal
        }
    }
}
