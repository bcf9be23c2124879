import CFuse3
import Glibc
import Synchronization

/// A name the kernel may have cached: `name` in the directory node `parent`.
struct CachedName: Sendable {
    var parent: UInt64
    var name: String
}

/// The session pointer for the invalidation thread. libfuse's notify calls may be made from any thread;
/// the session outlives every such thread (see `Invalidator.running`).
struct SessionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// Drops the kernel's cached names (and attributes) after a reboot, and when a fault rule or a pause is
/// set, so that the requests they count reach the server. `fuse_lowlevel_notify_inval_entry` takes
/// the parent directory's lock, which a process waiting for a reply may hold, so it runs on its own thread
/// while the loop keeps serving; `then` runs (answering the control client) once every name is dropped.
final class Invalidator: Sendable {
    /// Threads still running; the session is not destroyed while any is.
    let running = Atomic<Int>(0)

    func start(_ session: SessionHandle, _ names: [CachedName], attributesOf nodes: [UInt64],
               then: @escaping @Sendable () -> Void) {
        running.add(1, ordering: .sequentiallyConsistent)
        let work = ThreadWork { [self] in
            for entry in names {
                _ = fuse_lowlevel_notify_inval_entry(session.pointer, entry.parent, entry.name, entry.name.utf8.count)
            }
            // Attributes only (offset -1): no page cache, so no page locks are taken.
            for node in nodes { _ = fuse_lowlevel_notify_inval_inode(session.pointer, node, -1, 0) }
            then()
            running.subtract(1, ordering: .sequentiallyConsistent)
        }
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { argument in
            Unmanaged<ThreadWork>.fromOpaque(argument!).takeRetainedValue().body()
            return nil
        }, Unmanaged.passRetained(work).toOpaque())
        if started == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<ThreadWork>.fromOpaque(Unmanaged.passUnretained(work).toOpaque()).release()
            work.body()
        }
    }

    var isIdle: Bool { running.load(ordering: .sequentiallyConsistent) == 0 }
}

/// A closure handed to a new thread.
final class ThreadWork: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
