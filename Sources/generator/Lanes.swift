// The writer's helper thread: detached, because the pipeline itself waits for it to finish.
import CSupport
import Glibc

private final class Work {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// Starts `body` on a thread of its own, on `cpu` only when given; false if the thread could not be made.
func startThread(cpu: Int?, _ body: @escaping @Sendable () -> Void) -> Bool {
    let box = Unmanaged.passRetained(Work(body)).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    if let cpu { _ = csupport_attr_set_cpu(&attributes, Int32(cpu)) }
    var thread = pthread_t()
    let started = pthread_create(&thread, &attributes, { context in
        Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
        return nil
    }, box)
    if started != 0 { Unmanaged<Work>.fromOpaque(box).release() }
    return started == 0
}
