/// A fault rule: calls of `op` (any op when nil) on paths matching `path` (a glob: `*` and `?` stay within
/// one path component, `**` crosses them) fail with an errno or take extra virtual time, on the `nth`
/// matching call, on every call, or with a seeded probability.
public struct FaultRule: Hashable, Sendable {
    public enum Trigger: Hashable, Sendable {
        /// Exactly the nth matching call, counting from 1.
        case nth(Int)
        /// Each matching call with this probability, drawn from the world's seeded fault stream.
        case probability(Double)
        /// Every matching call.
        case always
    }

    public enum Effect: Hashable, Sendable {
        /// The call fails with this errno and has no effect.
        case error(Errno)
        /// The call takes this many extra virtual nanoseconds, then runs.
        case latency(nanoseconds: UInt64)
    }

    public var op: SimOp?
    public var path: String
    public var trigger: Trigger
    public var effect: Effect
    /// Only calls of this process, when set.
    public var pid: ProcessID?

    public init(op: SimOp?, path: String = "**", trigger: Trigger, effect: Effect, pid: ProcessID? = nil) {
        self.op = op
        self.path = path
        self.trigger = trigger
        self.effect = effect
        self.pid = pid
    }
}

/// A rule with its count of matching calls so far.
struct ActiveFault {
    var id: Int
    var rule: FaultRule
    var matches: Int
}

extension SimWorld {
    /// Adds a rule; returns its id for `removeFault`.
    @discardableResult
    public func addFault(_ rule: FaultRule) -> Int {
        lock.withLock {
            let id = nextFaultID
            nextFaultID += 1
            faultRules.append(ActiveFault(id: id, rule: rule, matches: 0))
            return id
        }
    }

    public func removeFault(_ id: Int) {
        lock.withLock { faultRules.removeAll { $0.id == id } }
    }

    public func clearFaults() {
        lock.withLock { faultRules = [] }
    }

    public var faults: [FaultRule] { lock.withLock { faultRules.map(\.rule) } }

    /// Applies the rules to one call (lock held). Latency is added at once; the first errno is returned.
    func applyFaults(_ process: SimProcess, _ op: SimOp, _ path: String, _ path2: String) -> Errno? {
        var failure: Errno?
        for index in faultRules.indices {
            let rule = faultRules[index].rule
            if let wanted = rule.op, wanted != op { continue }
            if let pid = rule.pid, pid != process.pid { continue }
            guard globMatches(rule.path, path) || (!path2.isEmpty && globMatches(rule.path, path2)) else { continue }
            faultRules[index].matches += 1
            let fires: Bool
            switch rule.trigger {
            case .nth(let n): fires = faultRules[index].matches == n
            case .always: fires = true
            case .probability(let p): fires = faultRandom.chance(p)
            }
            guard fires else { continue }
            switch rule.effect {
            case .error(let errno): if failure == nil { failure = errno }
            case .latency(let nanoseconds): monotonic &+= nanoseconds
            }
        }
        return failure
    }
}

/// fnmatch-like matching with `**` for any run of characters, `/` included.
func globMatches(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern.utf8)
    let t = Array(text.utf8)
    func match(_ i: Int, _ j: Int) -> Bool {
        var i = i
        var j = j
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "*") {
                let doubleStar = i + 1 < p.count && p[i + 1] == UInt8(ascii: "*")
                let next = doubleStar ? i + 2 : i + 1
                var k = j
                while true {
                    if match(next, k) { return true }
                    if k >= t.count { return false }
                    if !doubleStar && t[k] == UInt8(ascii: "/") { return false }
                    k += 1
                }
            }
            guard j < t.count else { return false }
            if c == UInt8(ascii: "?") {
                if t[j] == UInt8(ascii: "/") { return false }
            } else if c != t[j] {
                return false
            }
            i += 1
            j += 1
        }
        return j == t.count
    }
    return match(0, 0)
}
