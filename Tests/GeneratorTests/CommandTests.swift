import XCTest
import Core
import SimFS

/// The program contract on a simulated machine: argument count, --explain, log levels, and that a write
/// failure leaves no partial unit and does not stop the other entries.
final class CommandTests: XCTestCase {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String], crypttab: String, environment: [String: String] = [:],
             world: SimWorld = SimWorld(seed: 7)) throws -> (Run, any FileSystem) {
        let pid = world.spawn(name: "generator")
        let fileSystem = world.machine(for: pid).fileSystem
        try fileSystem.makeDirectories("/run/systemd/generator", permissions: FilePermissions(rawValue: 0o755))
        let fd = try fileSystem.open("/etc/crypttab", [.write, .create, .truncate])
        try fileSystem.writeAll(fd, Array(crypttab.utf8))
        try fileSystem.close(fd)
        var values = ["SYSTEMD_PROC_CMDLINE": "", "SYSTEMD_EFI_OPTIONS": "", "SYSTEMD_LOG_COLOR": "0"]
        values.merge(environment) { $1 }
        let stdout = TextBox(), stderr = TextBox()
        let process = GeneratorProcess(arguments: arguments, environment: { values[$0] }, fileSystem: fileSystem,
                                       standardOutput: { stdout.text += $0 }, standardError: { stderr.text += $0 })
        let status = GeneratorCommand.run(process)
        return (Run(status: status, stdout: stdout.text, stderr: stderr.text), fileSystem)
    }

    func testArgumentCount() throws {
        let (result, _) = try run(["/usr/lib/x/systemd-cryptsetup-generator", "a", "b"], crypttab: "")
        XCTAssertEqual(result.status, 234)
        XCTAssertEqual(result.stderr, "This program takes one or three arguments.\n")
    }

    func testExplainPrintsAndWritesNothing() throws {
        let (result, fileSystem) = try run(
            ["systemd-cryptsetup-generator", "--explain", "--crypttab", "/etc/crypttab", "--cmdline", ""],
            crypttab: "data UUID=1234 /k:LABEL=kd\n")
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("file      0644 /run/systemd/generator/systemd-cryptsetup@data.service"))
        XCTAssertTrue(result.stdout.contains("    ExecStop=/lib/systemd/systemd-cryptsetup detach 'data'"))
        XCTAssertTrue(result.stdout.contains("directory 0700 /run/systemd/cryptsetup/keydev-data"))
        XCTAssertEqual(try fileSystem.readdir("/run/systemd/generator"), [])
        XCTAssertFalse(try fileSystem.exists("/run/systemd/cryptsetup"))
    }

    func testLogLevelFiltersMessages() throws {
        let crypttab = "data /dev/sda\nother /dev/sdb\n"
        let quiet = try run(["g", "/run/systemd/generator"], crypttab: crypttab,
                            environment: ["SYSTEMD_PROC_CMDLINE": "luks.uuid=abc", "SYSTEMD_LOG_LEVEL": "warning"])
        XCTAssertEqual(quiet.0.stderr, "")
        let loud = try run(["g", "/run/systemd/generator"], crypttab: crypttab,
                           environment: ["SYSTEMD_PROC_CMDLINE": "luks.uuid=abc", "SYSTEMD_LOG_LEVEL": "info"])
        XCTAssertEqual(loud.0.stderr, """
            Not creating device 'data' because it was not specified on the kernel command line.
            Not creating device 'other' because it was not specified on the kernel command line.

            """)
        let colored = try run(["g", "/run/systemd/generator"], crypttab: "x /dev/sda - tmp,swap\n",
                              environment: ["SYSTEMD_LOG_COLOR": "1"])
        XCTAssertEqual(colored.0.stderr,
                       "\u{1B}[0;1;31mDevice 'x' cannot be both 'tmp' and 'swap'. Ignoring.\u{1B}[0m\n")
    }

    func testWriteFailureLeavesNoPartialUnitAndOthersGoOn() throws {
        let world = SimWorld(seed: 9)
        // Renaming the second volume's unit into place fails.
        world.addFault(FaultRule(op: .rename, path: "/run/systemd/generator/systemd-cryptsetup@b.service",
                                 trigger: .always, effect: .error(.noSpace)))
        let (result, fileSystem) = try run(["g", "/run/systemd/generator"],
                                           crypttab: "a /dev/sda\nb /dev/sdb\nc /dev/sdc\n", world: world)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "Failed to create unit file '/run/systemd/generator/systemd-cryptsetup@b.service'"
            + ": No space left on device\n")
        let names = try fileSystem.readdir("/run/systemd/generator").map(\.name).sorted()
        XCTAssertTrue(names.contains("systemd-cryptsetup@a.service"))
        XCTAssertTrue(names.contains("systemd-cryptsetup@c.service"))
        XCTAssertFalse(names.contains("systemd-cryptsetup@b.service"))
        XCTAssertFalse(names.contains { $0.hasPrefix(".#") }, "a temporary file was left behind: \(names)")
        XCTAssertFalse(try fileSystem.exists("/run/systemd/generator/dev-mapper-b.device.requires/systemd-cryptsetup@b.service"))
    }
}
