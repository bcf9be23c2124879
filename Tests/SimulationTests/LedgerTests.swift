import XCTest
import Podrt
@testable import Simulation

/// The ledger follows what each podrt command reports doing (issue 23): forced removals' containers are
/// forgotten, a removal it may not make breaks I6, and a create that ended before a reboot stays promised.
final class LedgerTests: XCTestCase {
    final class Outcome: ProcessOutcome {
        var exitCode: Int32?
        var killed = false
        var note = ""
        var resolvedName: String?
        init(_ code: Int32?, killed: Bool = false) { exitCode = code; self.killed = killed }
    }

    func podrt(_ command: PodrtCommand) -> Command { Command(program: .podrt(command)) }

    func promised() -> Ledger {
        var ledger = Ledger()
        let group: Ledger.Group = [(podrt(.createVolume("data")), Outcome(0)),
                                   (podrt(.createContainer(name: "app", pod: nil, volumes: ["data"])), Outcome(0)),
                                   (podrt(.createContainer(name: "db", pod: nil, volumes: [])), Outcome(0))]
        XCTAssertNil(ledger.book(group, changes: nil, rebooted: false))
        return ledger
    }

    func testAForcedRemovalForgetsWhatPodrtReportsItTook() {
        var ledger = promised()
        let rm: Ledger.Group = [(podrt(.remove(.volume, name: "data", force: true)), Outcome(0))]
        XCTAssertNil(ledger.book(rm, changes: [(0, .removing(.container, name: "app")), (0, .removing(.volume, name: "data"))],
                                 rebooted: false))
        XCTAssertEqual(ledger.reported, ["container db"])
    }

    func testARemovalThatIsNotTheCommandsBreaksI6() {
        var ledger = promised()
        let rm: Ledger.Group = [(podrt(.remove(.volume, name: "data", force: true)), Outcome(0))]
        let violation = ledger.book(rm, changes: [(0, .removing(.container, name: "db"))], rebooted: false)
        XCTAssertEqual(violation?.description,
                       "I6 broken: `podrt rm -f volume data` removed container db, which is not in or using volume data")
        let plain: Ledger.Group = [(podrt(.remove(.volume, name: "data", force: false)), Outcome(0))]
        XCTAssertEqual(ledger.book(plain, changes: [(0, .removing(.container, name: "app"))], rebooted: false)?.message,
                       "`podrt rm volume data` removed container app, which `podrt rm volume data` does not remove")
    }

    /// A refused removal reports nothing, so nothing is forgotten; a killed one forgets what it began.
    func testRefusedAndKilledRemovals() {
        var ledger = promised()
        let refused: Ledger.Group = [(podrt(.remove(.volume, name: "data", force: false)), Outcome(1))]
        XCTAssertNil(ledger.book(refused, changes: [], rebooted: false))
        XCTAssertEqual(ledger.reported.count, 3)
        let killed: Ledger.Group = [(podrt(.remove(.volume, name: "data", force: true)), Outcome(nil, killed: true))]
        XCTAssertNil(ledger.book(killed, changes: [(0, .removing(.container, name: "app"))], rebooted: true))
        XCTAssertEqual(ledger.reported, ["container db", "volume data"])
    }

    /// A create that exited 0 before an injected power cut is promised; one the cut killed is not.
    func testCreatesBeforeAReboot() {
        var ledger = Ledger()
        let group: Ledger.Group = [(podrt(.createPod("done")), Outcome(0)), (podrt(.createPod("cut")), Outcome(nil, killed: true))]
        XCTAssertNil(ledger.book(group, changes: [(0, .created(.pod, name: "done")), (1, .created(.pod, name: "cut"))],
                                 rebooted: true))
        XCTAssertEqual(ledger.reported, ["pod done"])
        XCTAssertFalse(ledger.podrtSucceededThisBoot, "it succeeded in the boot before")
    }

    /// `start c2` may start container m2 by its id prefix: I7 must take m2 as started in this boot.
    func testStartBooksTheContainerItResolvedTo() {
        var ledger = Ledger()
        let start = Outcome(0)
        start.resolvedName = "m2"
        XCTAssertNil(ledger.book([(podrt(.start("c2")), start)], changes: [], rebooted: false))
        XCTAssertEqual(ledger.startedThisBoot, ["m2"])
        let killed = Outcome(nil, killed: true)
        XCTAssertNil(ledger.book([(podrt(.start("c4")), killed)], changes: [], rebooted: false))
        XCTAssertEqual(ledger.startedThisBoot, ["m2", "c4"], "a killed start may have committed its state")
    }

    /// FUSE mode cannot see inside podrt: a forced removal implies the promised containers linked to it.
    func testImpliedChanges() {
        var ledger = promised()
        let rm: Ledger.Group = [(podrt(.remove(.volume, name: "data", force: true)), Outcome(1))]
        XCTAssertNil(ledger.book(rm, changes: nil, rebooted: false))
        XCTAssertEqual(ledger.reported, ["container db"])
    }

    /// The two false alarms of issue 23, as scenarios (scenarios/rm-takes-users, rm-before-power-cut).
    func testTheRegressionScenariosPass() throws {
        for name in ["rm-takes-users", "rm-before-power-cut"] {
            let scenario = try loadScenario(name)
            let failing = SeedBatch.run(scenario, seeds: Array(1...40), jobs: 2, options: RunOptions())
            XCTAssertEqual(failing.map { "\($0.seed): \($0.violation!)" }, [], name)
        }
        XCTAssertTrue(try loadScenario("rm-before-power-cut").run(seed: 21).passed, "the issue's seed")
    }

    /// A lock podrt says it kept (`ObjectChange.keptLock`) is no leak in its boot, whatever the process's exit;
    /// any other allocated lock without an object still breaks I3, and a kept lock reported by a group a
    /// reboot cut short belongs to the boot before.
    func testAKeptLockIsNoLeakButAnotherIs() {
        var ledger = Ledger()
        let failed: Ledger.Group = [(podrt(.createPod("p2")), Outcome(1))]
        XCTAssertNil(ledger.book(failed, changes: [(0, .keptLock(1))], rebooted: false))
        XCTAssertEqual(ledger.keptLocks, [1])
        func state(allocated: Set<UInt32>) -> MachineState {
            MachineState(objects: [MachineState.Object(kind: "volume", name: "v", lockID: 0, state: "", pid: 0)],
                         databaseProblem: nil, allocated: allocated, alive: "boot", refreshBoots: ["boot"], bootID: "boot")
        }
        XCTAssertNil(Invariants.check(["I3"], state(allocated: [0, 1]), ledger))
        XCTAssertEqual(Invariants.check(["I3"], state(allocated: [0, 1, 2]), ledger)?.description,
                       "I3 broken: lock 2 is allocated but no live object has it")
        var cut = Ledger()
        XCTAssertNil(cut.book(failed, changes: [(0, .keptLock(1))], rebooted: true))
        XCTAssertEqual(cut.keptLocks, [])
    }
}
