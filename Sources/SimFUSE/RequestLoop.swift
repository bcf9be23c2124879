import CFuse3
import Glibc
import Synchronization

/// Threads still running, shared with them.
final class ThreadCount: Sendable {
    let running = Atomic<Int>(0)
}

/// A pthread mutex for the two threads that take turns on a `FUSEServer` (requests and control commands).
final class ServeLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(mutex, nil) }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// The request thread: libfuse's single-threaded loop (`fuse_session_loop`), each request run under the
/// lock, optionally polling `spinNanoseconds` for the next request before sleeping in `read` again. When
/// it ends (the mount is gone, or a signal set the session's exit flag) it writes a byte to `wakeFD`.
struct RequestLoop: @unchecked Sendable {
    let session: SessionHandle
    let lock: ServeLock
    let server: FUSEServer
    let spinNanoseconds: UInt64
    let wakeFD: Int32

    func run() {
        let session = session.pointer
        let fuseFD = fuse_session_fd(session)
        let buffer = simfuse_buf_new()!
        defer { simfuse_buf_free(buffer) }
        var spinUntil: UInt64 = 0
        while fuse_session_exited(session) == 0 {
            if spinUntil != 0 {
                var device = pollfd(fd: fuseFD, events: Int16(POLLIN), revents: 0)
                if poll(&device, 1, 0) == 0 {
                    if FUSEMount.now() >= spinUntil { spinUntil = 0 }
                    continue
                }
            }
            let received = fuse_session_receive_buf(session, buffer)
            if received == -EINTR || received == -EAGAIN { continue }
            if received <= 0 { break }
            lock.withLock { fuse_session_process_buf(session, buffer) }
            if spinNanoseconds > 0 { spinUntil = FUSEMount.now() &+ spinNanoseconds }
        }
        fuse_session_exit(session)
        var byte: UInt8 = 1
        _ = write(wakeFD, &byte, 1)
    }
}
