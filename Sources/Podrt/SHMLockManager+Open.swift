import Core
/// Opening, creating and rebuilding the SHM lock segment.
extension SHMLockManager {
    /// Opens the segment at `path`, creating it when missing. A segment of another size or layout is an
    /// error that advises renumbering, unless `rebuildIfMismatched`, when it is replaced by a fresh one.
    public static func open(
        mutexes: any MutexSegments, clock: any MachineClock, path: String, numLocks configured: UInt32,
        rebuildIfMismatched: Bool = false
    ) throws -> SHMLockManager {
        try open(mutexes: mutexes, clock: clock, path: path, numLocks: configured,
                 rebuildIfMismatched: rebuildIfMismatched, bugs: [])
    }

    /// `open` with historical bugs put back (the runtime passes its own set).
    static func open(
        mutexes: any MutexSegments, clock: any MachineClock, path: String, numLocks configured: UInt32,
        rebuildIfMismatched: Bool, bugs: InjectedBugs
    ) throws -> SHMLockManager {
        let wanted = rounded(configured)
        var unreadable = 0
        for _ in 0..<200 {
            let segment: any MutexSegment
            do {
                segment = try mutexes.open(path)
            } catch Errno.noSuchFileOrDirectory {
                do {
                    return try create(mutexes: mutexes, path: path, numLocks: wanted, bugs: bugs)
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
                let count = bugs.contains(.openerUsesConfiguredCount) ? configured : found  // BugInjection: rounding
                return SHMLockManager(segment: segment, numLocks: count, wasCreated: false, bugs: bugs)
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

    static func create(mutexes: any MutexSegments, path: String, numLocks: UInt32,
                       bugs: InjectedBugs = []) throws -> SHMLockManager {
        let segment = try mutexes.create(path, mutexCount: Int(numLocks) + 1,
                                         dataSize: headerSize + Int(numLocks / 8))
        _ = try segment.lock(0)
        defer { try? segment.unlock(0) }
        let header = [magic, layoutVersion, numLocks, 0]
        try header.withUnsafeBytes { try segment.writeData(at: 0, $0) }
        return SHMLockManager(segment: segment, numLocks: numLocks, wasCreated: true, bugs: bugs)
    }

    enum Header { case uninitialised, valid(UInt32), invalid(String) }

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
        return .valid(count)
    }
}
