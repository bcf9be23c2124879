import Core
import CryptCheck
import XCTest

/// Runs the checker in-process on a crypttab text, on the live file system or under a root.
func check(_ crypttab: String, cmdline: String = "", initrd: Bool = false, root: String = "/", scan: [String] = []) -> CheckReport {
    let context = CheckContext(fileSystem: HostFileSystem(root: root), hostPrefix: root, scanPaths: scan)
    return CrypttabCheck(crypttab: (Array(crypttab.utf8), "crypttab"), commandLine: cmdline, initrd: initrd, context: context).run()
}

extension EntryReport {
    func messages(_ severity: Severity) -> [String] {
        findings.filter { $0.severity == severity }.map { "\($0.check): \($0.message)" }
    }

    /// Asserts that some finding of this severity contains `text`.
    func assert(_ severity: Severity, contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(
            messages(severity).contains { $0.contains(text) },
            "no \(severity) containing '\(text)' in \(findings)", file: file, line: line)
    }
}
