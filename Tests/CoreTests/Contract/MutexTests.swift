import Core
import Testing

/// Mutex segments: the substrate of the SHM lock manager.
///
/// Host semantics a simulated backend must match: the mutexes are error-checking, so a relock by the
/// holder is EDEADLK, and so is `tryLock` by the holder (glibc's robust error-checking trylock), and unlocking a mutex one does not hold is EPERM.
@Suite("Mutex segment contract")
struct MutexTests {
    static let path = "/dev/shm/podrt_contract"

    /// A fresh world with `/dev/shm`, and a segment of 4 mutexes and 64 data bytes at `path`.
    static func withSegment(
        _ backend: ContractBackend, _ body: (ContractWorld, any MutexSegment) throws -> Void
    ) throws {
        try backend.withWorld { world in
            try world.fs.makeDirectories("/dev/shm", permissions: FilePermissions(rawValue: 0o1777))
            let segment = try world.mutexes.create(path, mutexCount: 4, dataSize: 64)
            defer { segment.close() }
            try body(world, segment)
        }
    }

    @Test("create, then open elsewhere, gives the same shape", arguments: ContractBackend.all)
    func createThenOpen(_ backend: ContractBackend) throws {
        try Self.withSegment(backend) { world, created in
            let opened = try world.mutexes.open(Self.path)
            defer { opened.close() }
            #expect(created.mutexCount == 4)
            #expect(created.dataSize == 64)
            #expect(opened.mutexCount == 4)
            #expect(opened.dataSize == 64)
            #expect(opened.path == Self.path)
        }
    }

    @Test("create where a segment exists is EEXIST; open of none is ENOENT", arguments: ContractBackend.all)
    func createExistingOpenMissing(_ backend: ContractBackend) throws {
        try Self.withSegment(backend) { world, _ in
            #expect(throws: Errno.fileExists) { try world.mutexes.create(Self.path, mutexCount: 1, dataSize: 0) }
            #expect(throws: Errno.noSuchFileOrDirectory) { try world.mutexes.open(Self.path + "_none") }
        }
    }

    // Segments are files in /dev/shm on the real machine; a simulated one must show them in its FileSystem.
    @Test("the segment file has mode 0600", arguments: ContractBackend.all)
    func fileMode(_ backend: ContractBackend) throws {
        try Self.withSegment(backend) { world, _ in
            let status = try world.fs.stat(Self.path)
            #expect(status.permissions.rawValue == 0o600)
            #expect(status.kind == .regular)
        }
    }

    @Test("a file that is not a segment of this layout is EBADMSG", arguments: ContractBackend.all)
    func badLayout(_ backend: ContractBackend) throws {
        try Self.withSegment(backend) { world, _ in
            try world.fs.put("/dev/shm/empty", "")
            try world.fs.put("/dev/shm/junk", String(repeating: "junk", count: 100))
            #expect(throws: Errno.badMessage) { try world.mutexes.open("/dev/shm/empty") }
            #expect(throws: Errno.badMessage) { try world.mutexes.open("/dev/shm/junk") }
            // A damaged segment (truncated, another version) is Host-only, in HostBackendTests: there the
            // segment lives in the file's bytes; a simulated segment does not.
        }
    }

    @Test("the data area starts zeroed and is shared between two opens", arguments: ContractBackend.all)
    func dataRoundTrip(_ backend: ContractBackend) throws {
        try Self.withSegment(backend) { world, created in
            let opened = try world.mutexes.open(Self.path)
            defer { opened.close() }
            var buffer = [UInt8](repeating: 0xff, count: 64)
            try buffer.withUnsafeMutableBytes { try opened.readData(at: 0, into: $0) }
            #expect(buffer == [UInt8](repeating: 0, count: 64))
            try [UInt8]([1, 2, 3]).withUnsafeBytes { try created.writeData(at: 61, $0) }
            var tail = [UInt8](repeating: 0, count: 3)
            try tail.withUnsafeMutableBytes { try opened.readData(at: 61, into: $0) }
            #expect(tail == [1, 2, 3])
        }
    }

    @Test("data access outside the data area is EINVAL", arguments: ContractBackend.all)
    func dataBounds(_ backend: ContractBackend) throws {
        try Self.withSegment(backend) { _, segment in
            var buffer = [UInt8](repeating: 0, count: 2)
            #expect(throws: Errno.invalidArgument) {
                try buffer.withUnsafeMutableBytes { try segment.readData(at: 63, into: $0) }
            }
            #expect(throws: Errno.invalidArgument) { try buffer.withUnsafeBytes { try segment.writeData(at: -1, $0) } }
        }
    }

    @Test("lock, unlock, and tryLock of a free mutex", arguments: ContractBackend.all)
    func lockUnlock(_ backend: ContractBackend) throws {
        try Self.withSegment(backend) { _, segment in
            #expect(try segment.lock(0) == .acquired)
            try segment.unlock(0)
            #expect(try segment.tryLock(0) == .acquired)
            #expect(try segment.tryLock(1) == .acquired)
            try segment.unlock(1)
            try segment.unlock(0)
        }
    }

    @Test("relocking or trylocking a mutex one holds is EDEADLK", arguments: ContractBackend.all)
    func relock(_ backend: ContractBackend) throws {
        try Self.withSegment(backend) { _, segment in
            _ = try segment.lock(2)
            #expect(throws: Errno.deadlock) { try segment.lock(2) }
            #expect(throws: Errno.deadlock) { try segment.tryLock(2) }
            try segment.unlock(2)
        }
    }

    @Test("unlocking a mutex one does not hold is EPERM", arguments: ContractBackend.all)
    func unlockNotHeld(_ backend: ContractBackend) throws {
        try Self.withSegment(backend) { _, segment in
            #expect(throws: Errno.notPermitted) { try segment.unlock(3) }
            _ = try segment.lock(3)
            try segment.unlock(3)
            #expect(throws: Errno.notPermitted) { try segment.unlock(3) }
        }
    }

    @Test("an index out of range is EINVAL", arguments: ContractBackend.all)
    func indexOutOfRange(_ backend: ContractBackend) throws {
        try Self.withSegment(backend) { _, segment in
            #expect(throws: Errno.invalidArgument) { try segment.lock(4) }
            #expect(throws: Errno.invalidArgument) { try segment.tryLock(-1) }
            #expect(throws: Errno.invalidArgument) { try segment.unlock(4) }
        }
    }

    @Test("remove takes the name away; an open segment keeps working", arguments: ContractBackend.all)
    func remove(_ backend: ContractBackend) throws {
        try Self.withSegment(backend) { world, segment in
            try world.mutexes.remove(Self.path)
            #expect(throws: Errno.noSuchFileOrDirectory) { try world.mutexes.open(Self.path) }
            #expect(throws: Errno.noSuchFileOrDirectory) { try world.mutexes.remove(Self.path) }
            #expect(try segment.lock(1) == .acquired)
            try segment.unlock(1)
            let again = try world.mutexes.create(Self.path, mutexCount: 1, dataSize: 8)
            defer { again.close() }
            #expect(again.mutexCount == 1)
        }
    }
}
