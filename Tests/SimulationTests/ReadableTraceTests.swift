import Core
import Foundation
import XCTest
@testable import Simulation

/// Traces people can read: a run for reading is the same run with virtual time and command lines on its
/// events; the picture has a legend, a time axis, lanes named by command line and the broken invariant;
/// shrink's trace keeps the processes involved; decisions are listed in step order.
final class ReadableTraceTests: XCTestCase {
    /// refresh-race, seed 1, with volume-locks-not-reserved put back: I1 breaks after the `together` at line 15.
    func caughtRun(_ run: (Scenario, RunOptions) -> RunResult) throws -> (Scenario, RunResult) {
        let scenario = try loadScenario("refresh-race")
        var options = RunOptions()
        options.bugs = try XCTUnwrap(Catalogue.entry(named: "volume-locks-not-reserved")).switches
        return (scenario, run(scenario, options))
    }

    func testARunForReadingIsTheSameRun() throws {
        var detailed = RunOptions()
        detailed.detailed = true
        let (_, plain) = try caughtRun { scenario, bugs in
            var options = detailed
            options.bugs = bugs.bugs
            return scenario.run(seed: 1, options: options)
        }
        let (_, readable) = try caughtRun { $0.runForReading(seed: 1, options: $1) }
        XCTAssertEqual(readable.traceHash, plain.traceHash)
        XCTAssertEqual(readable.violation, plain.violation)
        XCTAssertEqual(readable.decisions, plain.decisions)
        XCTAssertEqual(readable.events.map { TraceEvent(step: $0.step, serial: $0.serial, pid: $0.pid, name: $0.name,
                                                        kind: $0.kind, text: $0.text) }, plain.events)
        XCTAssertTrue(plain.events.allSatisfy { $0.time == nil && $0.command.isEmpty })
    }

    func testEventsCarryVirtualTimeAndCommandLines() throws {
        let (_, result) = try caughtRun { $0.runForReading(seed: 1, options: $1) }
        let times = result.events.compactMap(\.time)
        XCTAssertEqual(times.count, result.events.count)
        XCTAssertEqual(times, times.sorted(), "virtual wall time never goes back, not even across the reboot")
        let starts = result.events.filter { $0.kind == .start }.map(\.command)
        XCTAssertEqual(starts, ["podrt ps", "podrt create container late1", "podrt create volume late2"])
        XCTAssertEqual(result.events.first { $0.kind == .step }?.command, "reboot")
        XCTAssertTrue(result.events.filter { $0.serial == 2 }.allSatisfy { $0.command == "podrt create container late1" })
        // The reboot step (30 s down, the monotonic clock restarting at 5 s) lies between the first two steps.
        let steps = result.events.filter { $0.kind == .step }
        XCTAssert((35_000_000_000..<35_100_000_000).contains(steps[1].time! - steps[0].time!), "\(steps[1].time! - steps[0].time!)")
        let lines = Trace.shortened(result.events, limit: 100)
        XCTAssertEqual(lines[0], "[0 +0] world step line 14: reboot")
        XCTAssertTrue(lines.contains { $0.hasPrefix("3:103/podrt create volume late2 ops ×") }, "\(lines)")
        // Its end, as it came in this seed: an exit, or the scenario's injected kill.
        let end = #/^\[[0-9]+ \+35\.[0-9]+ s\] 1:101/podrt ps end (exit 0|killed)$/#
        XCTAssertTrue(lines.contains { $0.wholeMatch(of: end) != nil }, "\(lines)")
    }

