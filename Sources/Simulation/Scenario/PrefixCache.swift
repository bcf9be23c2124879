import Core
import Podrt
import SimFS
import Synchronization

/// What the steps before `snapshot` leave: the machine and the harness's bookkeeping.
struct PrefixState {
    var world: SimSnapshot
    var ledger: Ledger
    var config: RuntimeConfig
    var commandLine: String?
    var violation: Violation?
    var lastReading: DatabaseReading?
}

/// Computes a scenario's prefix once per set of bugs put back, for every seed and worker thread (the prefix
/// runs the same code as the seeds: a hunt's prefix has the bug, its control runs' prefix has not).
final class PrefixCache {
    private let lock = Mutex(())
    private var saved: [BugSwitches: PrefixState] = [:]

    func state(bugs: BugSwitches, _ make: () -> PrefixState) -> PrefixState {
        lock.withLock {
            if let state = saved[bugs] { return state }
            let made = make()
            saved[bugs] = made
            return made
        }
    }
}

// PrefixCache: guarded by `lock`.
extension PrefixCache: @unchecked Sendable {}
