import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// podman's command line through the built podrt binary (issue 21, item 3): `--format` templates, ps's
/// flags, events' times and filters, inspect's shape, unknown commands and exit codes, `system migrate`.
/// Containers are created, not run (no runc needed), on a scratch machine under `--root/--runroot`.
final class PodmanCLITests: XCTestCase {
    var scratch: ScratchMachine!

    override func setUpWithError() throws {
        try requirePodrtBinary()
        scratch = try ScratchMachine()
    }

    /// `podrt --root … --runroot … ARGUMENTS` (shell words); the status, stdout and stderr.
    func podrt(_ arguments: String) throws -> (status: ExitStatus, out: String, err: String) {
        let out = scratch.root + "/out", err = scratch.root + "/err"
        let status = try runShell("'\(podrtBinary)' --machine-root '\(scratch.root)' --root /s/lib --runroot /s/run "
                                  + "\(arguments) > '\(out)' 2> '\(err)'", machine: scratch.machine)
        return (status, try String(contentsOfFile: out, encoding: .utf8), try String(contentsOfFile: err, encoding: .utf8))
    }

    /// Two containers, `web` alone and `db` in pod `p1`, created in that order; returns their ids.
    func twoContainers() throws -> (web: String, db: String) {
        XCTAssertEqual(try podrt("pod create --name p1").status, .exited(0))
        let web = try podrt("create --name web --rootfs /r sh -c 'echo hi'")
        XCTAssertEqual(try podrt("volume create data").status, .exited(0))
        let db = try podrt("create --name db --pod p1 -v data:/data --rootfs /r /bin/true")
        XCTAssertEqual(web.status, .exited(0), web.err)
        XCTAssertEqual(db.status, .exited(0), db.err)
        return (web.out.trimmingCharacters(in: .newlines), db.out.trimmingCharacters(in: .newlines))
    }

    func testPSFormatTemplatesAsPodmanUsersWriteThem() throws {
        let (web, db) = try twoContainers()
        XCTAssertEqual(try podrt("ps -a --format '{{.Names}}'").out, "web\ndb\n")
        XCTAssertEqual(try podrt("ps -a --format '{{.ID}} {{.Names}}'").out, "\(web.prefix(12)) web\n\(db.prefix(12)) db\n")
        XCTAssertEqual(try podrt("ps -a --no-trunc --format '{{.ID}}'").out, "\(web)\n\(db)\n")
        XCTAssertEqual(try podrt("ps -a --format '{{.Names}}\\t{{.Status}}\\t{{.State}}\\t{{.Command}}'").out,
                       "web\tCreated\tCreated\tsh -c echo hi\ndb\tCreated\tCreated\t/bin/true\n")
        XCTAssertEqual(try podrt("ps -a --format '{{.Pod}}|{{.PodName}}|{{.Image}}|{{.Pid}}|{{.Mounts}}'").out,
                       "|||0|[]\n\(try podID().prefix(12))|p1||0|[/data]\n")
        XCTAssertEqual(try podrt("ps -a --format '{{if .Pod}}{{upper .Names}} in {{.PodName}}{{else}}{{lower .Names}} alone{{end}}'").out,
                       "web alone\nDB in p1\n")
        XCTAssertEqual(try podrt("ps -a --format '{{range .Mounts}}<{{.}}>{{end}}{{join .Mounts \",\"}}'").out, "\n</data>/data\n")
        XCTAssertEqual(try podrt("ps -a --format '{{json .Names}}'").out, "\"web\"\n\"db\"\n")
        let created = try podrt("ps -a --format '{{.CreatedAt}}|{{.RunningFor}}'").out
        XCTAssertNotNil(created.range(of: #"^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC\|(Less than a second|\d+ seconds?) ago\n"#,
                                      options: .regularExpression), created)

        // `table`: podman's headers, columns padded as its tabwriter.
        let table = try podrt("ps -a --format 'table {{.ID}}\\t{{.Names}}\\t{{.PodName}} {{.Status}}'")
        XCTAssertEqual(table.status, .exited(0), table.err)
        XCTAssertEqual(table.out, """
            CONTAINER ID  NAMES       PODNAME     STATUS
            \(web.prefix(12))  web                     Created
            \(db.prefix(12))  db          p1          Created

            """)
        // `json` and `{{json .}}` are the JSON listing, as before.
        for format in ["json", "'{{json .}}'"] {
            let json = try JSON.parse(try podrt("ps -a --format \(format)").out)
            XCTAssertEqual(json.arrayValue?.map { $0["Names"] }, [.array([.string("web")]), .array([.string("db")])], format)
        }
        // Nothing listed, nothing printed.
        XCTAssertEqual(try podrt("ps --format '{{.Names}}'").out, "")
    }

