/// A fault rule: calls of `op` (any op when nil) on paths matching `path` (a glob: `*` and `?` stay within
/// one path component, `**` crosses them) fail with an errno or take extra virtual time, on the `nth`
/// matching call, on every call, or with a seeded probability.
public struct FaultRule: Hashable, Sendable {
    public enum Trigger: Hashable, Sendable {
        /// Exactly the nth matching call, counting from 1.
        case nth(Int)
        /// Each matching call with this probability, drawn from the machine's seeded fault stream.
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

/// A rule with its counts so far.
public struct ActiveFault: Sendable, CustomStringConvertible {
    public var id: Int
    public var rule: FaultRule
    /// Matching calls so far.
    public var matches: Int
    /// Matching calls it failed or delayed (since the rule was added or its machine loaded: not saved).
    public var fired = 0

    init(id: Int, rule: FaultRule, matches: Int) {
        self.id = id
        self.rule = rule
        self.matches = matches
    }

    /// `write /etc/* ENOSPC nth=2 matched=3 fired=1`, for a status listing.
    public var description: String {
        var line = "\(rule.op.map(\.description) ?? "*") \(rule.path)"
        switch rule.effect {
        case .error(let errno): line += " \(errno.name)"
        case .latency(let nanoseconds): line += " latency=\(nanoseconds)"
        }
        switch rule.trigger {
        case .nth(let n): line += " nth=\(n)"
        case .probability(let p): line += " p=\(p)"
        case .always: line += " always"
        }
        if let pid = rule.pid { line += " pid=\(pid.rawValue)" }
        return line + " matched=\(matches) fired=\(fired)"
    }
}

/// The fault rules of one machine: the world's (SimWorld keeps the same three parts in its own fields,
/// which its choke point reads) or a FUSE mount's server (requests named by their `SimOp`). `apply` is the
/// one rule engine both use.
public struct FaultRules: Sendable {
    public private(set) var active: [ActiveFault] = []
    var nextID = 1
    /// The seeded stream probabilistic rules draw from.
    var random: SplitMix64

    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    public var isEmpty: Bool { active.isEmpty }

    /// Adds a rule; returns its id for `remove`.
    @discardableResult
    public mutating func add(_ rule: FaultRule) -> Int {
        Self.add(rule, to: &active, nextID: &nextID)
    }

    public mutating func remove(_ id: Int) { active.removeAll { $0.id == id } }

    public mutating func clear() { active = [] }

    /// Applies the rules to one call; see the static `apply`.
    public mutating func apply(_ op: SimOp, pid: ProcessID, _ path: String, _ path2: String) -> (errno: Errno?, latency: UInt64) {
        Self.apply(&active, &random, op, pid, path, path2)
    }

    static func add(_ rule: FaultRule, to rules: inout [ActiveFault], nextID: inout Int) -> Int {
        let id = nextID
        nextID += 1
        rules.append(ActiveFault(id: id, rule: rule, matches: 0))
        return id
    }

    /// Applies `rules` to one call of `op` by `pid` on `path` (and `path2`, a rename's or link's second
    /// path; empty if none). Every rule that matches counts the call; of those that fire, the first errno
    /// fails the call and every latency adds up. A probabilistic rule draws one coin from `random` per match.
    static func apply(_ rules: inout [ActiveFault], _ random: inout SplitMix64, _ op: SimOp, _ pid: ProcessID,
                      _ path: String, _ path2: String) -> (errno: Errno?, latency: UInt64) {
        var failure: Errno?
        var latency: UInt64 = 0
        for index in rules.indices {
            let rule = rules[index].rule
            if let wanted = rule.op, wanted != op { continue }
            if let wantedPid = rule.pid, wantedPid != pid { continue }
            guard rule.covers(path) || (!path2.isEmpty && rule.covers(path2)) else { continue }
            rules[index].matches += 1
            let fires: Bool
            switch rule.trigger {
            case .nth(let n): fires = rules[index].matches == n
            case .always: fires = true
            case .probability(let p): fires = random.chance(p)
            }
            guard fires else { continue }
            rules[index].fired += 1
            switch rule.effect {
            case .error(let errno): if failure == nil { failure = errno }
            case .latency(let nanoseconds): latency &+= nanoseconds
            }
        }
        return (failure, latency)
    }
}

extension SimWorld {
    /// Adds a rule; returns its id for `removeFault`.
    @discardableResult
    public func addFault(_ rule: FaultRule) -> Int {
        lock.withLock { FaultRules.add(rule, to: &faultRules, nextID: &nextFaultID) }
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
        if process.faultExempt { return nil }
        let outcome = FaultRules.apply(&faultRules, &faultRandom, op, process.pid, path, path2)
        monotonic &+= outcome.latency
        return outcome.errno
    }
}

extension FaultRule {
    /// Whether the rule reaches `path`. Fault rules model storage: `/proc` holds the kernel's own files (the boot
    /// id, the command line), which no disk or tmpfs fault can touch, so a pattern reaches into `/proc` only when it
    /// names `/proc` itself (`/proc/**`), not through a wildcard (`/**`). Without this a scenario's `fault open /**`
    /// failed podrt's read of the boot id, and two boots' refreshes were logged with one empty boot id (I4).
    func covers(_ path: String) -> Bool {
        if path == "/proc" || path.hasPrefix("/proc/"), !(self.path == "/proc" || self.path.hasPrefix("/proc/")) { return false }
        return globMatches(self.path, path)
    }
}

/// The one glob of fault rules (the world's and the FUSE mount's): `*` is any run of characters within one
/// path component (no `/`), `?` one character other than `/`, `**` any run of characters, `/` included;
/// everything else matches itself (no `[...]` classes, no escapes). The whole path must match.
public func globMatches(_ pattern: String, _ text: String) -> Bool {
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
