import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// podrt's command line through the built binary: the global flags (help, position) and the enum-valued options.
final class CLITests: XCTestCase {
    override func setUpWithError() throws { try requirePodrtBinary() }

    /// Runs `podrt ARGUMENTS` on the scratch machine; returns the status and what it wrote to stdout and stderr
    /// together.
    func podrt(_ scratch: ScratchMachine, _ arguments: String) throws -> (status: ExitStatus, output: String) {
        let out = scratch.root + "/out"
        let status = try runPodrt(scratch, arguments, output: out)
        return (status, try String(contentsOfFile: out, encoding: .utf8))
    }

    func testHelpListsTheGlobalFlagsWithTheirDefaults() throws {
        let scratch = try ScratchMachine()
        let help = try podrt(scratch, "--help")
        XCTAssertEqual(help.status, .exited(0))
        for flag in ["--root <root>", "--runroot <runroot>", "--config <config>", "--num-locks <num-locks>",
                     "--lock-type <lock-type>", "--runtime <runtime>"] {
            XCTAssertTrue(help.output.contains(flag), "\(flag) is not in:\n\(help.output)")
        }
        // The help wraps lines: compare with the whitespace runs made single spaces.
        let words = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for text in ["default: /var/lib/podrt", "default: /run/podrt", "default: /etc/podrt/containers.conf",
                     "default: 2048", "default: shm", "values: shm, file", "default: runc"] {
            XCTAssertTrue(words.contains(text), "\(text) is not in:\n\(help.output)")
        }
        XCTAssertFalse(help.output.contains("--machine-root"), "the hidden flag shows:\n\(help.output)")
        let ps = try podrt(scratch, "system info --help")
        XCTAssertEqual(ps.status, .exited(0))
        XCTAssertTrue(ps.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .contains("values: table, json; default: table"), ps.output)
    }

    /// `podrt --root X --runroot Y ps -a --format json`, podman's form; the same flags after the subcommand
    /// reach the same store.
    func testGlobalFlagsBeforeOrAfterTheSubcommand() throws {
        let scratch = try ScratchMachine()
        let paths = "--root /state/lib --runroot /state/run"
        let created = try podrt(scratch, "\(paths) volume create v1")
        XCTAssertEqual(created.status, .exited(0), created.output)
        XCTAssertTrue(scratch.exists("/state/lib/podrt.db"))
        XCTAssertTrue(scratch.exists("/state/run/alive"))
        XCTAssertFalse(scratch.exists("/var/lib/podrt/podrt.db"))

        let before = try podrt(scratch, "\(paths) ps -a --format json")
        XCTAssertEqual(before.status, .exited(0), before.output)
        XCTAssertEqual(try JSON.parse(before.output), .array([]))

        let after = try podrt(scratch, "volume ls --format json \(paths)")
        XCTAssertEqual(after.status, .exited(0), after.output)
        XCTAssertEqual(try JSON.parse(after.output).arrayValue?.count, 1)
        let nested = try podrt(scratch, "--root /state/lib volume --runroot /state/run ls --format json")
        XCTAssertEqual(nested.status, .exited(0), nested.output)
        XCTAssertEqual(try JSON.parse(nested.output).arrayValue?.count, 1)

        // Behind `--`, a flag is the container's command, not podrt's.
        let container = try podrt(scratch, "\(paths) container create --name c --rootfs /r -- sh --root /elsewhere")
        XCTAssertEqual(container.status, .exited(0), container.output)
        let listing = try podrt(scratch, "\(paths) ps -a --format json")
        XCTAssertEqual(try JSON.parse(listing.output).arrayValue?.first?["Command"],
                       .array([.string("sh"), .string("--root"), .string("/elsewhere")]))
        XCTAssertFalse(scratch.exists("/elsewhere"))
    }

    func testBadFormatIsAUsageErrorNamingTheValues() throws {
        let scratch = try ScratchMachine()
        // ps, events and inspect take Go templates (GoTemplateCLITests); the other listings table or json.
        for arguments in ["system info --format yaml", "system locks --format yaml", "volume ls --format yaml"] {
            let result = try podrt(scratch, arguments)
            XCTAssertEqual(result.status, .exited(125), arguments)
            XCTAssertTrue(result.output.contains("'yaml' is invalid for '--format <format>'"), result.output)
            XCTAssertTrue(result.output.contains("Please provide one of 'table' and 'json'"), result.output)
        }
    }

    func testBadLockTypeIsAUsageErrorNamingTheValues() throws {
        let scratch = try ScratchMachine()
        for arguments in ["--lock-type sem ps", "ps --lock-type sem"] {
            let result = try podrt(scratch, arguments)
            XCTAssertEqual(result.status, .exited(125), arguments)
            XCTAssertTrue(result.output.contains("'sem' is invalid for '--lock-type <lock-type>'"), result.output)
            XCTAssertTrue(result.output.contains("Please provide one of 'shm' and 'file'"), result.output)
        }
        XCTAssertFalse(scratch.exists("/var/lib/podrt/podrt.db"), "a usage error must not open the store")
        let info = try podrt(scratch, "system info --lock-type file --format json")
        XCTAssertEqual(info.status, .exited(0), info.output)
        XCTAssertEqual(try JSON.parse(info.output)["locks"]?["lockType"], .string("file"))
    }
}
