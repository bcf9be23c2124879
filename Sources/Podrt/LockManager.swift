import Core
/// The lock of one container, pod or volume, shared by every process that uses the same lock manager.
public protocol ObjectLock: Sendable {
    var id: UInt32 { get }
    /// Blocks until the lock is taken. `.ownerDied` when its previous holder died holding it.
    @discardableResult func lock() throws -> MutexAcquisition
    func unlock() throws
}

/// Hands out lock numbers and the locks behind them (podman's `lock.Manager`).
public protocol LockManager: AnyObject, Sendable {
    var type: LockType { get }
    /// How many locks exist; nil when unbounded (file locks).
    var capacity: UInt32? { get }
    /// Reserves the lowest free lock number.
    func allocate() throws -> UInt32
    /// Reserves `id`; `LockError.alreadyAllocated` if it is taken, `.outOfRange` if it does not exist.
    func allocateGiven(_ id: UInt32) throws
    /// Reserves many given ids at once (refresh); returns the ids that failed, with why. A requirement, so
    /// a manager's one-pass version is what a call through `any LockManager` runs.
    func allocateGiven(_ ids: [UInt32]) throws -> [(id: UInt32, error: LockError)]
    /// The lock behind `id`, whether or not it is allocated.
    func retrieve(_ id: UInt32) throws -> any ObjectLock
    /// Releases `id`; `LockError.notAllocated` if it was free.
    func free(_ id: UInt32) throws
    /// Releases every lock number (refresh and renumber only).
    func freeAll() throws
    /// How many numbers are free; nil when unbounded.
    func available() throws -> UInt32?
    /// The allocated numbers, ascending.
    func allocated() throws -> [UInt32]
    /// The lock numbers some process holds right now.
    func locksHeld() throws -> [UInt32]
}

extension LockManager {
    /// One `allocateGiven(_:)` per id, for managers with nothing cheaper.
    public func allocateGiven(_ ids: [UInt32]) throws -> [(id: UInt32, error: LockError)] {
        var failures: [(id: UInt32, error: LockError)] = []
        for id in ids {
            do { try allocateGiven(id) } catch let error as LockError { failures.append((id, error)) }
        }
        return failures
    }
}

/// Lock manager errors.
public enum LockError: Error, Hashable, Sendable, CustomStringConvertible {
    case exhausted(numLocks: UInt32)
    case alreadyAllocated(UInt32)
    case notAllocated(UInt32)
    case outOfRange(UInt32, numLocks: UInt32)
    /// The segment was created for a different number of locks.
    case segmentSizeMismatch(path: String, segmentLocks: UInt32, configuredLocks: UInt32, roundedLocks: UInt32)
    /// The segment is not one of ours, or from another layout version.
    case segmentLayout(path: String, detail: String)
    /// The segment records another store as its owner.
    case segmentOfAnotherStore(path: String, owner: String, store: String)

    public var description: String {
        switch self {
        case let .exhausted(numLocks): return "allocation failed; exceeded num_locks (\(numLocks))"
        case let .alreadyAllocated(id): return "lock \(id) is already allocated"
        case let .notAllocated(id): return "lock \(id) is not allocated"
        case let .outOfRange(id, numLocks): return "lock ID \(id) is too large: num_locks is \(numLocks)"
        case let .segmentSizeMismatch(path, segmentLocks, configuredLocks, roundedLocks):
            return "lock segment \(path) holds \(segmentLocks) locks but num_locks is \(configuredLocks) "
                + "(\(roundedLocks) rounded up to a multiple of 32); run `podrt system renumber` to "
                + "rebuild it with the new size"
        case let .segmentLayout(path, detail):
            return "lock segment \(path) is unusable (\(detail)); run `podrt system renumber` to rebuild it"
        case let .segmentOfAnotherStore(path, owner, store):
            return "lock segment \(path) belongs to the store at \(owner), not to this one at \(store); "
                + "give this store a segment of its own ([engine] lock_path, or leave it unset to derive one "
                + "from static_dir)"
        }
    }
}

/// Runs `body` holding `lock`.
public func withLock<T>(_ lock: any ObjectLock, _ body: () throws -> T) throws -> T {
    try lock.lock()
    defer { try? lock.unlock() }
    return try body()
}
