import XCTest
import Core

/// The planner's request stage on its own: crypttab lines merged with what the kernel command line says about
/// their UUIDs, and the devices only the command line asks for (systemd 252's add_crypttab_devices and
/// add_proc_cmdline_devices, before create_disk).
final class VolumeRequestsTests: XCTestCase {
    let uuid = "0123456789abcdef0123456789abcdef"

    func requests(_ commandLine: String) -> VolumeRequests {
        var log: [LogMessage] = []
        return VolumeRequests(efiOptions: nil, commandLine: Bytes(utf8: commandLine), inInitrd: { false }, log: &log)
    }

    func fields(_ line: String) -> [Bytes] { line.split(separator: " ").map { Bytes(utf8: String($0)) } }

    func testCrypttabLineKeepsItsFieldsAndSeparatesTheHeaderDevice() throws {
        var log: [LogMessage] = []
        let request = try XCTUnwrap(requests("").crypttabRequest(
            fields("data /dev/sda2 /key:LABEL=usb discard,header=/hdr:/dev/sdb"), source: Bytes(utf8: "/etc/crypttab"),
            log: &log))
        XCTAssertEqual(request.name.text, "data")
        XCTAssertEqual(request.keyFile?.text, "/key")
        XCTAssertEqual(request.keyDevice?.text, "/dev/disk/by-label/usb")
        XCTAssertEqual(request.options?.text, "discard,header=/hdr")
        XCTAssertEqual(request.headerDevice?.text, "/dev/sdb")
        XCTAssertNil(request.commandLineUUID)
    }

    /// luks.options= for the line's UUID replaces the line's options; luks.uuid= makes an allow-list.
    func testCommandLineOptionsReplaceTheLinesAndTheAllowListSkipsOthers() throws {
        let stage = requests("luks.uuid=\(uuid) luks.options=\(uuid)=tries=1")
        var log: [LogMessage] = []
        let named = try XCTUnwrap(stage.crypttabRequest(fields("data UUID=\(uuid) - discard"),
                                                        source: Bytes(utf8: "/etc/crypttab"), log: &log))
        XCTAssertEqual(named.options?.text, "tries=1")
        XCTAssertEqual(named.commandLineUUID?.text, uuid)
        XCTAssertNil(stage.crypttabRequest(fields("other /dev/sdc"), source: Bytes(utf8: "/etc/crypttab"), log: &log))
        XCTAssertEqual(log.last?.text, "Not creating device 'other' because it was not specified on the kernel command line.")
    }

    /// A device only the command line names is its own request, until a crypttab line of its UUID is set up.
    func testCommandLineDeviceIsCoveredByASetUpCrypttabLine() throws {
        var stage = requests("luks.name=\(uuid)=root luks.key=/default.key")
        let alone = stage.commandLineRequests
        XCTAssertEqual(alone.map(\.name.text), ["root"])
        XCTAssertEqual(alone.first?.device.text, "UUID=\(uuid)")
        XCTAssertEqual(alone.first?.keyFile?.text, "/default.key")
        XCTAssertEqual(alone.first?.source.text, "/proc/cmdline")
        var log: [LogMessage] = []
        let line = try XCTUnwrap(stage.crypttabRequest(fields("root /dev/disk/by-uuid/\(uuid)"),
                                                       source: Bytes(utf8: "/etc/crypttab"), log: &log))
        XCTAssertEqual(stage.commandLineRequests.count, 1, "not set up yet")
        stage.setUp(line)
        XCTAssertEqual(stage.commandLineRequests, [])
    }
}
