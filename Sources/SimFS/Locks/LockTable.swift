/// One process-shared mutex in the lock table.
final class MutexState {
    var owner: SimProcess?
    /// The last owner died holding it: the next locker gets `.ownerDied`.
    var ownerDied = false
}

/// A mutex segment: tied to the inode of its file (in `/dev/shm` normally), with side storage for the
/// mutexes and the data area. It vanishes with the inode (at a reboot, as tmpfs is wiped).
final class SegmentState {
    let inode: UInt64
    let mutexes: [MutexState]
    var data: [UInt8]

    init(inode: UInt64, mutexCount: Int, dataSize: Int) {
        self.inode = inode
        self.mutexes = (0..<mutexCount).map { _ in MutexState() }
        self.data = [UInt8](repeating: 0, count: dataSize)
    }
}

/// A deadlock the world refused: `pid` would have waited and closed the cycle `cycle` of the wait-for graph.
public struct DeadlockReport: Hashable, Sendable, CustomStringConvertible {
    public var pid: ProcessID
    public var cycle: [ProcessID]
    public var op: SimOp
    public var description: String {
        "deadlock: \(pid) at \(op), cycle " + cycle.map(\.description).joined(separator: " -> ")
    }
}

extension SimWorld {
    /// The processes `target` waits for (possibly the waiter itself, through another open file).
    func owners(of target: WaitTarget) -> [SimProcess] {
        switch target {
        case .mutex(let mutex):
            return mutex.owner.map { [$0] } ?? []
        case .flock(let node, let exclusive):
            var result: [SimProcess] = []
            if let holder = node.exclusiveHolder { result.append(holder.owner) }
            if exclusive {
                for holder in node.sharedHolders { result.append(holder.owner) }
            }
            return result
        case .child(let child):
            return child.finished ? [] : [child]
        }
    }

    /// The cycle `waiter` would close by waiting for `target`, if any: `waiter`, then who it waits for, ...
    func cycle(from waiter: SimProcess, waitingFor target: WaitTarget) -> [ProcessID]? {
        var path: [SimProcess] = [waiter]
        var visited: Set<Int32> = []
        func search(_ target: WaitTarget) -> Bool {
            for next in owners(of: target) {
                if next === waiter { return true }
                if visited.contains(next.pid.rawValue) { continue }
                visited.insert(next.pid.rawValue)
                guard let nextTarget = next.waitingFor else { continue }
                path.append(next)
                if search(nextTarget) { return true }
                path.removeLast()
            }
            return false
        }
        return search(target) ? path.map(\.pid) : nil
    }

    /// Waits for `target` on behalf of `process` until `ready()` holds. Throws EDEADLK (and records a
    /// report) if waiting would close a wait-for cycle, `ProcessKilled` if the process is killed meanwhile.
    func block(_ process: SimProcess, on target: WaitTarget, op: SimOp, until ready: () -> Bool) throws {
        while !ready() {
            if let cycle = cycle(from: process, waitingFor: target) {
                deadlockReports.append(DeadlockReport(pid: process.pid, cycle: cycle, op: op))
                throw Errno.deadlock
            }
            process.waitingFor = target
            defer { process.waitingFor = nil }
            try waitForChange(process)
        }
    }

    /// A cycle in the wait-for graph of the processes now blocked, if there is one.
    public func waitForCycle() -> [ProcessID]? {
        lock.withLock {
            for process in processes.values.sorted(by: { $0.pid < $1.pid }) {
                guard let target = process.waitingFor else { continue }
                if let cycle = cycle(from: process, waitingFor: target) { return cycle }
            }
            return nil
        }
    }

    /// Whether `pid` is inside a call that must wait for another process and still has to.
    public func isWaiting(_ pid: ProcessID) -> Bool {
        lock.withLock {
            guard let process = processes[pid.rawValue], let target = process.waitingFor else { return false }
            return !owners(of: target).isEmpty
        }
    }

    /// Deadlocks refused so far (each blocking call that would have closed a cycle got EDEADLK).
    public var deadlocks: [DeadlockReport] { lock.withLock { deadlockReports } }
}

// Segment handles of several processes share one state; it is only touched under the world lock.
extension SegmentState: @unchecked Sendable {}
