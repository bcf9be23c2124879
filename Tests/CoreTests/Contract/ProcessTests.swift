import Core
import Glibc
import Testing

/// The process seam. Cases that run `/bin/sh` are Host-only (`ContractBackend.realPrograms`): a simulated
/// machine runs simulated processes, not binaries from the host.
@Suite("Process contract")
struct ProcessTests {
    @Test("the current process is alive", arguments: ContractBackend.all)
    func selfAlive(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            #expect(world.processes.isAlive(world.processes.currentProcess))
        }
    }

    @Test("waiting for a process that is not a child is ECHILD", arguments: ContractBackend.all)
    func waitNonChild(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            #expect(throws: Errno.noChildProcess) { try world.processes.wait(world.processes.currentProcess) }
        }
    }

    @Test("signalling a process that does not exist is ESRCH, and it is not alive", arguments: ContractBackend.all)
    func killMissing(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            let nobody = ProcessID(rawValue: 0x3fff_fff0)  // above Linux's largest pid_max (2^22)
            #expect(throws: Errno.noSuchProcess) { try world.processes.kill(nobody, signal: SIGTERM) }
            #expect(world.processes.isAlive(nobody) == false)
        }
    }

    @Test("an unset environment variable is nil", arguments: ContractBackend.all)
    func environmentMissing(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            #expect(world.processes.environment("PODRT_CONTRACT_SURELY_UNSET") == nil)
        }
    }

    @Test("a child's exit status comes back from wait", arguments: ContractBackend.realPrograms)
    func exitStatus(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            let child = try world.processes.spawn(["/bin/sh", "-c", "exit 3"], environment: [], directory: nil)
            #expect(try world.processes.wait(child) == .exited(3))
            #expect(throws: Errno.noChildProcess) { try world.processes.wait(child) }
        }
    }

    @Test("the environment given reaches the child, and only it", arguments: ContractBackend.realPrograms)
    func environment(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            let script = #"test "$PODRT_A" = "one two" && test -z "${HOME+set}""#
            let child = try world.processes.spawn(
                ["/bin/sh", "-c", script], environment: ["PODRT_A=one two"], directory: nil)
            #expect(try world.processes.wait(child) == .exited(0))
        }
    }

    @Test("the child starts in the directory given", arguments: ContractBackend.realPrograms)
    func workingDirectory(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            let child = try world.processes.spawn(
                ["/bin/sh", "-c", #"test "$(pwd -P)" = /usr/share"#], environment: [], directory: "/usr/share")
            #expect(try world.processes.wait(child) == .exited(0))
            let other = try world.processes.spawn(
                ["/bin/sh", "-c", #"test "$(pwd -P)" = /usr/share"#], environment: [], directory: "/")
            #expect(try world.processes.wait(other) == .exited(1))
        }
    }

    @Test("spawning a missing program is ENOENT", arguments: ContractBackend.realPrograms)
    func spawnMissing(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            #expect(throws: Errno.noSuchFileOrDirectory) {
                try world.processes.spawn(["/nonexistent/program"], environment: [], directory: nil)
            }
        }
    }

    @Test("kill ends a child with .signaled; alive before, gone after", arguments: ContractBackend.realPrograms)
    func killChild(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            let child = try world.processes.spawn(["/bin/sh", "-c", "exec sleep 60"], environment: [], directory: nil)
            #expect(world.processes.isAlive(child))
            try world.processes.kill(child, signal: SIGTERM)
            #expect(try world.processes.wait(child) == .signaled(SIGTERM))
            #expect(world.processes.isAlive(child) == false)
        }
    }

    @Test("an exited child nobody has waited for (a zombie) is not alive", arguments: ContractBackend.realPrograms)
    func zombieIsGone(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            let child = try world.processes.spawn(["/bin/sh", "-c", "exit 0"], environment: [], directory: nil)
            let deadline = world.clock.monotonicNow().advanced(byNanoseconds: 10_000_000_000)
            while world.processes.isAlive(child), world.clock.monotonicNow() < deadline {
                try world.clock.sleep(until: world.clock.monotonicNow().advanced(byNanoseconds: 1_000_000))
            }
            #expect(world.processes.isAlive(child) == false)
            #expect(try world.processes.wait(child) == .exited(0))  // it was a zombie, not reaped
        }
    }
}
