import Core
import Testing

/// `fcntl(F_OFD_SETLK)` byte-range locks and `mmap(MAP_SHARED)`: what SQLite's locks and WAL index use.
@Suite("FileSystem contract: byte-range locks and shared mappings")
struct RangeLockAndMappingTests {
    @Test("descriptions conflict over overlapping bytes only; shared locks coexist", arguments: ContractBackend.all)
    func conflicts(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/db", "")
            let a = try fs.open("/t/db", .readWrite)
            let b = try fs.open("/t/db", .readWrite)
            defer { try? fs.close(a); try? fs.close(b) }
            try fs.lockRange(a, .exclusive, start: 120, length: 1)
            #expect(throws: Errno.wouldBlock) { try fs.lockRange(b, .shared, start: 120, length: 1) }
            #expect(throws: Errno.wouldBlock) { try fs.lockRange(b, .exclusive, start: 100, length: 30) }
            try fs.lockRange(b, .exclusive, start: 121, length: 7)  // the neighbours are free
            try fs.lockRange(a, .shared, start: 1 << 30, length: 510)
            try fs.lockRange(b, .shared, start: 1 << 30, length: 510)
            #expect(throws: Errno.wouldBlock) { try fs.lockRange(b, .exclusive, start: 1 << 30, length: 510) }
            // Locks past the end of the file, and to the end of any file (length 0).
            #expect(throws: Errno.wouldBlock) { try fs.lockRange(b, .exclusive, start: 0, length: 0) }
        }
    }

    @Test("a description's own lock converts and splits; unlock and close release", arguments: ContractBackend.all)
    func convertAndRelease(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/db", "")
            let a = try fs.open("/t/db", .readWrite)
            let b = try fs.open("/t/db", .readWrite)
            defer { try? fs.close(b) }
            try fs.lockRange(a, .shared, start: 0, length: 10)
            try fs.lockRange(a, .exclusive, start: 0, length: 10)  // its own shared lock is no conflict
            try fs.lockRange(a, .unlock, start: 4, length: 2)      // splits it in two
            try fs.lockRange(b, .exclusive, start: 4, length: 2)
            #expect(throws: Errno.wouldBlock) { try fs.lockRange(b, .shared, start: 3, length: 1) }
            #expect(throws: Errno.wouldBlock) { try fs.lockRange(b, .shared, start: 6, length: 1) }
            try fs.lockRange(b, .unlock, start: 0, length: 0)
            try fs.lockRange(a, .shared, start: 0, length: 10)     // back to shared, the middle too
            #expect(throws: Errno.wouldBlock) { try fs.lockRange(b, .exclusive, start: 4, length: 2) }
            try fs.lockRange(b, .shared, start: 0, length: 10)
            try fs.close(a)
            try fs.lockRange(b, .exclusive, start: 0, length: 0)
        }
    }

    @Test("a write lock needs write access; a read lock read access", arguments: ContractBackend.all)
    func access(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/db", "")
            let reading = try fs.open("/t/db", .read)
            defer { try? fs.close(reading) }
            try fs.lockRange(reading, .shared, start: 0, length: 1)
            #expect(throws: Errno.badFileDescriptor) { try fs.lockRange(reading, .exclusive, start: 0, length: 1) }
        }
    }

    @Test("two shared mappings of one file are the same memory, also after close", arguments: ContractBackend.all)
    func sharedMemory(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            let a = try fs.open("/t/db-shm", [.read, .write, .create])
            try fs.ftruncate(a, to: 65536)
            let b = try fs.open("/t/db-shm", .readWrite)
            let first = try fs.mapShared(a, offset: 0, length: 32768)
            let second = try fs.mapShared(b, offset: 0, length: 32768)
            let upper = try fs.mapShared(b, offset: 32768, length: 32768)
            try fs.close(a)
            try fs.close(b)
            first.storeBytes(of: 0x1234_5678, toByteOffset: 100, as: UInt32.self)
            #expect(second.load(fromByteOffset: 100, as: UInt32.self) == 0x1234_5678)
            upper.storeBytes(of: 7, toByteOffset: 0, as: UInt8.self)
            #expect(first.load(fromByteOffset: 100, as: UInt32.self) == 0x1234_5678)
            try fs.unmapShared(first, length: 32768)
            #expect(second.load(fromByteOffset: 100, as: UInt32.self) == 0x1234_5678)
            try fs.unmapShared(second, length: 32768)
            try fs.unmapShared(upper, length: 32768)
        }
    }

    @Test("a mapping shows the file's bytes; truncating zeroes it past the new end", arguments: ContractBackend.all)
    func contentsAndTruncate(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/db-shm", "WAL!")
            let fd = try fs.open("/t/db-shm", .readWrite)
            defer { try? fs.close(fd) }
            try fs.ftruncate(fd, to: 8192)
            let other = try fs.open("/t/db-shm", .readWrite)
            let memory = try fs.mapShared(other, offset: 0, length: 8192)
            try fs.close(other)
            #expect(memory.load(fromByteOffset: 0, as: UInt8.self) == UInt8(ascii: "W"))
            memory.storeBytes(of: 9, toByteOffset: 5000, as: UInt8.self)
            try fs.ftruncate(fd, to: 3)  // what SQLite does to reset a WAL index
            try fs.ftruncate(fd, to: 8192)
            #expect(memory.load(fromByteOffset: 2, as: UInt8.self) == UInt8(ascii: "L"))
            #expect(memory.load(fromByteOffset: 3, as: UInt8.self) == 0)
            #expect(memory.load(fromByteOffset: 5000, as: UInt8.self) == 0)
            try fs.unmapShared(memory, length: 8192)
        }
    }

    @Test("mapping needs a regular file open for reading and writing, at a page offset", arguments: ContractBackend.all)
    func mappingErrors(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            let reading = try fs.open("/t/f", .read)
            let both = try fs.open("/t/f", .readWrite)
            let directory = try fs.open("/t", [.read, .directory])
            defer { try? fs.close(reading); try? fs.close(both); try? fs.close(directory) }
            #expect(throws: Errno.permissionDenied) { try fs.mapShared(reading, offset: 0, length: 4096) }
            #expect(throws: Errno.invalidArgument) { try fs.mapShared(both, offset: 100, length: 4096) }
            #expect(throws: Errno.permissionDenied) { try fs.mapShared(directory, offset: 0, length: 4096) }
        }
    }
}
