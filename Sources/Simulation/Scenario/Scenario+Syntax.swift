import Core
import Podrt
import SimFS

/// From the parser's checked words (Syntax/) to what a runner runs: SimFS fault rules, the scheduler's
/// injection rates, the settings' defaults.
extension Scenario {
    /// Parses the text of a scenario file (see scenarios/README.md); throws a `ScenarioError` naming
    /// `path:LINE:COLUMN` for anything it does not know.
    /// `runtime`: what the `podman` steps run, over the file's `runtime:` setting (nil: the file decides).
    public static func parse(_ text: String, path: String, runtime: String? = nil) throws -> Scenario {
        Scenario(try ScenarioParser(vocabulary: .simulation, runtimeOverride: runtime).parse(text, path: path), path: path)
    }

    init(_ syntax: ScenarioSyntax, path: String) {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        self.init(name: syntax.name ?? (base.hasSuffix(".scenario") ? String(base.dropLast(9)) : base), path: path)
        about = syntax.about.joined(separator: " ")
        if let inject = syntax.inject {
            func set(_ rate: InjectSpec.Rate?, _ kind: InjectionRates.Kind, _ value: WritableKeyPath<InjectionRates, Double>) {
                switch rate {
                case .swarm: settings.rates.swarm.insert(kind)
                case let .fixed(p): settings.rates[keyPath: value] = p
                case nil: break
                }
            }
            set(inject.kill, .kill, \.kill)
            set(inject.reboot, .reboot, \.reboot)
            set(inject.power, .powerLoss, \.powerLoss)
            if let limit = inject.limit { settings.rates.limit = limit }
        }
        if let chance = syntax.switchChance { settings.switchChance = chance }
        if let steps = syntax.pctSteps { settings.pctSteps = steps }
        if let depth = syntax.pctDepth { settings.pctDepth = depth }
        if let invariants = syntax.invariants { settings.invariants = invariants }
        if let catches = syntax.catches { settings.catches = catches }
        settings.podman = syntax.profile == "podman" && syntax.runtime != "podrt"
        settings.podmanOnPodrt = syntax.profile == "podman" && syntax.runtime == "podrt"
        fixtureReferences = syntax.fixtureReferences
        steps = syntax.steps.map { Step(action: Self.action($0.action), line: $0.line) }
    }

    static func action(_ action: SyntaxAction) -> Step.Action {
        switch action {
        case let .write(path, content, append): return .write(path: path, content: content, append: append)
        case let .remove(path): return .remove(path: path)
        case let .commandLine(text): return .commandLine(text)
        case let .config(settings): return .config(settings)
        case let .group(commands, together): return .group(commands, together: together)
        case .reboot: return .reboot
        case .powerLoss: return .powerLoss
        case let .fault(spec): return .fault(faultRule(spec))
        case .clearFaults: return .clearFaults
        case .check: return .check
        case let .expect(ok): return .expect(ok: ok)
        case let .expectFixture(name): return .expectFixture(name)
        case .snapshot: return .snapshot
        case let .expectExit(code): return .expectExit(code)
        case let .expectOutput(test): return .expectOutput(test)
        case let .expectFile(test): return .expectFile(test)
        case let .checkCommand(words): return .checkCommand(words)
        case let .containerExit(name, code): return .containerExit(name: name, code: code)
        }
    }

    /// The parser has checked the op and errno names against `ScenarioVocabulary.simulation`.
    static func faultRule(_ spec: FaultSpec) -> FaultRule {
        let trigger: FaultRule.Trigger
        switch spec.trigger {
        case let .nth(n): trigger = .nth(n)
        case let .probability(p): trigger = .probability(p)
        case .always: trigger = .always
        }
        let effect: FaultRule.Effect
        switch spec.effect {
        case let .errno(name): effect = .error(Errno(name: name)!)
        case let .latency(nanoseconds): effect = .latency(nanoseconds: nanoseconds)
        }
        return FaultRule(op: spec.op.map { SimOp(name: $0)! }, path: spec.glob, trigger: trigger, effect: effect)
    }
}

extension ScenarioVocabulary {
    /// The names of this build: Core's errno table, SimFS's ops, the invariants, the catalogue.
    public static let simulation = ScenarioVocabulary(
        errnoNames: Errno.knownNames.split(separator: " ").map(String.init),
        // World events (reboot, powerLoss, processExit) are logged, never called by a process.
        ops: SimOp.allCases.filter { !$0.isMountRequest && ![.reboot, .powerLoss, .processExit].contains($0) }.map(\.description),
        mountRequests: SimOp.allCases.filter(\.isMountRequest).map(\.description),
        invariants: Invariants.titles.keys.sorted(),
        catalogue: Catalogue.entries.map(\.name),
        maxNumLocks: Int(RuntimeConfig.maxNumLocks))
}
