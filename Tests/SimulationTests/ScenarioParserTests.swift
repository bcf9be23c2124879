import Foundation
import XCTest
@testable import Simulation

/// Strict input (issue 23): every broken line of the issue is an error before any seed runs, naming
/// FILE:LINE:COLUMN, what was found, what was expected and the nearest valid word.
final class ScenarioParserTests: XCTestCase {
    /// The error `text` gives, as bootsim prints it (after `Error: `).
    func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try Scenario.parse(text, path: "t.scenario")
            XCTFail("parsed: \(text)", file: file, line: line)
            return ""
        } catch {
            XCTAssertTrue(error is ScenarioError, "\(error)", file: file, line: line)
            return "\(error)"
        }
    }

    /// `bootsim run --fuse --runtime` decides what a `podman` step runs as the step is read, over the file's
    /// `runtime:`: podman itself (an exec judged by P1–P4), or the podrt command of the same meaning.
    func testRuntimeOverrideDecidesWhatPodmanStepsRun() throws {
        let text = "profile: podman\nruntime: podman\npodman create --name c0 --rootfs /var/lib/rootfs /bin/true\n"
        func program(_ runtime: String?, _ text: String) throws -> (Scenario, Command.Program) {
            let scenario = try Scenario.parse(text, path: "t.scenario", runtime: runtime)
            guard case let .group(commands, _) = scenario.steps[0].action, let first = commands.first else {
                throw ScenarioError(path: "t", line: 0, column: 0, found: "no group", expected: "a group")
            }
            return (scenario, first.program)
        }
        let (onPodrt, mapped) = try program("podrt", text)
        guard case .podrt = mapped else { return XCTFail("\(mapped)") }
        XCTAssertTrue(onPodrt.settings.podmanOnPodrt && !onPodrt.settings.podman)
        let (asWritten, podman) = try program(nil, text)
        guard case .exec = podman else { return XCTFail("\(podman)") }
        XCTAssertTrue(asWritten.settings.podman)
        let (back, real) = try program("podman", text.replacingOccurrences(of: "runtime: podman", with: "runtime: podrt"))
        guard case .exec = real else { return XCTFail("\(real)") }
        XCTAssertTrue(back.settings.podman && !back.settings.podmanOnPodrt)
    }

    func testConfigValues() {
        XCTAssertEqual(error("config num_locks=lots\n"),
                       "t.scenario:1:18: found `lots`, expected num_locks: a whole number from 1 to 1048576")
        XCTAssertEqual(error("config lock_type=flock\n"),
                       "t.scenario:1:18: found `flock`, expected a lock_type: `shm` or `file`")
        XCTAssertEqual(error("config lock_type=fil\n"),
                       "t.scenario:1:18: found `fil`, expected a lock_type: `shm` or `file`; did you mean `file`?")
        XCTAssertEqual(error("config num_lock=8\n"), "t.scenario:1:8: found `num_lock`, expected a config KEY: "
                       + "`num_locks`, `tmp_dir`, `static_dir` or `lock_type`; did you mean `num_locks`?")
        XCTAssertEqual(error("config tmp_dir=run/x\n"),
                       "t.scenario:1:16: found `run/x`, expected tmp_dir: an absolute path (starting with `/`)")
    }

    func testPodrtWords() {
        XCTAssertEqual(error("podrt launch rockets\n"), "t.scenario:1:7: found `launch`, expected a podrt command: "
                       + "`ps`, `info`, `locks`, `renumber`, `reset`, `create`, `rm`, `start`, `run`, `stop` or `kill`")
        XCTAssertEqual(error("podrt create container\n"),
                       "t.scenario:1:23: found the end of the line, expected the container's NAME")
        XCTAssertEqual(error("podrt create containr a\n"), "t.scenario:1:14: found `containr`, expected what to create: "
                       + "`container`, `pod`, `volume`, `containers`, `pods` or `volumes`; did you mean `container`?")
        XCTAssertEqual(error("podrt create container a pdo=web\n"),
                       "t.scenario:1:26: found `pdo=web`, expected pod=POD or volume=VOLUME; did you mean `pod=…`?")
        XCTAssertEqual(error("podrt create containers c lots\n"),
                       "t.scenario:1:27: found `lots`, expected how many containers: a whole number from 1 to 1048576")
        XCTAssertEqual(error("podrt ps now\n"), "t.scenario:1:10: found `now`, expected the end of the line after `podrt ps`")
        XCTAssertEqual(error("podrt rm -x volume v\n"), "t.scenario:1:10: found `-x`, expected `-f` or what to remove: "
                       + "`container`, `pod` or `volume`")
        XCTAssertEqual(error("podrt ps @crash 0\n"),
                       "t.scenario:1:17: found `0`, expected the op number N of `@crash N`: a whole number from 1 up")
        XCTAssertEqual(error("podrt ps @crsh 4\n"),
                       "t.scenario:1:10: found `@crsh`, expected `@crash N` at the end of the line; did you mean `@crash`?")
        XCTAssertEqual(error("generator fixtur=a\n"),
                       "t.scenario:1:11: found `fixtur=a`, expected fixture=CASE or `@crash N`; did you mean `fixture=…`?")
    }

    func testSettings() {
        XCTAssertEqual(error("invariants: I99\npodrt ps\n"), "t.scenario:1:13: found `I99`, expected an invariant: "
                       + "`E1`, `G1`, `G2`, `G3`, `I1`, `I2`, `I3`, `I4`, `I5`, `I6`, `I7`, `P1`, `P2`, `P3` or `P4`")
        XCTAssertEqual(error("switch: 2.5\npodrt ps\n"),
                       "t.scenario:1:9: found `2.5`, expected switch: a probability from 0 to 1 (such as 0.002)")
        XCTAssertEqual(error("inject: kill=0.1 limit=-3\npodrt ps\n"),
                       "t.scenario:1:24: found `-3`, expected limit (injections per run): a whole number from 0 to 1000000")
        XCTAssertTrue(error("catches: no-such-bug\npodrt ps\n").hasPrefix(
            "t.scenario:1:10: found `no-such-bug`, expected a catalogue entry (`bootsim catalog`): `volume-locks-not-reserved`, "))
        XCTAssertEqual(error("catches: duplicate-lock-id\npodrt ps\n").components(separatedBy: "; ").last,
                       "did you mean `duplicate-lock-ids`?")
        XCTAssertEqual(error("inject: kill=lots\n"), "t.scenario:1:14: found `lots`, expected kill (a rate per scheduling "
                       + "point, or `swarm`): a probability from 0 to 1 (such as 0.002)")
        XCTAssertEqual(error("swich: 0.1\n"), "t.scenario:1:1: found `swich:`, expected a setting (scenario: about: inject: "
                       + "switch: pct-steps: pct-depth: invariants: catches: profile: runtime:) or a step; did you mean `switch:`?")
        XCTAssertEqual(error("switch: 0.1\nswitch: 0.2\n"),
                       "t.scenario:2:1: found a second `switch:` (the first is on line 1), expected each setting once")
        XCTAssertEqual(error("pct-depth: 0\n"), "t.scenario:1:12: found `0`, expected the PCT depth D: a whole number from 1 to 100")
    }

    func testEmptyScenarios() {
        XCTAssertEqual(error(""), "t.scenario:1:1: found an empty file, expected at least one step "
                       + "(a scenario with settings and comments only runs nothing)")
        XCTAssertEqual(error("\n\n"), "t.scenario:2:1: found an empty file, expected at least one step "
                       + "(a scenario with settings and comments only runs nothing)")
        XCTAssertEqual(error("# nothing\nswitch: 0.1\n"), "t.scenario:2:12: found no steps, expected at least one step "
                       + "(a scenario with settings and comments only runs nothing)")
    }

    func testIndentation() {
        XCTAssertEqual(error("together\n\tpodrt ps\nend\n"),
                       "t.scenario:2:1: found a tab in the indentation, expected spaces: 2 for each block level")
        XCTAssertEqual(error("together\n  \tpodrt ps\nend\n"),
                       "t.scenario:2:3: found a tab after 2 spaces (mixed indentation), expected spaces: 2 for each block level")
        XCTAssertEqual(error("\tpodrt ps\n"),
                       "t.scenario:1:1: found a tab in the indentation, expected spaces: 2 for each block level")
        XCTAssertEqual(error("together\n   podrt ps\nend\n"), "t.scenario:2:4: found 3 spaces of indentation, expected a "
                       + "`podrt`, `generator`, `exec` or `podman` command of the `together` on line 1 indented by 2 spaces, or `end` at the start of a line")
        XCTAssertEqual(error("  podrt ps\n"), "t.scenario:1:1: found 2 spaces of indentation, expected a step or setting at "
                       + "the start of the line (only the lines inside a `write`, `append` or `together` block are indented)")
        XCTAssertEqual(error("write /etc/x\n a\nend\n"), "t.scenario:2:1: found 1 space of indentation, expected a content "
                       + "line of the `write` on line 1 indented by 2 spaces, or `end` at the start of a line")
        XCTAssertEqual(error("podrt ps\tnow\n"), "t.scenario:1:9: found a tab, expected spaces between words")
        XCTAssertEqual(error("podrt ps\r\n"),
                       "t.scenario:1:9: found a carriage return (a CRLF line end), expected lines ending in LF only")
    }

    func testBlocks() {
        XCTAssertEqual(error("write /etc/crypttab\n  a b\n"), "t.scenario:1:1: found no `end` for this `write` block before "
                       + "the end of the file, expected `end` at the start of a line after the block's indented lines")
        XCTAssertTrue(error("write /etc/x\n  a\n  end\n").contains("(the `end` on line 3 is indented, so it is part of the block)"))
        XCTAssertEqual(error("together\nend\n"), "t.scenario:1:1: found a `together` block with no commands, expected at "
                       + "least one `podrt` or `generator` line inside it")
        XCTAssertEqual(error("together\n  reboot\nend\n"),
                       "t.scenario:2:3: found `reboot`, expected a process: `podrt`, `generator`, `exec` or `podman`")
        XCTAssertEqual(error("end\n"), "t.scenario:1:1: found `end` with no block open, expected a step "
                       + "(`end` closes a `write`, `append` or `together` block)")
        XCTAssertEqual(error("podrt ps\nsnapshot\nsnapshot\n"), "t.scenario:3:1: found a second `snapshot` (the first is on "
                       + "line 2), expected at most one `snapshot`: the steps before it run once, for every seed")
    }

    func testSteps() {
        XCTAssertEqual(error("cehck\n").components(separatedBy: "; ").last, "did you mean `check`?")
        XCTAssertEqual(error("ps\n").components(separatedBy: "; ").last, "did you mean `podrt ps`?")
        XCTAssertEqual(error("inject kill=0.1\n").components(separatedBy: "; ").last, "did you mean `inject:`?")
        XCTAssertEqual(error("reboot now\n"), "t.scenario:1:8: found `now`, expected the end of the line after `reboot`")
        XCTAssertEqual(error("expect ok\n"), "t.scenario:1:1: found `expect` before any process "
                       + "step, expected `expect` after the step whose processes it judges")
        XCTAssertEqual(error("podrt ps\nexpect good\n"), "t.scenario:2:8: found `good`, expected what the previous step's "
                       + "processes did: `ok`, `fail` or `exit=N`")
        XCTAssertEqual(error("remove run/x\n"),
                       "t.scenario:1:8: found `run/x`, expected the PATH to remove: an absolute path (starting with `/`)")
    }

    func testFaultLines() {
        XCTAssertEqual(error("fault opne /etc/** EIO\n").components(separatedBy: "; ").last, "did you mean `open`?")
        XCTAssertTrue(error("fault open /etc/** ENOSPACE\n").hasPrefix("t.scenario:1:20: found `ENOSPACE`, expected an ERRNO (EPERM "))
        XCTAssertTrue(error("fault open /etc/** ENOSPACE\n").hasSuffix("; did you mean `ENOSPC`?"))
        XCTAssertEqual(error("fault open /etc/** EIO nht=2\n"),
                       "t.scenario:1:24: found `nht=2`, expected a trigger: nth=N, p=P or `always`; did you mean `nth=…`?")
        XCTAssertEqual(error("fault open /etc/** EIO p=2\n"),
                       "t.scenario:1:26: found `2`, expected p: a probability from 0 to 1 (such as 0.002)")
        XCTAssertEqual(error("fault open etc EIO\n"), "t.scenario:1:12: found `etc`, expected an absolute path GLOB "
                       + "(starting with `/`, or `**` for any path)")
        XCTAssertEqual(error("fault lookup /etc/** EIO\n"), "t.scenario:1:7: found `lookup`, a FUSE request, expected a call "
                       + "a simulated process makes (such as `open`, `write`, `rename`, `fsync`)")
        XCTAssertEqual(error("fault open /etc/** 0\n"),
                       "t.scenario:1:20: found `0`, expected an errno number from 1 to 4095, or a name such as `EIO`")
    }

    /// What parses runs as written: `rm -f`, podrt's words, config values, the fault's errno in any case.
    func testWhatParses() throws {
        let scenario = try Scenario.parse("""
            # a comment
            inject:kill=swarm power=0.01
            config num_locks=64 lock_type=file tmp_dir=/run/p
            podrt create container app pod=web volume=data volume=logs @crash 9
            together
              # a comment inside
              podrt rm -f volume data
              generator fixture=keydev-multiple
            end
            fault write /run/** enospc nth=2
            """, path: "t.scenario")
        XCTAssertEqual(scenario.settings.rates.swarm, [.kill])
        XCTAssertEqual(scenario.settings.rates.powerLoss, 0.01)
        guard case let .config(settings) = scenario.steps[0].action else { return XCTFail("no config") }
        XCTAssertEqual(settings, [.numLocks(64), .lockType("file"), .tmpDir("/run/p")])
        guard case let .group(single, false) = scenario.steps[1].action else { return XCTFail("no podrt step") }
        XCTAssertEqual(single, [Command(program: .podrt(.createContainer(name: "app", pod: "web", volumes: ["data", "logs"])),
                                        crashAtOp: 9)])
        guard case let .group(together, true) = scenario.steps[2].action else { return XCTFail("no group") }
        XCTAssertEqual(together.map(\.description), ["podrt rm -f volume data", "generator fixture=keydev-multiple"])
        XCTAssertEqual(scenario.fixtureReferences, [FixtureReference(name: "keydev-multiple", line: 8, column: 21)])
        guard case let .fault(rule) = scenario.steps[3].action else { return XCTFail("no fault") }
        XCTAssertEqual(rule.effect, .error(.noSpace))
    }

    /// The fuzz target (Fuzz/Sources/scenario-fuzz) lists the invariant and catalogue names it parses with; a
    /// new one must be added there too, or the fuzzer meets it only as an error.
    func testTheFuzzTargetKnowsEveryInvariantAndCatalogueName() throws {
        let path = "\(packageRoot)/Fuzz/Sources/scenario-fuzz/FuzzTarget.swift"
        let target = try String(contentsOfFile: path, encoding: .utf8)
        for name in ScenarioVocabulary.simulation.invariants + ScenarioVocabulary.simulation.catalogue {
            XCTAssertTrue(target.contains("\"\(name)\""), "\(path) does not list `\(name)`")
        }
        let maxNumLocks = ScenarioVocabulary.simulation.maxNumLocks
        XCTAssertTrue(target.contains("maxNumLocks: \(maxNumLocks))"), "\(path): its maxNumLocks is not \(maxNumLocks)")
    }

    func testSpelling() {
        XCTAssertEqual(Spelling.distance("cehck", "check"), 1)
        XCTAssertEqual(Spelling.distance("flock", "file"), 4)
        XCTAssertNil(Spelling.nearest("I99", in: ["I1", "I2"]))
        XCTAssertEqual(Spelling.nearest("reboto", in: ScenarioGrammar.steps), "reboot")
        XCTAssertEqual(Spelling.nearest("powerloss", in: ScenarioGrammar.steps), "power-loss")
    }
}
