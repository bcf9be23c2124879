import Glibc
import Synchronization

// The two concurrency primitives of the package, and the only ones: `Mutex` (Synchronization's) for mutual
// exclusion, and `Monitor` when a thread must wait for another to change some state. Nothing else wraps
// pthreads (HostMutexSegment's process-shared robust mutexes are the seam's mutexes, not a lock of ours).

extension Mutex where Value == Void {
    /// `withLock` for a mutex that guards state kept beside it (a class's own properties) instead of inside.
    @inline(__always)
    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        try withLock { (_: inout Void) in try body() }
    }
}

/// A mutex with a condition variable: `withLock` runs a critical section, `wait(until:)` inside one sleeps
/// until another thread's `broadcast` makes the predicate true. pthread's, because `Mutex` has no condition.
package final class Monitor {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    @inline(__always)
    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Inside `withLock` only: sleeps (the lock released meanwhile) until `ready()` holds.
    @inline(__always)
    package func wait(until ready: () -> Bool) {
        while !ready() { pthread_cond_wait(condition, mutex) }
    }

    /// Inside `withLock` only: wakes every waiter to look at its predicate again.
    @inline(__always)
    package func broadcast() { pthread_cond_broadcast(condition) }
}

// A pthread mutex and condition variable are made to be shared between threads.
extension Monitor: @unchecked Sendable {}
