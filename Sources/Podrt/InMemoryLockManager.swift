import Core
import Synchronization

/// Locks that live in this process only: for tests that need no shared state between processes.
public final class InMemoryLockManager: LockManager {
    public let numLocks: UInt32
    let clock: any MachineClock
    private let state: Mutex<(allocated: [Bool], held: [Bool])>
    public var type: LockType { .shm }
    public var capacity: UInt32? { numLocks }

    public init(numLocks: UInt32, clock: any MachineClock) {
        self.numLocks = numLocks
        self.clock = clock
        state = Mutex((allocated: Array(repeating: false, count: Int(numLocks)),
                       held: Array(repeating: false, count: Int(numLocks))))
    }

    private func check(_ id: UInt32) throws {
        guard id < numLocks else { throw LockError.outOfRange(id, numLocks: numLocks) }
    }

    public func allocate() throws -> UInt32 {
        let id = state.withLock { state -> Int? in
            guard let index = state.allocated.firstIndex(of: false) else { return nil }
            state.allocated[index] = true
            return index
        }
        guard let id else { throw LockError.exhausted(numLocks: numLocks) }
        return UInt32(id)
    }

    public func allocateGiven(_ id: UInt32) throws {
        try check(id)
        let taken = state.withLock { state -> Bool in
            defer { state.allocated[Int(id)] = true }
            return state.allocated[Int(id)]
        }
        if taken { throw LockError.alreadyAllocated(id) }
    }

    public func retrieve(_ id: UInt32) throws -> any ObjectLock {
        try check(id)
        return InMemoryObjectLock(id: id, manager: self)
    }

    public func free(_ id: UInt32) throws {
        try check(id)
        let was = state.withLock { state -> Bool in
            defer { state.allocated[Int(id)] = false }
            return state.allocated[Int(id)]
        }
        if !was { throw LockError.notAllocated(id) }
    }

    public func freeAll() throws {
        state.withLock { $0.allocated = Array(repeating: false, count: Int(numLocks)) }
    }

    public func available() throws -> UInt32? {
        UInt32(state.withLock { $0.allocated.filter { !$0 }.count })
    }

    public func allocated() throws -> [UInt32] {
        state.withLock { state in state.allocated.indices.filter { state.allocated[$0] }.map(UInt32.init) }
    }

    public func locksHeld() throws -> [UInt32] {
        state.withLock { state in state.held.indices.filter { state.held[$0] }.map(UInt32.init) }
    }

    func tryTake(_ id: UInt32) -> Bool {
        state.withLock { state in
            if state.held[Int(id)] { return false }
            state.held[Int(id)] = true
            return true
        }
    }

    func release(_ id: UInt32) throws {
        let was = state.withLock { state -> Bool in
            defer { state.held[Int(id)] = false }
            return state.held[Int(id)]
        }
        if !was { throw Errno.notPermitted }
    }
}

struct InMemoryObjectLock: ObjectLock {
    let id: UInt32
    let manager: InMemoryLockManager

    func lock() throws -> MutexAcquisition {
        while !manager.tryTake(id) {
            try manager.clock.sleep(until: manager.clock.monotonicNow().advanced(byNanoseconds: 100_000))
        }
        return .acquired
    }

    func unlock() throws { try manager.release(id) }
}
