import Core
import Podrt
import SimFS

/// A scenario: settings plus steps, read from a file in `scenarios/` (format: scenarios/README.md; the parser
/// is in Syntax/, `Scenario.parse` in Scenario+Syntax.swift).
public struct Scenario: Sendable {
    public var name: String
    public var path: String
    public var about = ""
    public var settings = Settings()
    public var steps: [Step] = []
    /// The generator fixture cases the steps name, loaded before any run.
    public var fixtures: [String: FixtureCase] = [:]
    /// Where each fixture case is named, for the errors of loading them.
    var fixtureReferences: [FixtureReference] = []
    /// The machine after the steps before `snapshot`, made once and shared by every seed.
    let prefix = PrefixCache()

    public struct Settings: Sendable {
        /// Seeded injections during concurrent steps.
        public var rates = InjectionRates()
        /// Random walk: the chance of a switch at each scheduling point.
        public var switchChance = 0.05
        /// PCT: the expected number of steps k, and the depth d.
        public var pctSteps = 400
        public var pctDepth = 3
        /// The invariants checked after every step (G1 and G2 only after generator steps).
        public var invariants: [String] = ["I1", "I2", "I3", "I4", "I5", "I6", "I7"]
        /// Catalogue bugs this scenario is meant to catch (for `bootsim hunt`).
        public var catches: [String] = []
        /// `profile: podman` with `runtime: podman` (the default): podman's configuration is written into
        /// the machine and podman's checks P1–P4 run (Mounted/PodmanChecks.swift).
        public var podman = false
        /// `profile: podman` with `runtime: podrt`: the `podman` steps run podrt, and podman's state paths in
        /// `remove` steps name podrt's (`PodmanPaths`).
        public var podmanOnPodrt = false
    }

    /// The first step that runs a real program (`exec`, `podman`, `check-cmd`): FUSE mode only.
    public var realProgramLine: Int? {
        steps.first { step in
            switch step.action {
            case let .group(commands, _):
                return commands.contains { if case .exec = $0.program { return true } else { return false } }
            case .checkCommand, .expectOutput: return true
            default: return false
            }
        }?.line
    }

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}

/// One step of a scenario. `line` is where it was written.
public struct Step: Sendable {
    public enum Action: Sendable {
        case write(path: String, content: String, append: Bool)
        case remove(path: String)
        case commandLine(String)
        case config([ConfigSetting])
        /// Processes started together; one command is a group of one.
        case group([Command], together: Bool)
        case reboot
        case powerLoss
        case fault(FaultRule)
        case clearFaults
        case check
        /// Every process of the previous group succeeded (`ok`) or failed (`fail`), unless a crash hit it.
        case expect(ok: Bool)
        case expectFixture(String)
        /// The steps before this one run once (with seed 0, no injections); every seed starts from there.
        case snapshot
        case expectExit(Int32)
        case expectOutput(ExpectOutput)
        case expectFile(ExpectFile)
        case checkCommand([String])
        /// The running container's process exits with the code (as if its command had ended).
        case containerExit(name: String, code: Int32)
    }
    public var action: Action
    public var line: Int
}
