/// A scenario file as written, every word checked (what `ScenarioParser` returns). `Scenario.parse` turns it
/// into the steps a runner runs: the fault rules and injection rates of SimFS and the scheduler.
public struct ScenarioSyntax: Sendable {
    public var name: String?
    public var about: [String] = []
    public var inject: InjectSpec?
    public var switchChance: Double?
    public var pctSteps: Int?
    public var pctDepth: Int?
    public var invariants: [String]?
    public var catches: [String]?
    /// `profile: podman`: the machine gets podman's configuration (scenarios/README.md, "Foreign programs").
    public var profile: String?
    /// `runtime: podman|podrt`: what the `podman …` steps run (podrt: mapped to podrt commands).
    public var runtime: String?
    public var steps: [SyntaxStep] = []
    /// Every fixture case the steps name and where, so that loading can say which one it could not find.
    public var fixtureReferences: [FixtureReference] = []
}

/// A fixture case named at LINE:COLUMN (`generator fixture=CASE`, `expect-fixture CASE`).
public struct FixtureReference: Hashable, Sendable {
    public var name: String
    public var line: Int
    public var column: Int
}

/// `inject: kill=P reboot=P power=P limit=N`; a rate left out is nil (0).
public struct InjectSpec: Hashable, Sendable {
    public var kill: Rate?
    public var reboot: Rate?
    public var power: Rate?
    public var limit: Int?

    public enum Rate: Hashable, Sendable {
        case fixed(Double)
        /// Drawn by the seed (scenarios/README.md, "Swarm rates").
        case swarm
    }
}

public struct SyntaxStep: Sendable {
    public var action: SyntaxAction
    public var line: Int
}

/// The steps of scenarios/README.md, "Steps".
public enum SyntaxAction: Sendable {
    case write(path: String, content: String, append: Bool)
    case remove(path: String)
    case commandLine(String)
    case config([ConfigSetting])
    case group([Command], together: Bool)
    case reboot
    case powerLoss
    case fault(FaultSpec)
    case clearFaults
    case check
    case expect(ok: Bool)
    case expectFixture(String)
    case snapshot
    /// `expect exit=N`.
    case expectExit(Int32)
    /// `expect-output [stdout|stderr] contains|lacks TEXT`.
    case expectOutput(ExpectOutput)
    /// `expect-file PATH exists|absent|contains TEXT|lacks TEXT`.
    case expectFile(ExpectFile)
    /// `check-cmd CMD ARG…`: from here on, after every step that changes the machine, CMD runs in the
    /// machine's namespace and must exit 0.
    case checkCommand([String])
    /// `exit NAME CODE`: the running container's process exits with CODE.
    case containerExit(name: String, code: Int32)
}

public struct ExpectOutput: Hashable, Sendable {
    public var stderr: Bool
    public var contains: Bool
    public var text: String
}

public struct ExpectFile: Hashable, Sendable {
    public enum Test: Hashable, Sendable { case exists, absent, contains(String), lacks(String) }
    public var path: String
    public var test: Test
}

/// `fault OP GLOB ERRNO|latency=NS [nth=N | p=P | always]`, with OP and ERRNO as written (known names).
public struct FaultSpec: Hashable, Sendable {
    /// nil: `*`, every op.
    public var op: String?
    public var glob: String
    public var effect: Effect
    public var trigger: Trigger

    public enum Effect: Hashable, Sendable {
        /// A name of Core's errno table, or a number.
        case errno(String)
        case latency(nanoseconds: UInt64)
    }

    public enum Trigger: Hashable, Sendable {
        case nth(Int), probability(Double), always
    }
}

/// The names a scenario may use that come from outside the parser: Core's errno table, SimFS's ops, the
/// invariants and the bug catalogue (`ScenarioVocabulary.simulation` in Simulation; the fuzz target its own).
public struct ScenarioVocabulary: Sendable {
    /// Errno names, upper case (`EIO`); a scenario may write them in any case, or a number.
    public var errnoNames: [String]
    /// The ops a simulated process makes, which a fault rule can match.
    public var ops: [String]
    /// The ops only a FUSE mount serves (a rule on one never fires in the simulation).
    public var mountRequests: [String]
    public var invariants: [String]
    public var catalogue: [String]
    /// podrt's largest `num_locks` (`RuntimeConfig.maxNumLocks`).
    public var maxNumLocks: Int

    public init(errnoNames: [String], ops: [String], mountRequests: [String], invariants: [String],
                catalogue: [String], maxNumLocks: Int) {
        self.errnoNames = errnoNames
        self.ops = ops
        self.mountRequests = mountRequests
        self.invariants = invariants
        self.catalogue = catalogue
        self.maxNumLocks = maxNumLocks
    }
}
