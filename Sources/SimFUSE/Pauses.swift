/// `pause --pid P --at-op N`: P's next N-1 requests run, and from the Nth on they are held unanswered
/// until `resume`, which runs them in arrival order.
struct Pauses {
    /// Requests still allowed before holding starts, per paused pid.
    private var allowance: [Int32: Int] = [:]
    private(set) var held: [Int32: [PendingRequest]] = [:]

    mutating func pause(_ pid: Int32, atOp n: Int) {
        allowance[pid] = max(n - 1, 0)
    }

    func isPaused(_ pid: Int32) -> Bool { allowance[pid] != nil }

    /// Whether a request of `pid` arriving now must be held; counts it against the allowance if not.
    mutating func shouldHold(_ pid: Int32) -> Bool {
        guard !allowance.isEmpty, let left = allowance[pid] else { return false }
        if left > 0 {
            allowance[pid] = left - 1
            return false
        }
        return true
    }

    mutating func hold(_ request: PendingRequest) {
        held[request.caller.pid, default: []].append(request)
    }

    /// Ends the pause of `pid`; its held requests, oldest first, to run now.
    mutating func resume(_ pid: Int32) -> [PendingRequest] {
        allowance[pid] = nil
        return held.removeValue(forKey: pid) ?? []
    }

    /// Ends every pause; all held requests (for a reboot, crash or unmount to answer).
    mutating func releaseAll() -> [PendingRequest] {
        allowance.removeAll()
        let all = held.values.flatMap { $0 }
        held.removeAll()
        return all
    }

    var descriptions: [String] {
        allowance.keys.sorted().map { pid in
            "paused pid=\(pid) held=\(held[pid]?.count ?? 0) before-hold=\(allowance[pid]!)"
        }
    }
}
