import Glibc

/// A real child process started with `posix_spawn`, its stdout and stderr on pipes and stdin on
/// /dev/null. (Foundation's `Process` lost track of children when tests ran in parallel.)
final class Child {
    let pid: pid_t
    private var outFD: Int32
    private var errFD: Int32
    private var output: [UInt8] = []
    private var error: [UInt8] = []
    private(set) var exitStatus: Int32?

    init(_ arguments: [String], captureOutput: Bool = true) throws {
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw ChildError.spawn(errno) }
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, arguments[0], &actions, nil, &argv, environ)
        close(outPipe[1])
        close(errPipe[1])
        guard result == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw ChildError.spawn(result)
        }
        pid = child
        outFD = outPipe[0]
        errFD = errPipe[0]
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            _ = wait(timeout: 5)
        }
        if outFD >= 0 { close(outFD) }
        if errFD >= 0 { close(errFD) }
    }

    var isRunning: Bool {
        if exitStatus != nil { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return false
        }
        return true
    }

    /// Waits up to `timeout` seconds, draining the pipes; whether it ended.
    @discardableResult
    func wait(timeout: Double) -> Bool {
        let deadline = Self.now() + timeout
        while true {
            drain(waitMilliseconds: 5)
            if !isRunning {
                drain(waitMilliseconds: 0)
                return true
            }
            if Self.now() > deadline { return false }
        }
    }

    /// Waits (killing it after `timeout`) and returns what it did.
    func finish(timeout: Double) -> RunResult {
        let ended = wait(timeout: timeout)
        if !ended {
            kill(pid, SIGKILL)
            wait(timeout: 5)
        }
        return RunResult(status: exitStatus ?? -1, output: String(decoding: output, as: UTF8.self),
                         error: String(decoding: error, as: UTF8.self), timedOut: !ended)
    }

    private func drain(waitMilliseconds: Int32) {
        var fds = [outFD, errFD].filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        guard !fds.isEmpty else {
            if waitMilliseconds > 0 { usleep(UInt32(waitMilliseconds) * 1000) }
            return
        }
        guard poll(&fds, nfds_t(fds.count), waitMilliseconds) > 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 65536)
        for entry in fds where entry.revents != 0 {
            let count = chunk.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
            if count > 0 {
                if entry.fd == outFD { output += chunk[0..<count] } else { error += chunk[0..<count] }
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                close(entry.fd)
                if entry.fd == outFD { outFD = -1 } else { errFD = -1 }
            }
        }
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

enum ChildError: Error {
    case spawn(Int32)
}
