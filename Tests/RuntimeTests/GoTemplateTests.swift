import XCTest
@testable import Core
@testable import Podrt

/// The `--format` template subset, in process: what each construct prints, and the errors for what it lacks.
final class GoTemplateTests: XCTestCase {
    let row = JSON.object([
        ("Names", .string("web")), ("ID", .string("12dc3faf1cfd")), ("Pid", .number(42)),
        ("Labels", .object([("b", .string("2")), ("a", .string("1"))])),
        ("Mounts", .array([.string("/data"), .string("/logs")])), ("Empty", .array([])), ("Pod", .string("")),
        ("State", .object([("Status", .string("running")), ("Running", .bool(true))])),
    ])

    func run(_ text: String) throws -> String { try GoTemplate(text, name: "ps").execute(row) }

    func testFieldsNestedFieldsAndPrinting() throws {
        XCTAssertEqual(try run("{{.Names}} {{.ID}} {{.Pid}}"), "web 12dc3faf1cfd 42")
        XCTAssertEqual(try run("{{.State.Status}}/{{.State.Running}}"), "running/true")
        XCTAssertEqual(try run("{{.Mounts}} {{.Labels}}"), "[/data /logs] map[a:1 b:2]", "Go's fmt: sorted map keys")
        XCTAssertEqual(try run("{{ .Names }}"), "web", "spaces inside the action")
        XCTAssertEqual(try run("a\n  {{- .Names -}}  \nb"), "awebb", "trim markers")
        XCTAssertEqual(try GoTemplate("{{.}}", name: "t").execute(.string("x")), "x")
    }

