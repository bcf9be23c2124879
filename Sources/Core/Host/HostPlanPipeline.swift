// Writing while the planner is still planning, on more than one thread. Nearly all of a large run is the
// kernel making files, so a helper thread starts writing entries as soon as they are planned; when planning
// ends, the planner's thread joins in. Writers take entries in plan order; an entry waits for the earlier
// entries it shares a path with (`PlanDependencies`), so the tree and the messages are the serial ones.

/// A `PlanSink` for the host: entries are written by helper threads while planning goes on.
public final class HostPlanPipeline: PlanSink, @unchecked Sendable {
    /// Starts `body` on a new thread; false if it could not.
    public typealias ThreadStarter = (@escaping @Sendable () -> Void) -> Bool

    /// The helpers start when this many entries are planned: below it a thread costs more than it gives.
    public static let entriesBeforeHelpers = 8

    private let fileSystem: any FileSystem
    private let helpers: Int
    private let startThread: ThreadStarter
    private let monitor = Monitor()
    // Below: touched only inside `monitor`.
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
    }

    public func planned(_ entry: PlanEntry) {
        let entryWaits = dependencies.add(entry)
        let startNow = monitor.withLock {
            entries.append(entry)
            waits.append(entryWaits)
            outcomes.append(nil)
            let startNow = !started && entries.count >= Self.entriesBeforeHelpers
            if startNow { started = true }
            monitor.broadcast()
            return startNow
        }
        if startNow { startHelpers() }
    }

    public func finish() -> (messages: [LogMessage], failed: Bool) {
        monitor.withLock {
            planning = false
            monitor.broadcast()
        }
        write(lane: 1)
        let results = monitor.withLock {
            ended = true
            monitor.wait { helpersRunning == 0 }
            return outcomes
        }
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
                // Planning and writing ended before this thread could run: nothing to do, nobody waits.
                let begun = monitor.withLock {
                    if ended { return false }
                    helpersRunning += 1
                    return true
                }
                guard begun else { return }
                write(lane: lane + 2)
                monitor.withLock {
                    helpersRunning -= 1
                    monitor.broadcast()
                }
            }
        }
    }

    /// Takes entries in plan order until none are left and planning has ended.
    private func write(lane: Int) {
        var writer = PlanWriter(fileSystem: fileSystem, lane: lane)
        while let (index, entry) = take() {
            var messages: [LogMessage] = []
            let succeeded = writer.apply(entry, messages: &messages)
            monitor.withLock {
                outcomes[index] = (messages, succeeded)
                monitor.broadcast()
            }
        }
    }

    /// The next entry in plan order once the earlier entries it waits for are written; nil when none is left
    /// and planning has ended.
    private func take() -> (Int, PlanEntry)? {
        monitor.withLock {
            monitor.wait { next < entries.count || !planning }
            if next == entries.count { return nil }
            let index = next
            next += 1
            monitor.wait { !waits[index].contains { outcomes[$0] == nil } }
            return (index, entries[index])
        }
    }
}
