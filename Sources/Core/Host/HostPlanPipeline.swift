// Writing while the planner is still planning, on more than one thread. Nearly all of a large run is the
// kernel making files, so a helper thread starts writing entries as soon as they are planned; when planning
// ends, the planner's thread joins in. Writers take entries in plan order; an entry waits for the earlier
// entries it shares a path with (`PlanDependencies`), so the tree and the messages are the serial ones.
import Glibc

/// A `PlanSink` for the host: entries are written by helper threads while planning goes on.
public final class HostPlanPipeline: PlanSink, @unchecked Sendable {
    /// Starts `body` on a new thread; false if it could not.
    public typealias ThreadStarter = (@escaping @Sendable () -> Void) -> Bool

    /// The helpers start when this many entries are planned: below it a thread costs more than it gives.
    public static let entriesBeforeHelpers = 8

    private let fileSystem: any FileSystem
    private let helpers: Int
    private let startThread: ThreadStarter
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Below: touched only with `mutex` held.
    private var entries: [PlanEntry] = []
    private var waits: [[Int]] = []
    private var outcomes: [(messages: [LogMessage], succeeded: Bool)?] = []
    private var next = 0
    private var planning = true
    /// Helpers that have begun and not yet stopped taking entries.
    private var helpersRunning = 0
    private var started = false
    /// Every entry is written: a helper that begins now leaves at once.
    private var ended = false
    // The planner's thread only.
    private var dependencies = PlanDependencies()

    /// `helpers` threads besides the planner's, started through `startThread`.
    public init(fileSystem: any FileSystem, helpers: Int, startThread: @escaping ThreadStarter) {
        self.fileSystem = fileSystem
        self.helpers = helpers
        self.startThread = startThread
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    public func planned(_ entry: PlanEntry) {
        let entryWaits = dependencies.add(entry)
        pthread_mutex_lock(mutex)
        entries.append(entry)
        waits.append(entryWaits)
        outcomes.append(nil)
        let startNow = !started && entries.count >= Self.entriesBeforeHelpers
        if startNow { started = true }
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        if startNow { startHelpers() }
    }

    public func finish() -> (messages: [LogMessage], failed: Bool) {
        pthread_mutex_lock(mutex)
        planning = false
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        write(lane: 1)
        pthread_mutex_lock(mutex)
        ended = true
        while helpersRunning > 0 { pthread_cond_wait(changed, mutex) }
        let results = outcomes
        pthread_mutex_unlock(mutex)
        var messages: [LogMessage] = []
        var failed = false
        for outcome in results {
            // Every entry is taken by some writer before the writers stop; a hole would be a bug here.
            guard let outcome else { preconditionFailure("HostPlanPipeline: an entry was not written") }
            messages += outcome.messages
            if !outcome.succeeded { failed = true }
        }
        return (messages, failed)
    }

    private func startHelpers() {
        for lane in 0..<helpers {
            _ = startThread { [self] in
                pthread_mutex_lock(mutex)
                // Planning and writing ended before this thread could run: nothing to do, nobody waits.
                if ended {
                    pthread_mutex_unlock(mutex)
                    return
                }
                helpersRunning += 1
                pthread_mutex_unlock(mutex)
                write(lane: lane + 2)
                pthread_mutex_lock(mutex)
                helpersRunning -= 1
                pthread_cond_broadcast(changed)
                pthread_mutex_unlock(mutex)
            }
        }
    }

    /// Takes entries in plan order until none are left and planning has ended.
    private func write(lane: Int) {
        var writer = PlanWriter(fileSystem: fileSystem, lane: lane)
        pthread_mutex_lock(mutex)
        while true {
            while next == entries.count && planning { pthread_cond_wait(changed, mutex) }
            if next == entries.count { break }
            let index = next
            next += 1
            while waits[index].contains(where: { outcomes[$0] == nil }) { pthread_cond_wait(changed, mutex) }
            let entry = entries[index]
            pthread_mutex_unlock(mutex)
            var messages: [LogMessage] = []
            let succeeded = writer.apply(entry, messages: &messages)
            pthread_mutex_lock(mutex)
            outcomes[index] = (messages, succeeded)
            pthread_cond_broadcast(changed)
        }
        pthread_mutex_unlock(mutex)
    }
}
