import Foundation
import XCTest

/// The built `crypttab-check` binary, end to end: exit codes, JSON shape, bad input, permissions, speed.
final class BinaryTests: XCTestCase {
    let images = Images.shared

    /// `.build/debug/crypttab-check` (or whichever configuration built the tests).
    var binary: String {
        let bundle = Bundle(for: BinaryTests.self).bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("crypttab-check").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String], as user: String? = nil) throws -> Result {
        let process = Process()
        let out = Pipe(), err = Pipe()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    func crypttab(_ name: String, _ text: String) -> String {
        let path = images.directory + "/" + name
        Images.write(path, Data(text.utf8), mode: 0o644)
        return path
    }

    func testExitCodes() throws {
        let good = crypttab("good.tab", "a \(images.luks1) \(images.key)\n")
        XCTAssertEqual(try run(["--crypttab", good, "--cmdline", ""]).status, 0)
        let bad = crypttab("bad.tab", "a \(images.luks1) \(images.wrongKey)\n")
        let result = try run(["--crypttab", bad, "--cmdline", ""])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("ERROR"), result.stdout)
        XCTAssertEqual(try run(["--crypttab", good, "--format", "xml"]).status, 2)
        XCTAssertEqual(try run(["--no-such-flag"]).status, 2)
        XCTAssertEqual(try run(["--root", images.directory + "/no-such-root"]).status, 2)
        XCTAssertEqual(try run(["--crypttab", good, "--scan", images.directory + "/no-such-image"]).status, 2)
        XCTAssertEqual(try run(["--help"]).status, 0)
    }

    func testJSONShape() throws {
        let tab = crypttab("json.tab", "a \(images.luks2) \(images.key)\nb \(images.zeros) none\n")
        let result = try run(["--crypttab", tab, "--cmdline", "", "--format", "json"])
        XCTAssertEqual(result.status, 1)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["ok"] as? Bool, false)
        XCTAssertEqual(json["exitCode"] as? Int, 1)
        let entries = try XCTUnwrap(json["entries"] as? [[String: Any]])
        XCTAssertEqual(entries.count, 2)
        XCTAssertEqual(Set(entries[0].keys), ["source", "name", "device", "devicePath", "type", "uuid", "key", "keyslot", "status", "units", "findings"])
        XCTAssertEqual(entries[0]["type"] as? String, "LUKS2")
        XCTAssertEqual(entries[0]["keyslot"] as? Int, 0)
        XCTAssertEqual(entries[0]["uuid"] as? String, images.luks2UUID)
        XCTAssertEqual(entries[0]["status"] as? String, "ok")
        XCTAssertEqual(entries[1]["status"] as? String, "error")
        XCTAssertTrue(entries[1]["keyslot"] is NSNull)
        let finding = try XCTUnwrap((entries[1]["findings"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(finding.keys), ["severity", "check", "message"])
    }

    func testUnreadableCrypttabIsNamed() throws {
        let missing = try run(["--crypttab", images.directory + "/nope.tab", "--cmdline", ""])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stdout.contains("\(images.directory)/nope.tab: cannot read the crypttab: no such file"), missing.stdout)
        let directory = try run(["--crypttab", images.directory, "--cmdline", ""])
        XCTAssertEqual(directory.status, 1)
        XCTAssertTrue(directory.stdout.contains("cannot read the crypttab"), directory.stdout)
    }

    /// Root reads every file, so permissions are tested as `nobody` (setpriv). The images are 0644, the key
    /// 0600 and owned by root: the key check must say "permission denied" and name the file.
    func testKeyFileWithoutPermissionAsNobody() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to switch to nobody") }
        let tab = crypttab("perm.tab", "a \(images.luks1) \(images.key)\n")
        let result = try run(["--crypttab", tab, "--cmdline", ""], as: "65534")
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stdout.contains("key file \(images.key) cannot be read: permission denied"), result.stdout)
        let image = images.directory + "/private.img"
        if !FileManager.default.fileExists(atPath: image) { try FileManager.default.copyItem(atPath: images.luks1, toPath: image) }
        chmod(image, 0o600)
        let privateImage = try run(["--crypttab", crypttab("private.tab", "a \(image) none\n"), "--cmdline", ""], as: "65534")
        XCTAssertTrue(privateImage.stdout.contains("cannot read \(image): permission denied"), privateImage.stdout)
        let unreadable = crypttab("secret.tab", "a \(images.luks1) none\n")
        chmod(unreadable, 0o600)
        let denied = try run(["--crypttab", unreadable, "--cmdline", ""], as: "65534")
        XCTAssertTrue(denied.stdout.contains("\(unreadable): cannot read the crypttab: permission denied"), denied.stdout)
    }

    func testTwentyEntriesUnderOneSecond() throws {
        var lines = ""
        for index in 0..<20 {
            let image = [images.luks1, images.luks2, images.offsetImage, images.headerData][index % 4]
            let extra = [
                "\(images.key)", "\(images.key) discard", "\(images.offsetKey) keyfile-offset=100,keyfile-size=64",
                "\(images.key) header=\(images.header)",
            ][index % 4]
            lines += "v\(index) \(image) \(extra)\n"
        }
        let tab = crypttab("twenty.tab", lines)
        // Best of three, and on CPU time (user + system of the child): the 2 cores are shared with other
        // builds, so wall time measures the neighbours as much as the program. Wall time is printed.
        var elapsed = Double.infinity
        var cpu = Double.infinity
        for _ in 0..<3 {
            let before = childCPUSeconds()
            let start = Date()
            let result = try run(["--crypttab", tab, "--cmdline", "", "--format", "json"])
            elapsed = min(elapsed, Date().timeIntervalSince(start))
            cpu = min(cpu, childCPUSeconds() - before)
            XCTAssertEqual(result.status, 0, result.stdout)
        }
        XCTAssertLessThan(cpu, 1.0)
        XCTAssertLessThan(elapsed, 5.0)
        print("crypttab-check: 20 entries in \(Int(elapsed * 1000)) ms wall, \(Int(cpu * 1000)) ms CPU")
    }

    /// User plus system time of the reaped child processes so far (`getrusage(RUSAGE_CHILDREN)`).
    func childCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }
}
