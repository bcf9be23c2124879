import Glibc
import SimFUSE

/// Starting `bootsim mount` in the background: the child runs in its own session and reports readiness
/// by answering on its control socket; its startup errors reach our stderr.
enum Daemon {
    /// Set in the child's environment: once it serves, it points stdin, stdout and stderr at /dev/null so
    /// that nobody waits on a pipe it holds.
    static let variable = "BOOTSIM_DAEMON"

    /// Spawns `arguments` and waits: 0 once `socket` answers, the child's exit status if it ends first.
    static func start(_ arguments: [String], readyWhen socket: String) throws -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, 0x80)  // POSIX_SPAWN_SETSID (glibc), not imported by Swift
        var environment = [variable + "=1"]
        var entry = environ
        while let pointer = entry.pointee {
            environment.append(String(cString: pointer))
            entry += 1
        }
        var pid: pid_t = 0
        let result = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in posix_spawn(&pid, "/proc/self/exe", nil, &attributes, argv, envp) }
        }
        guard result == 0 else { throw MountError("cannot start the server: \(String(cString: strerror(result)))") }
        for _ in 0..<2000 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                return status & 0x7f == 0 ? (status >> 8) & 0xff : 1
            }
            if ControlClient.answers(at: socket) { return 0 }
            usleep(5_000)
        }
        kill(pid, SIGTERM)
        throw MountError("the server did not become ready within 10 s")
    }

    /// Closes every descriptor above stderr that the daemon inherited, so it holds no one else's pipes.
    static func closeInheritedDescriptors() {
        for fd in 3..<Int32(1024) { close(fd) }
    }

    static func detachOutput() {
        let null = open("/dev/null", O_RDWR)
        guard null >= 0 else { return }
        for fd: Int32 in 0...2 { dup2(null, fd) }
        if null > 2 { close(null) }
    }

    static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}
