import Core
/// Opening, creating and rebuilding the SHM lock segment.
extension SHMLockManager {
    /// Opens the segment at `path` for the store `store` (its static dir), creating it when missing. A
    /// segment of another size or layout is an error that advises renumbering, unless `rebuildIfMismatched`,
    /// when it is replaced by a fresh one. A segment another store recorded as its own is always refused:
    /// rebuilding it would free that store's locks.
    public static func open(
        mutexes: any MutexSegments, clock: any MachineClock, path: String, numLocks configured: UInt32,
        store: String, rebuildIfMismatched: Bool = false
    ) throws -> SHMLockManager {
        try open(mutexes: mutexes, clock: clock, path: path, numLocks: configured, store: store,
                 rebuildIfMismatched: rebuildIfMismatched, bugs: [])
    }

    /// `open` with historical bugs put back (the runtime passes its own set).
    static func open(
        mutexes: any MutexSegments, clock: any MachineClock, path: String, numLocks configured: UInt32,
        store: String, rebuildIfMismatched: Bool, bugs: InjectedBugs
    ) throws -> SHMLockManager {
        let wanted = rounded(configured)
        let owner = ownerRecord(store)
        var unreadable = 0
        for _ in 0..<200 {
            let segment: any MutexSegment
            do {
                segment = try mutexes.open(path)
            } catch Errno.noSuchFileOrDirectory {
                do {
                    return try create(mutexes: mutexes, path: path, numLocks: wanted, owner: owner, bugs: bugs)
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
            case let .valid(_, recorded) where recorded != owner:
                segment.close()
                throw LockError.segmentOfAnotherStore(path: path, owner: String(decoding: recorded, as: UTF8.self),
                                                      store: store)
            case let .valid(found, _) where found == wanted:
                let count = bugs.contains(.openerUsesConfiguredCount) ? configured : found  // BugInjection: rounding
                return SHMLockManager(segment: segment, numLocks: count, wasCreated: false, bugs: bugs)
            case let .valid(found, _):
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

    static func removeIfPresent(_ mutexes: any MutexSegments, _ path: String) throws {
        do { try mutexes.remove(path) } catch Errno.noSuchFileOrDirectory {}
    }

    /// The owner as the header records it: the store's static dir, or when longer than the field, `fnv:` and
    /// its hash.
    static func ownerRecord(_ store: String) -> [UInt8] {
        let bytes = Array(store.utf8)
        return bytes.count <= ownerCapacity ? bytes : Array(("fnv:" + RuntimeConfig.storeHash(store)).utf8)
    }

    static func create(mutexes: any MutexSegments, path: String, numLocks: UInt32, owner: [UInt8],
                       bugs: InjectedBugs = []) throws -> SHMLockManager {
        let segment = try mutexes.create(path, mutexCount: Int(numLocks) + 1,
                                         dataSize: headerSize + Int(numLocks / 8))
        _ = try segment.lock(0)
        defer { try? segment.unlock(0) }
        // The owner first: an opener that sees the magic sees the owner too (both under mutex 0 anyway).
        try owner.withUnsafeBytes { try segment.writeData(at: 16, $0) }
        let header = [magic, layoutVersion, numLocks, UInt32(owner.count)]
        try header.withUnsafeBytes { try segment.writeData(at: 0, $0) }
        return SHMLockManager(segment: segment, numLocks: numLocks, wasCreated: true, bugs: bugs)
    }

    enum Header { case uninitialised, valid(UInt32, owner: [UInt8]), invalid(String) }

    static func readHeader(_ segment: any MutexSegment) throws -> Header {
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
        guard header[3] <= UInt32(ownerCapacity) else { return .invalid("owner record too long") }
        var owner = [UInt8](repeating: 0, count: Int(header[3]))
        try owner.withUnsafeMutableBytes { try segment.readData(at: 16, into: $0) }
        return .valid(count, owner: owner)
    }
}
