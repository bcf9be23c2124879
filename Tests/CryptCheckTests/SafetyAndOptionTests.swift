import CryptCheck
import XCTest

/// The safety check on random-keyed swap/tmp entries, the option checks and the name checks.
final class SafetyAndOptionTests: XCTestCase {
    let images = Images.shared

    func testPlainSwapOverALUKSImageIsAnError() {
        let report = check("swap \(images.luks2) /dev/urandom swap\n")
        XCTAssertEqual(report.entries[0].deviceType, "LUKS2")
        report.entries[0].assert(.error, contains: "holds a LUKS header: this plain swap entry keyed from /dev/urandom overwrites it")
        XCTAssertEqual(report.exitCode, 1)
    }

    func testPlainTmpOverAFilesystemIsAnError() {
        let report = check("tmp \(images.ext4) /dev/urandom tmp=ext4\n")
        XCTAssertEqual(report.entries[0].deviceType, "plain")
        report.entries[0].assert(.error, contains: "holds a ext4 signature: this plain tmp entry")
    }

    func testPlainSwapOverAnEmptyImageIsFine() {
        let report = check("swap \(images.zeros) /dev/urandom swap,cipher=aes-xts-plain64,size=256\n")
        XCTAssertEqual(report.entries[0].deviceType, "plain")
        XCTAssertEqual(report.entries[0].findings, [])
        XCTAssertEqual(report.exitCode, 0)
    }

    func testOptionProblems() {
        let report = check("a \(images.zeros) /dev/urandom swap,tmp,x-systemd.automount,discard,keyfile-timeout\n")
        let entry = report.entries[0]
        entry.assert(.warning, contains: "unknown option 'x-systemd.automount'")
        entry.assert(.error, contains: "both swap and tmp")
        entry.assert(.error, contains: "keyfile-timeout without a value")
        XCTAssertFalse(entry.messages(.warning).contains { $0.contains("discard") })
        let malformed = check("b \(images.luks1) \(images.key) keyfile-size=lots\n")
        malformed.entries[0].assert(.error, contains: "'keyfile-size=lots': not a size in bytes")
    }

    func testNamesSystemd252WouldMangle() {
        let report = check("""
            da'ta \(images.luks1) none
            tab\\tname \(images.luks1) none
            pct% \(images.luks1) /key:LABEL=usb
            grüß \(images.luks1) /key:/dev/sdz
            ok% \(images.luks1) none
            """)
        report.entries[0].assert(.error, contains: "contains a quote")
        report.entries[1].assert(.error, contains: "contains a backslash escape")
        report.entries[2].assert(.error, contains: "'%' in the name")
        report.entries[3].assert(.error, contains: "non-ASCII name")
        XCTAssertEqual(report.entries[4].messages(.error), [])
    }

    func testDuplicateNamesAndUnitList() {
        let report = check("v \(images.luks1) none\nv \(images.luks2) none nofail\n")
        report.entries[1].assert(.error, contains: "duplicate name 'v', first at crypttab:1")
        XCTAssertTrue(report.entries[0].units.contains("systemd-cryptsetup@v.service"))
        report.entries[1].assert(.error, contains: "the generator writes no units for this entry: Failed to create unit file")
    }

    func testUnitsComeFromTheGeneratorsPlanner() {
        let report = check("k \(images.luks2) /key:LABEL=usb nofail\ns \(images.zeros) /dev/urandom swap,tmp\n")
        XCTAssertEqual(report.entries[0].entry.key, "/key")
        XCTAssertEqual(report.entries[0].entry.keyDevice, "/dev/disk/by-label/usb")
        XCTAssertEqual(report.entries[0].units, [
            "systemd-cryptsetup@k.service", "run-systemd-cryptsetup-keydev\\x2dk.mount", "keydev-k-umount.service",
            "cryptsetup.target.wants/systemd-cryptsetup@k.service", "dev-mapper-k.device.requires/systemd-cryptsetup@k.service",
        ])
        report.entries[0].assert(.info, contains: "is on device /dev/disk/by-label/usb, mounted at boot: not checked")
        XCTAssertEqual(report.entries[1].units, [])
        report.entries[1].assert(.error, contains: "Device 's' cannot be both 'tmp' and 'swap'")
    }

    func testCommandLineAllowListSkipsOtherLines() {
        let report = check("a UUID=\(images.luks1UUID) none\nb \(images.luks2) none\n", cmdline: "luks.uuid=\(images.luks1UUID)", scan: [images.luks1])
        XCTAssertEqual(report.entries.map(\.entry.name), ["a"])
        XCTAssertEqual(report.entries[0].entry.commandLineUUID, images.luks1UUID)
        XCTAssertTrue(report.notes.contains { $0.contains("'b' is skipped") })
        let host = check("a UUID=\(images.luks1UUID) none\nb \(images.luks2) none\n", cmdline: "rd.luks.uuid=\(images.luks1UUID)", scan: [images.luks1])
        XCTAssertEqual(host.entries.map(\.entry.name), ["a", "b"])
        let initrd = check("a UUID=\(images.luks1UUID) none\nb \(images.luks2) none\n", cmdline: "rd.luks.uuid=\(images.luks1UUID)", initrd: true, scan: [images.luks1])
        XCTAssertEqual(initrd.entries.map(\.entry.name), ["a"])
        let off = check("a \(images.luks1) none\n", cmdline: "quiet luks=no")
        XCTAssertEqual(off.entries.count, 0)
    }
}
