import CryptCheck
import Foundation
import XCTest

/// Keys, headers and devices checked against real LUKS1 and LUKS2 images.
final class KeyAndHeaderTests: XCTestCase {
    let images = Images.shared

    func testGoodKeysUnlockKeyslotZeroOnLUKS1AndLUKS2() {
        let report = check("one \(images.luks1) \(images.key)\ntwo \(images.luks2) \(images.key) luks,discard\n")
        XCTAssertEqual(report.entries.map(\.deviceType), ["LUKS1", "LUKS2"])
        XCTAssertEqual(report.entries.map(\.keyslot), [0, 0])
        XCTAssertEqual(report.entries.map(\.uuid), [images.luks1UUID, images.luks2UUID])
        XCTAssertEqual(report.entries.flatMap(\.findings), [])
        XCTAssertEqual(report.exitCode, 0)
    }

    func testWrongKeyIsAnErrorOnBothVersions() {
        let report = check("one \(images.luks1) \(images.wrongKey)\ntwo \(images.luks2) \(images.wrongKey)\n")
        for entry in report.entries {
            XCTAssertNil(entry.keyslot)
            entry.assert(.error, contains: "does not unlock any keyslot (active: 0)")
        }
        XCTAssertEqual(report.exitCode, 1)
    }

    func testKeyFileOffsetAndSizeAreHonoured() {
        let good = check("v \(images.offsetImage) \(images.offsetKey) keyfile-offset=100,keyfile-size=64\n")
        XCTAssertEqual(good.entries[0].keyslot, 0)
        XCTAssertEqual(good.exitCode, 0)
        let whole = check("v \(images.offsetImage) \(images.offsetKey)\n")
        whole.entries[0].assert(.error, contains: "does not unlock")
        let shifted = check("v \(images.offsetImage) \(images.offsetKey) keyfile-offset=101,keyfile-size=64\n")
        shifted.entries[0].assert(.error, contains: "does not unlock")
    }

    func testKeySlotOptionNamesAnEmptySlot() {
        let report = check("v \(images.luks2) \(images.key) key-slot=3\n")
        report.entries[0].assert(.error, contains: "keyslot 3 (key-slot=) is empty")
    }

    func testDetachedHeaderLoadsAndUnlocks() {
        let report = check("v \(images.headerData) \(images.key) header=\(images.header)\n")
        XCTAssertEqual(report.entries[0].deviceType, "LUKS2")
        XCTAssertEqual(report.entries[0].keyslot, 0)
        XCTAssertEqual(report.exitCode, 0)
    }

    func testMissingDetachedHeaderIsNamed() {
        let report = check("v \(images.headerData) \(images.key) header=\(images.directory)/nope.img\n")
        report.entries[0].assert(.error, contains: "detached header \(images.directory)/nope.img cannot be opened: no such file")
    }

    func testRelativeHeaderAndDirectoryDevice() {
        let report = check("a \(images.headerData) \(images.key) header=header.img\nb \(images.directory) \(images.key)\n")
        report.entries[0].assert(.error, contains: "header path 'header.img' is not absolute")
        report.entries[1].assert(.error, contains: "is a directory, not a block device or image file")
    }

    func testDataDeviceWithoutItsDetachedHeaderIsNotLUKS() {
        let report = check("v \(images.headerData) \(images.key)\n")
        XCTAssertEqual(report.entries[0].deviceType, "unknown")
        report.entries[0].assert(.error, contains: "is not LUKS")
    }

    func testHeaderUUIDMismatchUnderRoot() throws {
        let root = images.directory + "/root-mismatch"
        let wrong = "00000000-1111-2222-3333-444444444444"
        try FileManager.default.createDirectory(atPath: root + "/dev/disk/by-uuid", withIntermediateDirectories: true)
        try? FileManager.default.createSymbolicLink(atPath: root + "/dev/disk/by-uuid/" + wrong, withDestinationPath: "/images/luks1.img")
        try? FileManager.default.createSymbolicLink(atPath: root + "/dev/disk/by-uuid/" + images.luks1UUID, withDestinationPath: "/images/luks1.img")
        try? FileManager.default.createDirectory(atPath: root + "/images", withIntermediateDirectories: true)
        try? FileManager.default.linkItem(atPath: images.luks1, toPath: root + "/images/luks1.img")
        try? FileManager.default.linkItem(atPath: images.key, toPath: root + "/images/key")
        let report = check("bad UUID=\(wrong) /images/key\ngood UUID=\(images.luks1UUID) /images/key\n", root: root)
        report.entries[0].assert(.error, contains: "header UUID \(images.luks1UUID) differs from \(wrong) in crypttab")
        XCTAssertEqual(report.entries[1].keyslot, 0)
        XCTAssertEqual(report.entries[1].messages(.error), [])
        XCTAssertEqual(report.entries[1].devicePath, root + "/images/luks1.img")
        let cmdline = check("", cmdline: "luks.uuid=\(wrong)", root: root)
        cmdline.entries[0].assert(.error, contains: "in the kernel command line")
    }

