import Core
/// Locks in one shared-memory mutex segment (podman's SHM manager, laid out our own way).
///
/// The segment's data area holds a header — magic, layout version, `num_locks` rounded up to a multiple of
/// 32, and the store that owns the segment (its static dir), written once by the creator — followed by the
/// allocation bitmap. Mutex 0 guards the bitmap; the
/// lock numbered `i` is mutex `i + 1`. Every process takes the lock count from the header it reads, so the
/// creator and every opener agree on it.
public final class SHMLockManager: LockManager {
    public let segment: any MutexSegment
    /// The rounded number of locks, as stored in the segment.
    public let numLocks: UInt32
    public var type: LockType { .shm }
    public var capacity: UInt32? { numLocks }
    /// Whether this process created the segment (so it started empty).
    public let wasCreated: Bool
    /// The historical bugs put back in this manager (simulation only).
    let injectedBugs: InjectedBugs

    static let magic: UInt32 = 0x7064_7274  // "pdrt"
    static let layoutVersion: UInt32 = 2
    /// Four words (magic, version, count, owner length), then the owner's bytes; the bitmap follows.
    public static let headerSize = 256
    static let ownerCapacity = headerSize - 16

    /// `num_locks` rounded up to a multiple of 32, the size every process uses.
    public static func rounded(_ numLocks: UInt32) -> UInt32 { (numLocks + 31) / 32 * 32 }

    init(segment: any MutexSegment, numLocks: UInt32, wasCreated: Bool, bugs: InjectedBugs = []) {
        self.segment = segment
        self.numLocks = numLocks
        self.wasCreated = wasCreated
        injectedBugs = bugs
    }

    // MARK: The bitmap, always under mutex 0.

    private func withBitmap<T>(_ body: () throws -> T) throws -> T {
        _ = try segment.lock(0)
        defer { try? segment.unlock(0) }
        return try body()
    }

    private func word(_ index: Int) throws -> UInt32 {
        var value: UInt32 = 0
        try withUnsafeMutableBytes(of: &value) { try segment.readData(at: Self.headerSize + index * 4, into: $0) }
        return value
    }

    private func setWord(_ index: Int, _ value: UInt32) throws {
        try withUnsafeBytes(of: value) { try segment.writeData(at: Self.headerSize + index * 4, $0) }
    }

    private func check(_ id: UInt32) throws {
        guard id < numLocks else { throw LockError.outOfRange(id, numLocks: numLocks) }
    }

    public func allocate() throws -> UInt32 {
        try withBitmap {
            for index in 0..<Int(numLocks / 32) {
                let bits = try word(index)
                guard bits != .max else { continue }
                let bit = (~bits).trailingZeroBitCount
                if !injectedBugs.contains(.duplicateLockIDs) { try setWord(index, bits | (1 << bit)) }  // BugInjection: #3381
                return UInt32(index * 32 + bit)
            }
            throw LockError.exhausted(numLocks: numLocks)
        }
    }

    public func allocateGiven(_ id: UInt32) throws {
        try check(id)
        try withBitmap {
            let bits = try word(Int(id / 32))
            let mask: UInt32 = 1 << (id % 32)
            guard bits & mask == 0 else { throw LockError.alreadyAllocated(id) }
            try setWord(Int(id / 32), bits | mask)
        }
    }

    /// One pass over the bitmap under one hold of the segment mutex.
    public func allocateGiven(_ ids: [UInt32]) throws -> [(id: UInt32, error: LockError)] {
        try withBitmap {
            var words = [UInt32](repeating: 0, count: Int(numLocks / 32))
            try words.withUnsafeMutableBytes { try segment.readData(at: Self.headerSize, into: $0) }
            var failures: [(id: UInt32, error: LockError)] = []
            for id in ids {
                guard id < numLocks else { failures.append((id, .outOfRange(id, numLocks: numLocks))); continue }
                let mask: UInt32 = 1 << (id % 32)
                if words[Int(id / 32)] & mask != 0 { failures.append((id, .alreadyAllocated(id))); continue }
                words[Int(id / 32)] |= mask
            }
            try words.withUnsafeBytes { try segment.writeData(at: Self.headerSize, $0) }
            return failures
        }
    }

    public func retrieve(_ id: UInt32) throws -> any ObjectLock {
        try check(id)
        return SHMObjectLock(id: id, segment: segment)
    }

    public func free(_ id: UInt32) throws {
        try check(id)
        try withBitmap {
            let bits = try word(Int(id / 32))
            let mask: UInt32 = 1 << (id % 32)
            guard bits & mask != 0 else { throw LockError.notAllocated(id) }
            try setWord(Int(id / 32), bits & ~mask)
        }
    }

    public func freeAll() throws {
        try withBitmap {
            let zeros = [UInt8](repeating: 0, count: Int(numLocks / 8))
            try zeros.withUnsafeBytes { try segment.writeData(at: Self.headerSize, $0) }
        }
    }

    public func allocated() throws -> [UInt32] {
        try withBitmap {
            var words = [UInt32](repeating: 0, count: Int(numLocks / 32))
            try words.withUnsafeMutableBytes { try segment.readData(at: Self.headerSize, into: $0) }
            var ids: [UInt32] = []
            for (index, bits) in words.enumerated() where bits != 0 {
                for bit in 0..<32 where bits & (1 << bit) != 0 { ids.append(UInt32(index * 32 + bit)) }
            }
            return ids
        }
    }

    public func available() throws -> UInt32? { numLocks - UInt32(try allocated().count) }

    public func locksHeld() throws -> [UInt32] {
        try (0..<numLocks).filter { id in
            do {
                guard let _ = try segment.tryLock(Int(id) + 1) else { return true }
            } catch Errno.deadlock {
                return true  // this process holds it
            }
            try segment.unlock(Int(id) + 1)
            return false
        }
    }
}

/// Lock `id` is mutex `id + 1` of the segment.
struct SHMObjectLock: ObjectLock {
    let id: UInt32
    let segment: any MutexSegment

    func lock() throws -> MutexAcquisition { try segment.lock(Int(id) + 1) }
    func unlock() throws { try segment.unlock(Int(id) + 1) }
}
