import Core
import Podrt
import SimFS

/// A scenario file that does not parse, with the line.
public struct ScenarioError: Error, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String
    public var description: String { "\(path):\(line): \(message)" }
}

extension Scenario {
    /// Parses the text of a scenario file (see scenarios/README.md).
    public static func parse(_ text: String, path: String) throws -> Scenario {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        var scenario = Scenario(name: base.hasSuffix(".scenario") ? String(base.dropLast(9)) : base, path: path)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        func fail(_ message: String) -> ScenarioError { ScenarioError(path: path, line: index + 1, message: message) }

        /// The indented lines after a block opener, up to `end`.
        func block() throws -> [String] {
            var body: [String] = []
            index += 1
            while index < lines.count {
                let raw = lines[index]
                if raw.trimmed() == "end" { return body }
                body.append(raw.hasPrefix("  ") ? String(raw.dropFirst(2)) : raw.trimmed())
                index += 1
            }
            throw fail("block is missing its `end`")
        }

        while index < lines.count {
            let lineNumber = index + 1
            let text = lines[index].trimmed()
            defer { index += 1 }
            if text.isEmpty || text.hasPrefix("#") { continue }
            if let colon = text.firstIndex(of: ":"), !text.hasPrefix("/"), text[..<colon].allSatisfy({ $0.isLetter || $0 == "-" }) {
                try scenario.applySetting(String(text[..<colon]), String(text[text.index(after: colon)...]).trimmed(),
                                          fail: fail)
                continue
            }
            let words = text.split(separator: " ").map(String.init)
            let rest = words.dropFirst().joined(separator: " ")
            func add(_ action: Step.Action) { scenario.steps.append(Step(action: action, line: lineNumber)) }
            switch words[0] {
            case "write", "append":
                guard words.count == 2 else { throw fail("\(words[0]) PATH, then the content lines, then `end`") }
                let body = try block()
                add(.write(path: words[1], content: body.map { $0 + "\n" }.joined(), append: words[0] == "append"))
            case "remove": add(.remove(path: rest))
            case "cmdline": add(.commandLine(rest))
            case "config":
                add(.config(try words.dropFirst().map { pair in
                    guard let eq = pair.firstIndex(of: "=") else { throw fail("config KEY=VALUE ...") }
                    return (String(pair[..<eq]), String(pair[pair.index(after: eq)...]))
                }))
            case "generator", "podrt": add(.group([try command(words, fail: fail)], together: false))
            case "together":
                let body = try block()
                add(.group(try body.filter { !$0.trimmed().isEmpty }.map {
                    try command($0.trimmed().split(separator: " ").map(String.init), fail: fail)
                }, together: true))
            case "reboot": add(.reboot)
            case "power-loss": add(.powerLoss)
            case "fault": add(.fault(try faultRule(Array(words.dropFirst()), fail: fail)))
            case "clear-faults": add(.clearFaults)
            case "check": add(.check)
            case "snapshot": add(.snapshot)
            case "expect":
                guard words.count == 2, ["ok", "fail"].contains(words[1]) else { throw fail("expect ok|fail") }
                add(.expect(ok: words[1] == "ok"))
            case "expect-fixture":
                guard words.count == 2 else { throw fail("expect-fixture CASE") }
                add(.expectFixture(words[1]))
            default:
                throw fail("unknown step \(words[0])")
            }
        }
        return scenario
    }

    static func command(_ words: [String], fail: (String) -> ScenarioError) throws -> Command {
        var words = words
        var crash: Int?
        if let at = words.firstIndex(of: "@crash") {
            guard at + 1 < words.count, let n = Int(words[at + 1]) else { throw fail("@crash N") }
            crash = n
            words.removeSubrange(at...(at + 1))
        }
        switch words.first {
        case "generator":
            let fixture = words.dropFirst().first { $0.hasPrefix("fixture=") }.map { String($0.dropFirst(8)) }
            return Command(program: .generator(fixture: fixture), crashAtOp: crash)
        case "podrt":
            guard words.count >= 2 else { throw fail("podrt COMMAND ...") }
            return Command(program: .podrt(Array(words.dropFirst())), crashAtOp: crash)
        default:
            throw fail("a process is `generator ...` or `podrt ...`")
        }
    }

    mutating func applySetting(_ key: String, _ value: String, fail: (String) -> ScenarioError) throws {
        let words = value.split(separator: " ").map(String.init)
        switch key {
        case "scenario": name = value
        case "about": about = about.isEmpty ? value : about + " " + value
        case "switch": settings.switchChance = Double(value) ?? settings.switchChance
        case "pct-steps": settings.pctSteps = Int(value) ?? settings.pctSteps
        case "pct-depth": settings.pctDepth = Int(value) ?? settings.pctDepth
        case "invariants": settings.invariants = words
        case "catches": settings.catches = words
        case "inject":
            for pair in words {
                let parts = pair.split(separator: "=")
                let usage = "inject kill=P|swarm reboot=P|swarm power=P|swarm limit=N"
                guard parts.count == 2 else { throw fail(usage) }
                let kind: InjectionRates.Kind
                switch parts[0] {
                case "kill": kind = .kill
                case "reboot": kind = .reboot
                case "power": kind = .powerLoss
                case "limit":
                    guard let limit = Int(parts[1]), limit >= 0 else { throw fail(usage) }
                    settings.rates.limit = limit
                    continue
                default: throw fail("unknown injection \(parts[0])")
                }
                if parts[1] == "swarm" {
                    settings.rates.swarm.insert(kind)
                    continue
                }
                guard let rate = Double(parts[1]), rate >= 0, rate <= 1 else { throw fail(usage) }
                settings.rates.swarm.remove(kind)
                switch kind {
                case .kill: settings.rates.kill = rate
                case .reboot: settings.rates.reboot = rate
                case .powerLoss: settings.rates.powerLoss = rate
                }
            }
        default: throw fail("unknown setting \(key)")
        }
    }

    /// `fault OP PATH-GLOB ERRNO [nth=N | p=P | always]` or `fault OP PATH-GLOB latency=NS [...]`.
    static func faultRule(_ words: [String], fail: (String) -> ScenarioError) throws -> FaultRule {
        guard words.count >= 3 else { throw fail("fault OP PATH ERRNO|latency=NS [nth=N|p=P|always]") }
        let op: SimOp? = words[0] == "*" ? nil : SimOp(name: words[0])
        if op == nil && words[0] != "*" { throw fail("unknown op \(words[0])") }
        if let op, op.isMountRequest { throw fail("\(op) is a FUSE request, not a call a simulated process makes") }
        let effect: FaultRule.Effect
        if words[2].hasPrefix("latency=") {
            effect = .latency(nanoseconds: UInt64(words[2].dropFirst(8)) ?? 0)
        } else {
            guard let errno = Errno(name: words[2]) else { throw fail("unknown errno \(words[2]); known: \(Errno.knownNames)") }
            effect = .error(errno)
        }
        var trigger = FaultRule.Trigger.always
        if words.count > 3 {
            let t = words[3]
            if t.hasPrefix("nth="), let n = Int(t.dropFirst(4)) { trigger = .nth(n) }
            else if t.hasPrefix("p="), let p = Double(t.dropFirst(2)) { trigger = .probability(p) }
            else if t != "always" { throw fail("trigger is nth=N, p=P or always") }
        }
        return FaultRule(op: op, path: words[1], trigger: trigger, effect: effect)
    }
}
