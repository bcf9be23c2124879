import XCTest
@testable import SimFS

/// Shared mappings and byte-range locks between simulated processes (SQLite's WAL index), and where SimFS's
/// mappings knowingly differ from Linux's (see `MappedMemory`).
final class MappingTests: XCTestCase {
    func testProcessesShareTheMemoryAndConflictOnLocks() throws {
        let world = SimWorld(seed: 1)
        let a = world.machine(for: world.spawn(name: "a")).fileSystem
        let b = world.machine(for: world.spawn(name: "b")).fileSystem
        let fa = try a.open("/var/lib/db-shm", [.read, .write, .create])
        try a.ftruncate(fa, to: 32768)
        let fb = try b.open("/var/lib/db-shm", .readWrite)
        let ma = try a.mapShared(fa, offset: 0, length: 32768)
        let mb = try b.mapShared(fb, offset: 0, length: 32768)
        ma.storeBytes(of: 42, toByteOffset: 1000, as: UInt64.self)
        XCTAssertEqual(mb.load(fromByteOffset: 1000, as: UInt64.self), 42)
        try a.lockRange(fa, .shared, start: 123, length: 1)
        try b.lockRange(fb, .shared, start: 123, length: 1)
        XCTAssertErrno(.wouldBlock, try b.lockRange(fb, .exclusive, start: 120, length: 8))
        // A process that dies lets go of its locks at once; its memory stays the machine's for the others.
        world.kill(world.liveProcesses[0])
        try b.lockRange(fb, .exclusive, start: 120, length: 8)
        XCTAssertEqual(mb.load(fromByteOffset: 1000, as: UInt64.self), 42)
        // The dead process's code may still run while it unwinds; its unmapping is no call and never fails.
        XCTAssertNoThrow(try a.unmapShared(ma, length: 32768))
        XCTAssertEqual(world.opLog.filter { $0.op == .unmapShared }.count, 0)
        try b.unmapShared(mb, length: 32768)
        XCTAssertEqual(world.opLog.filter { $0.op == .unmapShared }.map(\.path), ["/var/lib/db-shm"])
    }

    func testTheMemoryIsGoneAfterItsLastMappingAndAtABoot() throws {
        let world = SimWorld(seed: 1)
        let a = world.machine(for: world.spawn(name: "a")).fileSystem
        try a.write("/var/lib/db-shm", "abc", sync: true)
        let fd = try a.open("/var/lib/db-shm", .readWrite)
        try a.ftruncate(fd, to: 4096)
        var memory = try a.mapShared(fd, offset: 0, length: 4096)
        memory.storeBytes(of: UInt8(ascii: "X"), toByteOffset: 0, as: UInt8.self)
        try a.unmapShared(memory, length: 4096)
        memory = try a.mapShared(fd, offset: 0, length: 4096)
        XCTAssertEqual(memory.load(as: UInt8.self), UInt8(ascii: "a"), "a new mapping starts from the file")
        memory.storeBytes(of: UInt8(ascii: "Y"), toByteOffset: 0, as: UInt8.self)
        world.reboot()
        let b = world.machine(for: world.spawn(name: "b")).fileSystem
        let again = try b.open("/var/lib/db-shm", .readWrite)
        let fresh = try b.mapShared(again, offset: 0, length: 4096)
        XCTAssertEqual(fresh.load(as: UInt8.self), UInt8(ascii: "a"), "the memory is not durable")
        XCTAssertNotEqual(fresh, memory)
        XCTAssertNoThrow(try b.lockRange(again, .exclusive, start: 0, length: 0), "locks go with the processes")
    }

    /// Documented differences from Linux: `read` and `write` do not see the memory, nor it their writes, and
    /// a mapping may not straddle an earlier one. SQLite's WAL index does neither.
    func testKnownDifferencesFromLinux() throws {
        let (_, machine) = makeWorld()
        let fs = machine.fileSystem
        let fd = try fs.open("/var/lib/db-shm", [.read, .write, .create])
        try fs.ftruncate(fd, to: 65536)
        let memory = try fs.mapShared(fd, offset: 0, length: 32768)
        memory.storeBytes(of: 7, toByteOffset: 0, as: UInt8.self)
        var byte: [UInt8] = [0]
        _ = try byte.withUnsafeMutableBytes { try fs.pread(fd, into: $0, at: 0) }
        XCTAssertEqual(byte, [0])
        XCTAssertErrno(.invalidArgument, try fs.mapShared(fd, offset: 4096, length: 32768))
        XCTAssertNoThrow(try fs.mapShared(fd, offset: 4096, length: 4096), "within an earlier mapping")
    }
}