    func testThePictureHasALegendATimeAxisNamedLanesAndTheBrokenInvariant() throws {
        let (scenario, result) = try caughtRun { $0.runForReading(seed: 1, options: $1) }
        let failure = TracePicture.Failure(text: result.violation!.description, line: result.line)
        let svg = TracePicture.svg(result.events, title: "\(scenario.name) seed 1", failure: failure)
        try assertWellFormed(svg)
        for legend in ["Legend", "op: one protocol call", "holds the baton", "switch: gets the baton", "waits for a lock",
                       "sleeps", "exit 0", "exits failing", "killed", "scenario step", "reboot (a step or injected)",
                       "power loss (a step or injected)", "deadlock: every process blocked (I5)",
                       "broken invariant, where the check found it"] {
            XCTAssertTrue(svg.contains(">\(legend)"), "no legend entry \(legend)")
        }
        XCTAssertTrue(svg.contains("virtual time since the trace began"))
        XCTAssertTrue(svg.contains(#/>35\.[0-9]+ s</#), "a tick with its unit")
        XCTAssertTrue(svg.contains(">≈ +35.0 s<"), "the reboot's 35 s are cut out and labelled")
        for lane in ["podrt ps", "podrt create container late1", "podrt create volume late2"] {
            XCTAssertTrue(svg.contains(">\(lane)<title>\(lane) (process"), "no lane \(lane)")
        }
        XCTAssertTrue(svg.contains("✱ \(result.violation!.description) (found by the check after the step at line 15)"))
        XCTAssertTrue(result.violation!.description.hasPrefix("I1 broken: "), result.violation!.description)
        XCTAssertTrue(svg.contains("line 14: reboot"))
        let killed = result.decisions.contains { if case .kill = $0 { return true } else { return false } }
        XCTAssertEqual(svg.contains("<title>killed</title>"), killed, "an injected crash is drawn where it happened")
    }

    func testWithoutTimeThePictureCountsSchedulingPoints() throws {
        let (_, result) = try caughtRun { scenario, bugs in
            var options = bugs
            options.detailed = true
            return scenario.run(seed: 1, options: options)
        }
        let svg = TracePicture.svg(result.events, title: "plain")
        try assertWellFormed(svg)
        XCTAssertTrue(svg.contains("scheduling points (this run recorded no virtual time)"))
        XCTAssertTrue(svg.contains(">podrt-create<title>"), "without command lines, lanes fall back to the program name")
    }

    func testTheTimeAxisCutsLongJumpsAndLabelsTicksWithUnits() {
        let values: [Int64] = [0, 100_000, 200_000, 35_000_200_000, 35_000_400_000]
        let axis = TraceTimeAxis(values: values, isTime: true, left: 100, right: 1100)
        XCTAssertEqual(axis.breaks.count, 1)
        XCTAssertEqual(axis.breaks.first?.skipped, 35_000_000_000)
        XCTAssertEqual(axis.x(0), 100)
        XCTAssertEqual(axis.x(35_000_400_000), 1100, accuracy: 0.001)
        XCTAssertLessThan(axis.x(200_000), axis.x(35_000_200_000))
        XCTAssertEqual(axis.ticks.first?.label, "0")
        XCTAssertTrue(axis.ticks.contains { $0.label == "35.00030 s" }, "\(axis.ticks.map(\.label))")
        XCTAssertEqual(TraceTimeAxis.duration(1_200_000, precision: 100_000), "1.2 ms")
        XCTAssertEqual(TraceTimeAxis.duration(864_000, precision: 1_000), "864 µs")
        XCTAssertEqual(TraceTimeAxis.duration(35_000_200_000, precision: 200_000), "35.0002 s")
        XCTAssertEqual(TraceTimeAxis.fixed(0.05, places: 2), "0.05")
    }

    func testDecisionsAreListedInStepOrder() {
        let decisions: [Decision] = [.run(step: 17, serial: 2), .kill(step: 143, serial: 2), .run(step: 60, serial: 1),
                                     .powerLoss(step: 60, lossSeed: 9), .run(step: 1, serial: 3)]
        XCTAssertEqual(decisions.listed, "1:run:3 17:run:2 60:run:1 60:power:9 143:kill:2")
        XCTAssertEqual([Decision]().listed, "")
    }

    func testShrinkKeepsTheWholeTraceOfTheMinimalRun() throws {
        let (_, outcome) = try caughtRun { scenario, options -> RunResult in
            Shrinker.shrink(scenario, seed: 1, options: options, now: { 0 })!.minimal
        }
        XCTAssertEqual(outcome.decisions, [], "the default schedule already breaks I1")
        XCTAssertEqual(outcome.violation?.invariant, "I1")
        XCTAssertTrue(outcome.events.contains { $0.kind == .op }, "the minimal trace has the processes' ops")
        let involved = Trace.involved(outcome.events, violation: outcome.violation!.description)
        XCTAssertEqual(involved, [1, 2, 3])
        let lines = Trace.shortened(Trace.only(involved, in: outcome.events), limit: 80)
        XCTAssertTrue(lines.contains { $0.contains("3:103/podrt create volume late2 end exit 0") }, "\(lines)")
    }

    func testTheProcessesInvolvedAreTheFailingStepsAndThoseTheViolationNames() {
        func event(_ step: Int, _ serial: Int, _ kind: TraceEvent.Kind, _ text: String = "", _ command: String = "")
            -> TraceEvent {
            var event = TraceEvent(step: step, serial: serial, pid: Int32(100 + serial), name: "podrt-x", kind: kind,
                                   text: text)
            event.command = command
            return event
        }
        let events = [
            event(0, 0, .step, "line 3"), event(0, 1, .start, "", "podrt create volume data"),
            event(0, 2, .start, "", "podrt create pod web"), event(5, 1, .op, "open"), event(9, 2, .op, "open"),
            event(9, 0, .step, "line 4"), event(9, 3, .start, "", "podrt ps"), event(12, 3, .op, "stat"),
            event(12, 0, .step, "line 5"),
        ]
        let involved = Trace.involved(events, violation: "I6 broken: volume data is gone")
        XCTAssertEqual(involved, [1], "the creator of the object the violation names; line 5 started nothing")
        XCTAssertEqual(Trace.involved(events, violation: "I3 broken: lock 7 is leaked"), [3],
                       "nothing named: the last step that started processes")
        XCTAssertEqual(Trace.only([3], in: events).map(\.serial), [0, 0, 3, 3, 0])
    }

    /// xmllint if installed, else Python's XML parser.
    func assertWellFormed(_ svg: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = NSTemporaryDirectory() + "trace-picture-\(getpid()).svg"
        try svg.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let checker = Process()
        checker.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") {
            checker.arguments = ["xmllint", "--noout", path]
        } else {
            checker.arguments = ["python3", "-c", "import sys, xml.etree.ElementTree as t; t.parse(sys.argv[1])", path]
        }
        try checker.run()
        checker.waitUntilExit()
        XCTAssertEqual(checker.terminationStatus, 0, "the SVG is not well-formed XML", file: file, line: line)
    }
}
