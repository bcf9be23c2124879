import Core
import Glibc

/// A pthread mutex: what the worker threads of a seed batch share (the seed queue, the prefix cache, the fiber
/// pool) and the guard of each scheduler against other threads. Plain pthreads, so no Foundation, no real clock.
final class SchedulerLock {
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
}

/// One thread's wake-up signal, used with a `SchedulerLock` (the batch's end).
final class Gate {
    let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() { pthread_cond_init(condition, nil) }
    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
    }

    func wait(_ lock: SchedulerLock) { pthread_cond_wait(condition, lock.mutex) }
    func signal() { pthread_cond_signal(condition) }
}

/// Starts a detached thread running `body` (a seed batch's worker).
func startThread(_ body: @escaping @Sendable () -> Void) {
    precondition(HostThread.start(stackSize: 2 << 20, body), "bootsim: cannot start a worker thread")
}

// pthread mutexes and condition variables are made to be shared between threads.
extension SchedulerLock: @unchecked Sendable {}
extension Gate: @unchecked Sendable {}