    func testFunctionsAndPipes() throws {
        XCTAssertEqual(try run("{{json .}}"), row.serialized())
        XCTAssertEqual(try run("{{json .Mounts}}"), #"["/data","/logs"]"#)
        XCTAssertEqual(try run("{{upper .Names}}{{lower \"AB\"}}"), "WEBab")
        XCTAssertEqual(try run("{{join .Mounts \",\"}}"), "/data,/logs")
        XCTAssertEqual(try run("{{.Names | upper}}"), "WEB")
        XCTAssertEqual(try run("{{json .Names | upper}}"), "\"WEB\"")
        XCTAssertEqual(try run("{{upper (join .Mounts `+`)}}"), "/DATA+/LOGS")
    }

    func testRangeAndIf() throws {
        XCTAssertEqual(try run("{{range .Mounts}}[{{.}}]{{end}}"), "[/data][/logs]")
        XCTAssertEqual(try run("{{range .Empty}}x{{else}}none{{end}}"), "none")
        XCTAssertEqual(try run("{{range .Labels}}{{.}}{{end}}"), "12", "a map ranges over its values, keys sorted")
        XCTAssertEqual(try run("{{if .Pod}}in a pod{{else}}alone{{end}}"), "alone")
        XCTAssertEqual(try run("{{if .State.Running}}up{{end}}"), "up")
        XCTAssertEqual(try run("{{if .Empty}}y{{else}}{{if .Pid}}pid {{.Pid}}{{end}}{{end}}"), "pid 42")
    }

    func testErrorsNameTheTemplateLineAndColumn() throws {
        func failure(_ text: String) -> String {
            do { _ = try run(text); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(failure("{{.Foo}}"), #"template: ps:1:1: executing "ps" at <.Foo>: can't evaluate field Foo"#)
        XCTAssertEqual(failure("ab\ncd {{.Names.X}}"),
                       #"template: ps:2:4: executing "ps" at <.Names.X>: can't evaluate field X in type string"#)
        XCTAssertEqual(failure("x {{printf \"%s\" .Names}}"),
                       #"template: ps:1:3: function "printf" not defined (podrt has json, upper, lower and join)"#)
        XCTAssertEqual(failure("{{.Names"), "template: ps:1:1: unclosed action")
        XCTAssertEqual(failure("{{if .Pod}}x"), "template: ps:1:1: {{if}} without {{end}}")
        XCTAssertEqual(failure("x{{end}}"), "template: ps:1:2: unexpected {{end}}")
        XCTAssertEqual(failure("{{with .Pod}}x{{end}}"), "template: ps:1:1: {{with}} is not supported")
        XCTAssertEqual(failure("{{$x := 1}}"), "template: ps:1:1: variables ($) are not supported")
        XCTAssertEqual(failure("{{join .Names \",\"}}"),
                       #"template: ps:1:1: executing "ps" at <join .Names ",">: wrong type for value; expected []string; got string"#)
        XCTAssertEqual(failure("{{upper .Pid}}"),
                       #"template: ps:1:1: executing "ps" at <upper .Pid>: wrong type for value; expected string; got int64"#)
        XCTAssertEqual(failure("{{join .Mounts}}"),
                       #"template: ps:1:1: executing "ps" at <join .Mounts>: wrong number of args for join: want 2 got 1"#)
        XCTAssertEqual(failure("{{range .Names}}x{{end}}"),
                       #"template: ps:1:1: executing "ps" at <.Names>: range can't iterate over web"#)
        XCTAssertEqual(failure("{{.Names .ID}}"), "template: ps:1:1: can't give argument to non-function")
        XCTAssertEqual(failure("{{}}"), "template: ps:1:1: missing value for command")
    }

    /// `table` as podman's report package: spaces and `\t` become columns, a header from the field names
    /// (with the command's own names), cells padded to the widest plus 2, at least 12.
    func testTableFormat() throws {
        let format = try ReportFormat(#"table {{.ID}}\t{{.Names}} {{.CreatedAt}}"#, name: "ps")
        let rows: [JSON] = [.object([("ID", .string("abc")), ("Names", .string("a-very-long-name")), ("CreatedAt", .string("t1"))]),
                            .object([("ID", .string("def")), ("Names", .string("b")), ("CreatedAt", .string("t2"))])]
        XCTAssertEqual(try format.render(rows, headers: ["ID": "CONTAINER ID"]), """
            CONTAINER ID  NAMES             CREATED AT
            abc           a-very-long-name  t1
            def           b                 t2
            """)
        let plain = try ReportFormat(#"{{.ID}}\t{{.Names}}"#, name: "ps")
        XCTAssertEqual(try plain.render(rows), "abc\ta-very-long-name\ndef\tb", "no table: tabs as they are")
        guard case .json = try ReportFormat("{{ json . }}", name: "ps") else { return XCTFail("{{json .}} is the JSON listing") }
        guard case .json = try ReportFormat("json", name: "ps") else { return XCTFail("json") }
        guard case .table = try ReportFormat("table", name: "ps") else { return XCTFail("table alone is the default table") }
        XCTAssertEqual(ReportFormat.headerName("RunningFor"), "RUNNING FOR")
        XCTAssertEqual(ReportFormat.headerName("ID"), "ID")
    }

    func testPodmanTimeFormats() throws {
        let now = WallTime(seconds: 1_796_360_000, nanoseconds: 5)
        XCTAssertEqual(Timestamp.parseInputTime("1796359000", now: now), WallTime(seconds: 1_796_359_000))
        XCTAssertEqual(Timestamp.parseInputTime("1796359000.25", now: now), WallTime(seconds: 1_796_359_000, nanoseconds: 250_000_000))
        XCTAssertEqual(Timestamp.parseInputTime("10m", now: now), WallTime(seconds: 1_796_359_400, nanoseconds: 5))
        XCTAssertEqual(Timestamp.parseInputTime("2026-12-04T05:00:00Z", now: now), WallTime(seconds: 1_796_360_400))
        XCTAssertEqual(Timestamp.parseInputTime("2026-12-04T07:00:00+02:00", now: now), WallTime(seconds: 1_796_360_400))
        XCTAssertEqual(Timestamp.parseInputTime("2026-12-04T04:30:00.5-00:30", now: now),
                       WallTime(seconds: 1_796_360_400, nanoseconds: 500_000_000))
        XCTAssertEqual(Timestamp.parseInputTime("2026-12-04T05:00:00", now: now), WallTime(seconds: 1_796_360_400))
        XCTAssertEqual(Timestamp.parseInputTime("2026-12-04", now: now), WallTime(seconds: 1_796_342_400))
        for bad in ["", "yesterday", "2026-13-01", "2026-12-04T25:00:00", "2026-12-04T05:00:00+0200", "2026-12-04 05:00", "10x"] {
            XCTAssertNil(Timestamp.parseInputTime(bad, now: now), bad)
        }
        XCTAssertEqual(Timestamp.goString(WallTime(seconds: 1_796_360_400, nanoseconds: 495_104_000)),
                       "2026-12-04 05:00:00.495104 +0000 UTC")
        XCTAssertEqual(Timestamp.goString(WallTime(seconds: 1_796_360_400)), "2026-12-04 05:00:00 +0000 UTC")
        XCTAssertEqual(Timestamp.humanDuration(0), "Less than a second")
        XCTAssertEqual(Timestamp.humanDuration(59), "59 seconds")
        XCTAssertEqual(Timestamp.humanDuration(90), "About a minute")
        XCTAssertEqual(Timestamp.humanDuration(3 * 3600), "3 hours")
        XCTAssertEqual(Timestamp.humanDuration(3 * 86400), "3 days")
    }
}
