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

/// Computes a scenario's prefix once, for every seed and worker thread.
final class PrefixCache {
    private let lock = Mutex(())
    private var saved: PrefixState?

    func state(_ make: () -> PrefixState) -> PrefixState {
        lock.withLock {
            if let saved { return saved }
            let made = make()
            saved = made
            return made
        }
    }
}

// PrefixCache: guarded by `lock`.
extension PrefixCache: @unchecked Sendable {}
