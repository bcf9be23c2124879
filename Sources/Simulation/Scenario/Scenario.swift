import Core
import Podrt
import SimFS

/// A scenario: settings plus steps, read from a file in `scenarios/` (format: scenarios/README.md).
public struct Scenario: Sendable {
    public var name: String
    public var path: String
    public var about = ""
    public var settings = Settings()
    public var steps: [Step] = []
    /// The generator fixture cases the steps name, loaded before any run.
    public var fixtures: [String: FixtureCase] = [:]
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
        case config([(String, String)])
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
    }
    public var action: Action
    public var line: Int
}

/// One simulated process a step starts.
public struct Command: Sendable, CustomStringConvertible {
    public enum Program: Sendable {
        /// The cryptsetup generator; with a fixture case, its crypttab, command line and environment.
        case generator(fixture: String?)
        /// A podrt command: words after `podrt`.
        case podrt([String])
    }
    public var program: Program
    /// Kill the process at its op number N (`@crash N`).
    public var crashAtOp: Int?

    public var description: String {
        switch program {
        case let .generator(fixture): return fixture.map { "generator fixture=\($0)" } ?? "generator"
        case let .podrt(words): return "podrt " + words.joined(separator: " ")
        }
    }
}
