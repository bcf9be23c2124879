/// Locks in one shared-memory mutex segment (podman's SHM manager, laid out our own way).
///
/// The segment's data area holds a header — magic, layout version, and `num_locks` rounded up to a multiple
/// of 32, written once by the creator — followed by the allocation bitmap. Mutex 0 guards the bitmap; the
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

    static let magic: UInt32 = 0x7064_7274  // "pdrt"
    static let layoutVersion: UInt32 = 1
    static let headerSize = 16

    /// `num_locks` rounded up to a multiple of 32, the size every process uses.
    public static func rounded(_ numLocks: UInt32) -> UInt32 { (numLocks + 31) / 32 * 32 }

    init(segment: any MutexSegment, numLocks: UInt32, wasCreated: Bool) {
        self.segment = segment
        self.numLocks = numLocks
        self.wasCreated = wasCreated
    }

    /// Opens the segment at `path`, creating it when missing. A segment of another size or layout is an
    /// error that advises renumbering, unless `rebuildIfMismatched`, when it is replaced by a fresh one.
    public static func open(
        mutexes: any MutexSegments, clock: any MachineClock, path: String, numLocks configured: UInt32,
        rebuildIfMismatched: Bool = false
    ) throws -> SHMLockManager {
        let wanted = rounded(configured)
        var unreadable = 0
        for _ in 0..<200 {
            let segment: any MutexSegment
            do {
                segment = try mutexes.open(path)
            } catch Errno.noSuchFileOrDirectory {
                do {
                    return try create(mutexes: mutexes, path: path, numLocks: wanted)
                } catch Errno.fileExists {
                    continue  // another process created it first: open theirs
                }
            } catch Errno.badMessage {
                // Maybe a creator is still initialising it: look again a few times before judging.
                unreadable += 1
                if unreadable < 5 {
                    try clock.sleep(until: clock.monotonicNow().advanced(byNanoseconds: 2_000_000))
                    continue
                }
                guard rebuildIfMismatched else {
                    throw LockError.segmentLayout(path: path, detail: "not a lock segment of this layout")
                }
                try removeIfPresent(mutexes, path)
                continue
            }
            switch try readHeader(segment) {
            case .uninitialised:
                // The creator has not written the header yet; give it a moment.
                segment.close()
                try clock.sleep(until: clock.monotonicNow().advanced(byNanoseconds: 1_000_000))
            case let .valid(found) where found == wanted:
                let count = injected(.openerUsesConfiguredCount) ? configured : found  // BugInjection: rounding
                return SHMLockManager(segment: segment, numLocks: count, wasCreated: false)
            case let .valid(found):
                segment.close()
                guard rebuildIfMismatched else {
                    throw LockError.segmentSizeMismatch(path: path, segmentLocks: found, configuredLocks: configured,
                                                        roundedLocks: wanted)
                }
                try removeIfPresent(mutexes, path)
            case let .invalid(detail):
                segment.close()
                guard rebuildIfMismatched else { throw LockError.segmentLayout(path: path, detail: detail) }
                try removeIfPresent(mutexes, path)
            }
        }
        throw LockError.segmentLayout(path: path, detail: "its header was never written")
    }

    /// Removes the segment at `path` and creates a new, empty one.
    public static func rebuild(mutexes: any MutexSegments, path: String, numLocks: UInt32) throws -> SHMLockManager {
        try removeIfPresent(mutexes, path)
        return try create(mutexes: mutexes, path: path, numLocks: rounded(numLocks))
    }

    static func removeIfPresent(_ mutexes: any MutexSegments, _ path: String) throws {
        do { try mutexes.remove(path) } catch Errno.noSuchFileOrDirectory {}
    }

    private static func create(mutexes: any MutexSegments, path: String, numLocks: UInt32) throws -> SHMLockManager {
        let segment = try mutexes.create(path, mutexCount: Int(numLocks) + 1,
                                         dataSize: headerSize + Int(numLocks / 8))
        _ = try segment.lock(0)
        defer { try? segment.unlock(0) }
        let header = [magic, layoutVersion, numLocks, 0]
        try header.withUnsafeBytes { try segment.writeData(at: 0, $0) }
        return SHMLockManager(segment: segment, numLocks: numLocks, wasCreated: true)
    }

    private enum Header { case uninitialised, valid(UInt32), invalid(String) }

    private static func readHeader(_ segment: any MutexSegment) throws -> Header {
        guard segment.dataSize >= headerSize else { return .invalid("data area too small") }
        _ = try segment.lock(0)
        defer { try? segment.unlock(0) }
        var header = [UInt32](repeating: 0, count: 4)
        try header.withUnsafeMutableBytes { try segment.readData(at: 0, into: $0) }
        if header[0] == 0 && header[1] == 0 { return .uninitialised }
        guard header[0] == magic else { return .invalid("bad magic") }
        guard header[1] == layoutVersion else { return .invalid("layout version \(header[1])") }
        let count = header[2]
        guard count % 32 == 0, segment.mutexCount == Int(count) + 1,
              segment.dataSize >= headerSize + Int(count / 8)
        else { return .invalid("header and size disagree") }
        return .valid(count)
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
                if !injected(.duplicateLockIDs) { try setWord(index, bits | (1 << bit)) }  // BugInjection: #3381
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
            guard let _ = try segment.tryLock(Int(id) + 1) else { return true }
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