    func testUUIDFoundOnlyByScanningIsAWarning() {
        let report = check("v UUID=\(images.luks2UUID) \(images.key)\n", scan: [images.directory])
        XCTAssertEqual(report.entries[0].devicePath, images.luks2)
        XCTAssertEqual(report.entries[0].keyslot, 0)
        report.entries[0].assert(.warning, contains: "found only by scanned")
    }

    func testLUKS2LabelFoundByScanning() {
        let report = check("v LABEL=cryptdata \(images.key)\n", scan: [images.luks2])
        XCTAssertEqual(report.entries[0].devicePath, images.luks2)
        XCTAssertEqual(report.entries[0].keyslot, 0)
        report.entries[0].assert(.warning, contains: "no /dev/disk/by-label/cryptdata link")
    }

    func testMissingDevice() {
        let report = check("v \(images.directory)/absent.img \(images.key)\nw UUID=nope \(images.key)\n")
        XCTAssertEqual(report.entries.map(\.deviceType), ["missing", "missing"])
        report.entries[0].assert(.error, contains: "absent.img does not exist")
        report.entries[1].assert(.error, contains: "/dev/disk/by-uuid/nope does not exist")
    }

    func testFilesThatAreNotLUKS() {
        let report = check("a \(images.ext4) \(images.key)\nb \(images.zeros) \(images.key)\n")
        XCTAssertEqual(report.entries.map(\.deviceType), ["unknown", "unknown"])
        report.entries[0].assert(.error, contains: "is not LUKS (it holds a ext4 signature)")
        report.entries[1].assert(.error, contains: "is not LUKS (no known signature)")
    }

    func testTruncatedHeaderIsNamed() {
        let report = check("v \(images.truncated) \(images.key)\n")
        report.entries[0].assert(.error, contains: "\(images.truncated) has a LUKS signature but its header does not load")
    }

    func testNoKeyMeansPassphrasePrompt() {
        let report = check("a \(images.luks1) none\nb \(images.luks2) -\nc \(images.luks2)\n")
        XCTAssertEqual(report.entries.map(\.key), Array(repeating: "passphrase prompt at boot", count: 3))
        XCTAssertEqual(report.exitCode, 0)
        let headless = check("a \(images.luks1) none headless\n")
        headless.entries[0].assert(.error, contains: "headless")
    }

    func testMissingAndUnreadableKeyFiles() {
        let report = check("a \(images.luks1) \(images.directory)/nokey\nb \(images.luks1) relative/key\n")
        report.entries[0].assert(.error, contains: "is missing: the boot falls back to a passphrase prompt")
        report.entries[1].assert(.warning, contains: "is not absolute")
    }

    func testWorldReadableKeyIsAWarning() throws {
        let copy = images.directory + "/readable.key"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: images.key, toPath: copy)
        chmod(copy, 0o644)
        let report = check("v \(images.luks1) \(copy)\n")
        XCTAssertEqual(report.entries[0].keyslot, 0)
        report.entries[0].assert(.warning, contains: "is world-readable")
    }

    func testKeyDiscoveredInCryptsetupKeysDirectoryUnderRoot() throws {
        let root = images.directory + "/root-keysd"
        try FileManager.default.createDirectory(atPath: root + "/etc/cryptsetup-keys.d", withIntermediateDirectories: true)
        try? FileManager.default.linkItem(atPath: images.key, toPath: root + "/etc/cryptsetup-keys.d/auto.key")
        try? FileManager.default.linkItem(atPath: images.luks2, toPath: root + "/disk.img")
        let report = check("auto /disk.img none\nother /disk.img none\n", root: root)
        XCTAssertEqual(report.entries[0].keyslot, 0)
        XCTAssertEqual(report.entries[1].key, "passphrase prompt at boot")
        XCTAssertEqual(report.exitCode, 0)
    }

    func testKeyMaterialNeverAppearsInTheOutput() throws {
        let key = try Data(contentsOf: URL(fileURLWithPath: images.key))
        let report = check("a \(images.luks1) \(images.key)\nb \(images.luks1) \(images.wrongKey)\n")
        for text in [TableFormat.render(report), JSONFormat.render(report)] {
            XCTAssertNil(text.data(using: .utf8)!.range(of: key.prefix(8)))
        }
    }
}
