import Core
import Testing

/// A real child process dies holding a mutex; the next locker gets `.ownerDied`.
///
/// Host-only: these spawn the `mutex-holder` program, a real separate process that opens the segment
/// through `HostMutexSegments`. A simulated backend covers the same rule with simulated processes.
@Suite("Mutex segment contract: owner died (real processes)")
struct MutexOwnerDiedTests {
    static let path = "/dev/shm/podrt_owner_died"

    /// The `mutex-holder` program, built next to the test bundle.
    static func holderProgram() throws -> String {
        let bundle = try HostFileSystem().readlink("/proc/self/exe")
        return bundle[..<bundle.lastIndex(of: "/")!] + "/mutex-holder"
    }

    /// Spawns `mutex-holder` for mutex `index` in `mode` (`exit` or `hold`).
    static func spawnHolder(_ world: ContractWorld, index: Int, mode: String) throws -> ProcessID {
        let root = try #require(world.mutexes as? HostMutexSegments).root
        return try world.processes.spawn(
            [try holderProgram(), root, path, String(index), mode], environment: [], directory: nil)
    }

    /// Byte 0 of the data area, which the holder sets to 1 once it has the lock.
    static func holderMark(_ segment: any MutexSegment) throws -> UInt8 {
        var byte: [UInt8] = [0]
        try byte.withUnsafeMutableBytes { try segment.readData(at: 0, into: $0) }
        return byte[0]
    }

    static func withSegment(_ backend: ContractBackend, _ body: (ContractWorld, any MutexSegment) throws -> Void) throws {
        try backend.withWorld { world in
            try world.fs.makeDirectories("/dev/shm", permissions: FilePermissions(rawValue: 0o1777))
            let segment = try world.mutexes.create(path, mutexCount: 3, dataSize: 8)
            defer { segment.close() }
            try body(world, segment)
        }
    }

    @Test("a child that exits holding a mutex leaves .ownerDied to the next locker", arguments: ContractBackend.realPrograms)
    func exitHolding(_ backend: ContractBackend) throws {
        try Self.withSegment(backend) { world, segment in
            let child = try Self.spawnHolder(world, index: 1, mode: "exit")
            #expect(try world.processes.wait(child) == .exited(0))
            #expect(try Self.holderMark(segment) == 1)
            #expect(try segment.lock(1) == .ownerDied)
            try segment.unlock(1)
            #expect(try segment.lock(1) == .acquired)  // consistent again
            try segment.unlock(1)
            #expect(try segment.tryLock(0) == .acquired)  // the others were never touched
            try segment.unlock(0)
        }
    }

    @Test("a mutex held by a live child is busy; killed, its next locker gets .ownerDied", arguments: ContractBackend.realPrograms)
    func killedHolding(_ backend: ContractBackend) throws {
        try Self.withSegment(backend) { world, segment in
            let child = try Self.spawnHolder(world, index: 2, mode: "hold")
            let deadline = world.clock.monotonicNow().advanced(byNanoseconds: 20_000_000_000)
            while try Self.holderMark(segment) != 1 {
                guard world.clock.monotonicNow() < deadline, world.processes.isAlive(child) else {
                    try? world.processes.kill(child, signal: 9)
                    _ = try? world.processes.wait(child)
                    Issue.record("mutex-holder did not take the lock")
                    return
                }
                try world.clock.sleep(until: world.clock.monotonicNow().advanced(byNanoseconds: 2_000_000))
            }
            #expect(try segment.tryLock(2) == nil)
            try world.processes.kill(child, signal: 9)
            #expect(try world.processes.wait(child) == .signaled(9))
            #expect(try segment.tryLock(2) == .ownerDied)
            try segment.unlock(2)
        }
    }
}