    func podID() throws -> String {
        try XCTUnwrap(try JSON.parse(try podrt("pod ls --format json").out).arrayValue?.first?["Id"]?.stringValue)
    }

    func testTemplateErrorsExit125NamingTheTemplateAndColumn() throws {
        _ = try twoContainers()
        let cases = [
            ("ps -a --format '{{.Id}}'", #"Error: template: ps:1:1: executing "ps" at <.Id>: can't evaluate field Id"#),
            ("ps -a --format 'x {{printf \"%s\" .Names}}'", #"Error: template: ps:1:3: function "printf" not defined"#),
            ("ps -a --format '{{.Names'", "Error: template: ps:1:1: unclosed action"),
            ("ps -a --format '{{join .Names \",\"}}'", "expected []string; got string"),
            ("events --format '{{range .Name}}{{end}}'", #"Error: template: events:1:1: executing "events" at <.Name>: range can't iterate over"#),
            ("inspect web --format '{{.State.Nope}}'", #"Error: template: inspect:1:1: executing "inspect" at <.State.Nope>: can't evaluate field Nope"#),
        ]
        for (arguments, message) in cases {
            let result = try podrt(arguments)
            XCTAssertEqual(result.status, .exited(125), arguments)
            XCTAssertTrue(result.err.hasPrefix(message) || result.err.contains(message), "\(arguments): \(result.err)")
            XCTAssertEqual(result.out, "", arguments)
        }
    }

    func testPSQuietFilterLastAndSort() throws {
        let (web, db) = try twoContainers()
        let (w, d) = (String(web.prefix(12)), String(db.prefix(12)))
        XCTAssertEqual(try podrt("ps -q").out, "", "none running")
        XCTAssertEqual(try podrt("ps -a -q").out, "\(w)\n\(d)\n")
        XCTAssertEqual(try podrt("ps -aq --no-trunc").out, "\(web)\n\(db)\n")
        func names(_ flags: String) throws -> String {
            let result = try podrt("ps -a \(flags) --format '{{.Names}}'")
            XCTAssertEqual(result.status, .exited(0), "\(flags): \(result.err)")
            return result.out
        }
        XCTAssertEqual(try names("--filter name=eb"), "web\n", "a name is a regular expression searched in the name")
        XCTAssertEqual(try names("--filter name=^d"), "db\n")
        XCTAssertEqual(try names("--filter name=^w --filter name=^d"), "web\ndb\n", "the same key twice: either")
        XCTAssertEqual(try names("--filter name=. --filter pod=p1"), "db\n", "different keys: both")
        XCTAssertEqual(try names("--filter pod=\(try podID().prefix(6))"), "db\n", "a pod by id prefix")
        XCTAssertEqual(try names("--filter id=\(web.prefix(5))"), "web\n", "an id is a prefix")
        XCTAssertEqual(try names("--filter id=\(web.dropFirst(2).prefix(5))"), "", "not a substring")
        XCTAssertEqual(try names("--filter status=created"), "web\ndb\n")
        XCTAssertEqual(try names("--filter status=running"), "")
        XCTAssertEqual(try names("--filter status=exited --filter status=created"), "web\ndb\n")
        XCTAssertEqual(try names("--filter exited=0"), "", "only exited containers have exit codes")
        XCTAssertEqual(try names("--filter label=app"), "", "podrt containers carry no labels")
        XCTAssertEqual(try podrt("ps -n 1 --format '{{.Names}}'").out, "db\n", "-n: the last created, whatever its state")
        XCTAssertEqual(try podrt("ps --last 5 --format '{{.Names}}'").out, "db\nweb\n")
        XCTAssertEqual(try names("--sort names"), "db\nweb\n")
        XCTAssertEqual(try names("--sort created"), "db\nweb\n", "newest first, as podman")
        XCTAssertEqual(try names("--sort command"), "db\nweb\n", "/bin/true before sh")
        XCTAssertEqual(try names("--sort pod"), "web\ndb\n", "no pod before p1")

        for (flags, message) in [("--filter foo=1", "Error: foo is an invalid filter"),
                                 ("--filter name", "Error: invalid filter \"name\""),
                                 ("--filter 'name=['", "is not a regular expression"),
                                 ("--filter status=up", "status wants one of created, exited"),
                                 ("--filter exited=x", "exited wants an exit code"),
                                 ("--sort size", "invalid argument \"size\" for \"--sort\" flag: choose from command, created"),
                                 ("--last x", "Error: The value 'x' is invalid for '--last <last>'")] {
            let result = try podrt("ps -a \(flags)")
            XCTAssertEqual(result.status, .exited(125), flags)
            XCTAssertTrue(result.err.contains(message), "\(flags): \(result.err)")
        }
    }

    func testEventsSinceUntilFilterAndStream() throws {
        _ = try twoContainers()
        XCTAssertEqual(try podrt("rm web").status, .exited(0))
        func lines(_ flags: String) throws -> [String] {
            let result = try podrt("events \(flags) --format '{{.Type}} {{.Status}} {{.Name}}'")
            XCTAssertEqual(result.status, .exited(0), "\(flags): \(result.err)")
            return result.out.split(separator: "\n").map(String.init)
        }
        let all = try lines("")
        XCTAssertEqual(all, ["system refresh ", "pod create p1", "container create web", "volume create data",
                             "container create db", "container remove web"])
        XCTAssertEqual(try lines("--stream=false"), all)
        XCTAssertEqual(try lines("--filter type=container"), ["container create web", "container create db", "container remove web"])
        XCTAssertEqual(try lines("--filter event=create --filter type=pod"), ["pod create p1"])
        XCTAssertEqual(try lines("--filter event=remove --filter event=refresh"), ["system refresh ", "container remove web"])
        XCTAssertEqual(try lines("--filter container=web"), ["container create web", "container remove web"])
        XCTAssertEqual(try lines("--filter pod=p1"), ["pod create p1"])
        XCTAssertEqual(try lines("--filter volume=data"), ["volume create data"])
        XCTAssertEqual(try lines("--filter pod=p1 --filter volume=data"), [], "different keys must all match")
        XCTAssertEqual(try lines("--filter container=p1"), [], "p1 is a pod")

        // Times from the log itself: everything since the first event, nothing until before it.
        let nanos = try podrt("events --format '{{.TimeNano}}'").out.split(separator: "\n").compactMap { Int64($0) }
        XCTAssertEqual(nanos.count, 6)
        let first = WallTime(seconds: nanos[0] / 1_000_000_000)
        let date = String(Timestamp.rfc3339(first).prefix(10))
        XCTAssertEqual(try lines("--since \(first.seconds)").count, 6)
        XCTAssertEqual(try lines("--until \(first.seconds - 1)"), [])
        XCTAssertEqual(try lines("--since 10m --until 2099-01-01").count, 6)
        XCTAssertEqual(try lines("--since \(date)").count, 6)
        XCTAssertEqual(try lines("--until \(date)T00:00:00"), [])
        let offset = Timestamp.rfc3339(WallTime(seconds: first.seconds - 1 + 3600)).prefix(19) + "+01:00"
        XCTAssertEqual(try lines("--since \(offset)").count, 6, "\(offset) is a second before the first event")
        XCTAssertEqual(try lines("--until \(offset)"), [])
        XCTAssertEqual(try lines("--since 2099-01-01T00:00:00Z"), [])

        for (flags, message) in [
            ("--stream", "podrt events does not stream (podrt has no live event feed): use --stream=false"),
            ("--stream=true", "does not stream"), ("--stream=maybe", "invalid --stream value \"maybe\""),
            ("--since yesterday", "cannot read --since yesterday: it wants Unix seconds, a duration (10m), RFC 3339"),
            ("--until 2026-13-01", "cannot read --until 2026-13-01"),
            ("--filter image=x", "invalid filter \"image=x\": it wants KEY=VALUE, KEY one of type, event, container, pod, volume"),
        ] {
            let result = try podrt("events \(flags)")
            XCTAssertEqual(result.status, .exited(125), flags)
            XCTAssertTrue(result.err.contains(message), "\(flags): \(result.err)")
            XCTAssertEqual(result.out, "", flags)
        }
    }

    func testInspectInPodmansShape() throws {
        let (web, db) = try twoContainers()
        let result = try podrt("inspect web db")
        XCTAssertEqual(result.status, .exited(0), result.err)
        let items = try XCTUnwrap(try JSON.parse(result.out).arrayValue)
        XCTAssertEqual(items.count, 2)
        XCTAssertEqual(items[0]["Id"], .string(web))
        XCTAssertEqual(items[0]["Name"], .string("web"))
        XCTAssertEqual(items[0]["State"], .object([
            ("Status", .string("created")), ("Running", .bool(false)), ("Paused", .bool(false)), ("Pid", .number(0)),
            ("ConmonPid", .number(0)), ("ExitCode", .number(0)), ("StartedAt", .string("0001-01-01T00:00:00Z")),
            ("FinishedAt", .string("0001-01-01T00:00:00Z")),
        ]))
        XCTAssertEqual(items[0]["Config"]?["Cmd"], .array([.string("sh"), .string("-c"), .string("echo hi")]))
        XCTAssertEqual(items[0]["Config"]?["Env"], .array([]))
        XCTAssertEqual(items[0]["Path"], .string("sh"))
        XCTAssertEqual(items[0]["Pod"], .string(""))
        XCTAssertEqual(items[1]["Id"], .string(db))
        XCTAssertEqual(items[1]["Pod"], .string(try podID()))
        XCTAssertEqual(items[1]["PodName"], .string("p1"))
        XCTAssertEqual(items[1]["Mounts"], .array([.object([("Type", .string("volume")), ("Name", .string("data")),
                                                            ("Destination", .string("/data")), ("RW", .bool(true))])]))
        XCTAssertNotNil(items[1]["LockID"]?.intValue)

        let template = try podrt("inspect --format '{{.Name}} {{.State.Status}} {{.State.Running}} {{json .Config.Cmd}}' web db")
        XCTAssertEqual(template.out, "web created false [\"sh\",\"-c\",\"echo hi\"]\ndb created false [\"/bin/true\"]\n")
        // A missing container: the others still print, podman's exit 125.
        let missing = try podrt("inspect web nosuch")
        XCTAssertEqual(missing.status, .exited(125))
        XCTAssertEqual(try JSON.parse(missing.out).arrayValue?.count, 1)
        XCTAssertEqual(missing.err, "Error: no such container nosuch\n")
    }

    func testUnknownCommandsAndExitCodes() throws {
        let typo = try podrt("psx")
        XCTAssertEqual(typo.status, .exited(125))
        XCTAssertEqual(typo.err, "Error: unrecognized command `podrt psx`\n\nDid you mean this?\n\tps\n\tpod\n\n"
                       + "Try 'podrt --help' for more information\n")
        let far = try podrt("zzzzzz")
        XCTAssertEqual(far.status, .exited(125))
        XCTAssertEqual(far.err, "Error: unrecognized command `podrt zzzzzz`\nTry 'podrt --help' for more information\n")
        let nested = try podrt("volume lss")
        XCTAssertEqual(nested.status, .exited(125))
        XCTAssertEqual(nested.err, "Error: unrecognized command `podrt volume lss`\n\nDid you mean this?\n\tls\n\n"
                       + "Try 'podrt volume --help' for more information\n")
        XCTAssertEqual(try podrt("set-state x running").status, .exited(125), "hidden commands stay under container")
        XCTAssertFalse(try podrt("sett").err.contains("set-state"), "hidden commands are not suggested")
        XCTAssertEqual(try podrt("help ps").status, .exited(0))
        let group = try podrt("container")
        XCTAssertEqual(group.status, .exited(125), "podman: a group without its command")
        XCTAssertTrue(group.out.contains("SUBCOMMANDS:") && group.out.contains("inspect"), group.out)
        XCTAssertEqual(group.err, "Error: missing command 'podrt container COMMAND'\n")
        XCTAssertEqual(try podrt("").err, "Error: missing command 'podrt COMMAND'\n")
        XCTAssertEqual(try podrt("container --help").status, .exited(0))
        XCTAssertEqual(try podrt("ps -a --bogus").status, .exited(125), "a bad flag")
        for flag in ["--root", "--runroot", "--config"] {
            let empty = try podrt("ps \(flag) ''")
            XCTAssertEqual(empty.status, .exited(125), "\(flag) '': \(empty.err)")
            XCTAssertTrue(empty.err.hasPrefix("Error: \(flag) is empty: expected the path of "), empty.err)
        }

        _ = try twoContainers()
        for arguments in ["create --name web --rootfs /r /bin/true", "start nosuch", "stop nosuch", "kill nosuch",
                          "wait nosuch", "logs nosuch", "pod create --name web"] {
            let result = try podrt(arguments)
            XCTAssertEqual(result.status, .exited(125), "\(arguments): \(result.err)")
            XCTAssertTrue(result.err.hasPrefix("Error: "), result.err)
        }
        XCTAssertEqual(try podrt("rm nosuch").status, .exited(1), "podman's rm: 1 for a missing container")
    }

    func testSystemMigrateChecksTheRuntimeFirst() throws {
        _ = try twoContainers()
        // crun is configured (podman's default list) but not installed on the scratch machine.
        for (runtime, message) in [("crun", "system migrate --new-runtime crun: OCI runtime crun not found"),
                                   ("nosuch", "system migrate --new-runtime nosuch: unknown OCI runtime nosuch"),
                                   ("/usr/bin/nosuch", "unknown OCI runtime /usr/bin/nosuch")] {
            let result = try podrt("system migrate --new-runtime \(runtime)")
            XCTAssertEqual(result.status, .exited(125), runtime)
            XCTAssertTrue(result.err.contains(message) && result.err.contains("nothing was changed"), "\(runtime): \(result.err)")
        }
        XCTAssertEqual(try podrt("inspect --format '{{.OCIRuntime}}' web db").out, "runc\nrunc\n", "unchanged")
        // runc is there (the scratch machine's /usr/bin/runc), by name or by path.
        XCTAssertEqual(try podrt("system migrate --new-runtime runc").out, "migrated 0 containers\n")
        XCTAssertEqual(try podrt("system migrate --new-runtime /usr/bin/runc").out, "migrated 0 containers\n")
        let crun = scratch.root + "/usr/bin/crun"
        try "#!/bin/sh\n".write(toFile: crun, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: crun)
        let migrated = try podrt("system migrate --new-runtime crun")
        XCTAssertEqual(migrated.status, .exited(0), migrated.err)
        XCTAssertEqual(migrated.out, "migrated 2 containers\n")
        XCTAssertEqual(try podrt("inspect --format '{{.OCIRuntime}}' web db").out, "crun\ncrun\n")
    }
}
