import Glibc
import SimFS

/// Fault rules of the mount: an op name (or `*`), a path glob (`fnmatch`), and when to fire: every
/// matching call, only the nth, or with a probability from a seeded generator.
struct FaultRules {
    struct Rule {
        var op: String
        var glob: String
        var errno: Int32
        /// Fire only at the nth matching call (1-based).
        var nth: Int?
        /// Fire with this probability (0...1).
        var probability: Double?
        var matched = 0
        var fired = 0
    }

    enum When {
        case always, nth(Int), probability(Double)
    }

    private(set) var rules: [Rule] = []
    var random = SplitMix64(seed: 0x5eed)

    mutating func add(op: String, glob: String, errno: Int32, when: When) {
        var rule = Rule(op: op, glob: glob, errno: errno)
        switch when {
        case .always: break
        case .nth(let n): rule.nth = n
        case .probability(let p): rule.probability = p
        }
        rules.append(rule)
    }

    mutating func clear() { rules.removeAll() }

    /// The errno to fail this call with, if a rule fires.
    mutating func check(_ op: String, _ path: String) -> Int32? {
        if rules.isEmpty { return nil }
        for index in rules.indices {
            guard rules[index].op == "*" || rules[index].op == op,
                  fnmatch(rules[index].glob, path, 0) == 0 else { continue }
            rules[index].matched += 1
            var fires = true
            if let nth = rules[index].nth { fires = rules[index].matched == nth }
            if let p = rules[index].probability { fires = random.chance(p) }
            if fires {
                rules[index].fired += 1
                return rules[index].errno
            }
        }
        return nil
    }

    /// One line per rule, for `status`.
    var descriptions: [String] {
        rules.map { rule in
            var line = "fault \(rule.op) \(rule.glob) \(ErrnoNames.name(rule.errno))"
            if let nth = rule.nth { line += " nth=\(nth)" }
            if let p = rule.probability { line += " prob=\(p)" }
            return line + " matched=\(rule.matched) fired=\(rule.fired)"
        }
    }
}
