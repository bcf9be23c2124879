import CSupport
import Glibc

/// Detached threads for the host world: the generator's writing helper and the simulation's seed workers.
public enum HostThread {
    private final class Work {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Starts `body` on a detached thread of its own, on `cpu` only when given, with `stackSize` bytes of
    /// stack when given. Returns false (and `body` never runs) if the thread could not be made.
    public static func start(cpu: Int? = nil, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(Work(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        if let stackSize { pthread_attr_setstacksize(&attributes, stackSize) }
        if let cpu { _ = csupport_attr_set_cpu(&attributes, Int32(cpu)) }
        var thread = pthread_t()
        let started = pthread_create(&thread, &attributes, { context in
            Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, box)
        if started != 0 { Unmanaged<Work>.fromOpaque(box).release() }
        return started == 0
    }
}
