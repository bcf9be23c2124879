import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// Runs the built `podrt ARGUMENTS` (the shell splits them) on the scratch machine; returns the status and
/// what it wrote to stdout and to stderr.
func runPodrt(_ scratch: ScratchMachine, _ arguments: String) throws -> (status: ExitStatus, out: String, err: String) {
    let out = scratch.root + "/out", err = scratch.root + "/err"
    let status = try runShell("'\(podrtBinary)' --machine-root '\(scratch.root)' \(arguments) > '\(out)' 2> '\(err)'",
                              machine: scratch.machine)
    return (status, try String(contentsOfFile: out, encoding: .utf8), try String(contentsOfFile: err, encoding: .utf8))
}

/// A line of the events log that is not an event is reported (file:line:column and why), and the others
/// still read; `podrt events` prints them and exits 1.
final class EventLogTests: XCTestCase {
    func testEventLogReportsEachBadLineAndReadsTheOthers() throws {
        let scratch = try ScratchMachine()
        let runtime = try scratch.open()  // logs the boot's refresh
        let log = scratch.root + runtime.config.eventsLog
        let good = try String(contentsOfFile: log, encoding: .utf8)
        let bad = [
            #"{"timeNano":1,"type":"system","status":"\uD800\u0041"}"#,
            #"{"timeNano":1,"type":"system","status":"\uDC00"}"#,
            #"{"timeNano":1,"type":"system","status":"\q"}"#,
            "{\"timeNano\":1,\"type\":\"system\",\"status\":\"a\u{1}b\"}",
            #"{"timeNano":1,"type":"system"}"#,
        ]
        try (good + bad.joined(separator: "\n") + "\n" + good).write(toFile: log, atomically: false, encoding: .utf8)
        let lines = try runtime.events.readEach()
        XCTAssertEqual(lines.compactMap { try? $0.get().status }, ["refresh", "refresh"])
        let path = runtime.config.eventsLog
        XCTAssertEqual(lines.compactMap { if case let .failure(error) = $0 { return error.description } else { return nil } }, [
            "\(path):2:41: invalid JSON: high surrogate \\uD800 followed by \\u0041, not by a low surrogate",
            "\(path):3:41: invalid JSON: lone low surrogate \\uDC00 in a string",
            "\(path):4:41: invalid JSON: invalid escape \\q in a string",
            "\(path):5:42: invalid JSON: raw control character U+0001 in a string (write it as an escape)",
            "\(path):6: not an event (it needs timeNano, type and status)",
        ])
        XCTAssertThrowsMessage(try runtime.events.read(), "\(path):2:41")
    }

    func testEventsCommandPrintsTheGoodLinesAndNamesEachBadOne() throws {
        guard FileManager.default.isExecutableFile(atPath: podrtBinary) else {
            throw XCTSkip("no podrt binary at \(podrtBinary): run `swift build` first")
        }
        let scratch = try ScratchMachine()
        XCTAssertEqual(try runPodrt(scratch, "volume create v1").status, .exited(0))
        let log = scratch.root + "/var/lib/podrt/events/events.log"
        let good = try String(contentsOfFile: log, encoding: .utf8)  // refresh, then the volume's create
        let bad = #"{"timeNano":1,"type":"system","status":"\uD800\u0041"}"# + "\n"
            + #"{"timeNano":1,"type":"system","status":"\uDC00"}"# + "\n"
            + #"{"timeNano":1,"type":"system","status":"\u00"}"# + "\n"
            + "{\"timeNano\":1,\"type\":\"system\",\"status\":\"\u{7}\"}\n"
        try (good + bad + good).write(toFile: log, atomically: false, encoding: .utf8)

        let events = try runPodrt(scratch, "events")
        XCTAssertEqual(events.status, .exited(1), events.err)
        XCTAssertEqual(events.out.split(separator: "\n").map { $0.split(separator: " ").dropFirst().joined(separator: " ") },
                       ["system refresh", "volume create v1 (name=v1)", "system refresh", "volume create v1 (name=v1)"])
        XCTAssertEqual(events.err.split(separator: "\n"), [
            #"Error: /var/lib/podrt/events/events.log:3:41: invalid JSON: high surrogate \uD800 followed by \u0041, not by a low surrogate"#,
            #"Error: /var/lib/podrt/events/events.log:4:41: invalid JSON: lone low surrogate \uDC00 in a string"#,
            #"Error: /var/lib/podrt/events/events.log:5:41: invalid JSON: \u must be followed by four hex digits"#,
            "Error: /var/lib/podrt/events/events.log:6:41: invalid JSON: raw control character U+0007 in a string (write it as an escape)",
        ])
        let json = try runPodrt(scratch, "events --format json")
        XCTAssertEqual(json.status, .exited(1))
        XCTAssertEqual(try json.out.split(separator: "\n").map { try JSON.parse(String($0))["status"]?.stringValue },
                       ["refresh", "create", "refresh", "create"])
    }

    /// Found on the way: a timeNano just before the epoch made `Timestamp.rfc3339` trap (a negative count),
    /// and Int64.min overflowed `Event.json`; a huge `--since` duration overflowed.
    func testAnyTimeNanoPrintsAndHugeDurationsAreRefused() throws {
        for nanos: Int64 in [-999_999_999, -1, .min, .max] {
            let event = try XCTUnwrap(Event(json: .object([("timeNano", .number(nanos)), ("type", .string("system")),
                                                           ("status", .string("refresh"))])))
            XCTAssertTrue((0..<1_000_000_000).contains(event.time.nanoseconds))
            XCTAssertEqual(event.json["timeNano"], .number(nanos))
            XCTAssertTrue(event.text.hasSuffix("Z system refresh"), event.text)
        }
        XCTAssertEqual(Event(json: .object([("timeNano", .number(-1)), ("type", .string("t")), ("status", .string("s"))]))?.text,
                       "1969-12-31T23:59:59.999999999Z t s")
        XCTAssertNil(Timestamp.parseSince("99999999999999h", now: WallTime(seconds: 0)))
        XCTAssertNil(Timestamp.parseSince("9223372036854775807s1s", now: WallTime(seconds: 0)))
    }
}
