import XCTest
import Core
import SimFS

/// `--explain` names where each divergence from systemd 252 comes from: the crypttab entry (volume name and
/// file:line) or the kernel command line; the tree it prints and the normal run are unchanged.
final class ExplainTests: XCTestCase {
    func explain(crypttab: String, commandLine: String = "") throws -> (status: Int32, stdout: String) {
        let world = SimWorld(seed: 7)
        let fileSystem = world.machine(for: world.spawn(name: "generator")).fileSystem
        try fileSystem.makeDirectories("/etc", permissions: FilePermissions(rawValue: 0o755))
        let fd = try fileSystem.open("/etc/crypttab", [.write, .create, .truncate])
        try fileSystem.writeAll(fd, Array(crypttab.utf8))
        try fileSystem.close(fd)
        let values = ["SYSTEMD_EFI_OPTIONS": "", "SYSTEMD_LOG_COLOR": "0"]
        let stdout = TextBox()
        let process = GeneratorProcess(
            arguments: ["systemd-cryptsetup-generator", "--explain", "--crypttab", "/etc/crypttab", "--cmdline", commandLine],
            environment: { values[$0] }, fileSystem: fileSystem, standardOutput: { stdout.text += $0 },
            standardError: { _ in })
        return (GeneratorCommand.run(process), stdout.text)
    }

    func divergences(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").filter { $0.hasPrefix("# differs") }
            .map { String($0.dropFirst("# differs from systemd 252 on purpose: ".count)) }
    }

    func testEachDivergenceNamesItsEntry() throws {
        let result = try explain(crypttab: "da'ta /dev/sda none\n# a comment\ngood /dev/sdb none\nb'x /dev/sdc none\n")
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(divergences(result.stdout), [
            "exec-quoting (crypttab entry da'ta at /etc/crypttab:1)",
            "exec-quoting (crypttab entry b'x at /etc/crypttab:4)",
        ])
    }

    func testEntriesAfterAFailedOneContinue() throws {
        let result = try explain(crypttab: "data /dev/sda none\ndata /dev/sdb none\nlater /dev/sdc none\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(divergences(result.stdout), ["continue-after-failure (crypttab entry later at /etc/crypttab:3)"])
    }

    func testAFailedEntryThatLeftAUnitAndTheEntryAfterIt() throws {
        let result = try explain(crypttab: "first /dev/sda none\na/b /dev/sdb /k.key:LABEL=keys\nafter /dev/sdc none\n")
        XCTAssertEqual(divergences(result.stdout), [
            "continue-after-failure (crypttab entry after at /etc/crypttab:3)",
            "no-partial-unit (crypttab entry a/b at /etc/crypttab:2)",
        ])
    }

    func testCommandLineDevicesAreTheCommandLines() throws {
        let result = try explain(crypttab: "plain /dev/sda none\n",
                                 commandLine: "\"luks.name=0b4f7d8e-8e36-4a83-9f7a-1f0d5c4b6a11=a'b\" "
                                    + "luks.uuid=7f3c2a10-5d4e-4b6f-8a9c-0d1e2f3a4b5c")
        XCTAssertEqual(divergences(result.stdout), [
            "command-line-order (kernel command line)",
            "exec-quoting (kernel command line)",
        ])
    }

    /// The listing above the divergence lines is the plan's tree, as before.
    func testTheTreeIsUnchanged() throws {
        let result = try explain(crypttab: "da'ta /dev/sda none\n")
        let tree = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("# differs") }.joined(separator: "\n")
        XCTAssertTrue(tree.hasPrefix("directory 0755 /run/systemd/generator/cryptsetup.target.requires\n"), tree)
        XCTAssertTrue(tree.contains("    ExecStart=/lib/systemd/systemd-cryptsetup attach 'da\\'ta' '/dev/sda' 'none' ''"), tree)
    }
}
