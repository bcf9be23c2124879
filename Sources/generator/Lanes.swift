// Runs the writer's lanes on threads: the first on this thread, each other one on a thread of its own.
import Glibc

private final class Work {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// Calls every closure once, side by side, and returns when all have returned. A thread that cannot be
/// started is replaced by running its closure here.
func runOnThreads(_ work: [@Sendable () -> Void]) {
    guard let first = work.first else { return }
    var threads: [pthread_t] = []
    var inline: [@Sendable () -> Void] = []
    for body in work.dropFirst() {
        let box = Unmanaged.passRetained(Work(body)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
            work.body()
            return nil
        }, box)
        if started == 0 {
            threads.append(thread)
        } else {
            Unmanaged<Work>.fromOpaque(box).release()
            inline.append(body)
        }
    }
    first()
    inline.forEach { $0() }
    for thread in threads { pthread_join(thread, nil) }
}
