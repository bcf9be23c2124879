import XCTest
@testable import Core

/// The escaping and parsing helpers, against values produced by systemd 252's generator (the oracle runs
/// and the recorded fixtures named in the comments).
final class EscapingTests: XCTestCase {
    func b(_ text: String) -> Bytes { Bytes(utf8: text) }
    func s(_ bytes: Bytes?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    func testUnitNameEscape() {
        XCTAssertEqual(s(UnitNames.escape(b("data"))), "data")
        XCTAssertEqual(s(UnitNames.escape(b("a-b"))), "a\\x2db")
        XCTAssertEqual(s(UnitNames.escape(b(".hidden"))), "\\x2ehidden")
        XCTAssertEqual(s(UnitNames.escape(b("a.b"))), "a.b")
        XCTAssertEqual(s(UnitNames.escape(b("a/b"))), "a-b")
        XCTAssertEqual(s(UnitNames.escape(b("d\u{e4}ta"))), "d\\xc3\\xa4ta")
        XCTAssertEqual(s(UnitNames.escape(b("da%ta"))), "da\\x25ta")
        XCTAssertEqual(s(UnitNames.escape(b("a\\b"))), "a\\x5cb")  // name-backslash-t
    }

    func testUnitNameFromPath() {
        XCTAssertEqual(s(UnitNames.fromPath(b("/dev/disk/by-uuid/1234-abcd"), suffix: ".device")),
                       "dev-disk-by\\x2duuid-1234\\x2dabcd.device")
        XCTAssertEqual(s(UnitNames.fromPath(b("/tmp/g/rt/keydev-data"), suffix: ".mount")),
                       "tmp-g-rt-keydev\\x2ddata.mount")
        XCTAssertEqual(s(UnitNames.fromPath(b("/dev//sda/"), suffix: ".device")), "dev-sda.device")
        XCTAssertEqual(s(UnitNames.fromPath(b("/"), suffix: ".mount")), "-.mount")
        XCTAssertEqual(s(UnitNames.fromPath(b(""), suffix: ".device")), "-.device")
        XCTAssertNil(UnitNames.fromPath(b("/dev//sdb/../sdc"), suffix: ".device"))  // dev-not-normalized
        XCTAssertNil(UnitNames.fromPath(b("/dev/" + String(repeating: "x", count: 256)), suffix: ".device"))
    }

    func testLongUnitNamesAreHashed() {
        // dev-long-path-hashed: systemd's name ends in _5175164555e99f4d.device and is 255 bytes long.
        let path = b("/dev/disk/by-path/" + String(repeating: "p", count: 250))
        let name = UnitNames.fromPath(path, suffix: ".device")!
        XCTAssertEqual(name.count, 255)
        XCTAssertTrue(s(name)!.hasSuffix("_5175164555e99f4d.device"))
        XCTAssertTrue(s(name)!.hasPrefix("dev-disk-by\\x2dpath-ppp"))
    }

    func testSipHash24ReferenceVector() {
        // The SipHash paper's test vector: key 00…0f, message 00…0e (15 bytes).
        let key = Bytes(0..<16), message = Bytes(0..<15)
        XCTAssertEqual(SipHash24.hash(message, key: key), 0xa129_ca61_49be_45e5)
    }

    func testCEscapeAndSpecifierEscape() {
        XCTAssertEqual(s(Escapes.c(b("d\u{e4}ta"))), "d\\303\\244ta")  // keydev-name-utf8
        XCTAssertEqual(s(Escapes.c(b("d'a"))), "d\\'a")                 // keydev-name-quote
        XCTAssertEqual(s(Escapes.c(b("a\tb\u{1}"))), "a\\tb\\001")
        XCTAssertEqual(s(Escapes.specifier(b("/var/lo%op.img"))), "/var/lo%%op.img")
    }

    func testDeviceSpecs() {
        XCTAssertEqual(s(DeviceSpec.udevNode(b("UUID=1234-abcd"))), "/dev/disk/by-uuid/1234-abcd")
        XCTAssertEqual(s(DeviceSpec.udevNode(b("LABEL=a/b"))), "/dev/disk/by-label/a\\x2fb")
        XCTAssertEqual(s(DeviceSpec.udevNode(b("LABEL=a#b+c.d:e=f@g_h%i,j"))),
                       "/dev/disk/by-label/a#b+c.d:e=f@g_h\\x25i\\x2cj")  // dev-label-odd-chars
        XCTAssertEqual(s(DeviceSpec.udevNode(b("LABEL=\"quoted\""))), "/dev/disk/by-label/quoted")
        XCTAssertEqual(s(DeviceSpec.udevNode(b("LABEL=\"unbalanced"))), "/dev/disk/by-label/\\x22unbalanced")
        XCTAssertEqual(s(DeviceSpec.udevNode(b("LABEL=d\u{e4}ta"))), "/dev/disk/by-label/d\u{e4}ta")
        XCTAssertEqual(s(DeviceSpec.udevNode(b("ID=foo"))), "ID=foo")
        var log: [LogMessage] = []
        XCTAssertEqual(DeviceSpec.splitLocation(b("/keyfile:LABEL=kd"), log: &log),
                       DeviceSpec.Location(file: b("/keyfile"), device: b("/dev/disk/by-label/kd")))
        XCTAssertEqual(DeviceSpec.splitLocation(b("/a:b:c"), log: &log),
                       DeviceSpec.Location(file: b("/a:b:c"), device: nil))
        XCTAssertEqual(log.count, 1)
        XCTAssertEqual(log.first?.level, .debug)
    }

    func testOptionNormalisation() {
        // Oracle: ",,luks,,discard," → 'luks,discard'; "a\\\\b,x=a\\\\,y" → 'a\b,x=a\,y' (two rounds).
        XCTAssertEqual(s(OptionList.filter(b(",,luks,,discard,"), names: ["header"]).filtered), "luks,discard")
        let once = OptionList.filter(b("a\\\\b,x=a\\\\,y"), names: ["header"]).filtered
        XCTAssertEqual(s(OptionList.filter(once, names: ["header"]).filtered), "a\\b,x=a\\,y")
        XCTAssertEqual(s(OptionList.filter(b("a\\qb,c"), names: ["x"]).filtered), "a\\qb,c")
        XCTAssertEqual(s(OptionList.filter(b("y=z\\"), names: ["x"]).filtered), "y=z\\")
        let header = OptionList.filter(b("header=/a:/dev/x,luks,header=/b"), names: ["header"])
        XCTAssertEqual(s(header.match.value), "/b")
        XCTAssertEqual(s(header.filtered), "luks")
        XCTAssertTrue(OptionList.yesNo(b("auto,noauto"), yes: "noauto", no: "auto"))
        XCTAssertFalse(OptionList.yesNo(b("noauto,auto"), yes: "noauto", no: "auto"))
        XCTAssertTrue(OptionList.has(b("noauto=1"), "noauto"))
        XCTAssertFalse(OptionList.has(b("notswap"), "swap"))
        XCTAssertEqual(s(OptionList.scan(b("tmp=xfs"), names: ["tmp"]).value), "xfs")
        XCTAssertNil(OptionList.scan(b("tmp"), names: ["tmp"]).value)
    }

    func testCrypttabLineEndings() {
        let (lines, tooLong) = CrypttabLines.lines(b("a\r\nb\n\rc\u{0}d\n\ne\rf"))
        XCTAssertNil(tooLong)
        XCTAssertEqual(lines.map { s(Array($0.bytes)) }, ["a", "b", "c", "d", "", "e", "f"])
        XCTAssertEqual(lines.map(\.number), [1, 2, 3, 4, 5, 6, 7])
        XCTAssertNil(CrypttabLines.fields(ArraySlice(b("  # comment"))))
        XCTAssertEqual(CrypttabLines.fields(ArraySlice(b("a\tb  c d e f")))?.map { s($0)! }, ["a", "b", "c", "d"])
        let long = Bytes(repeating: 0x61, count: CrypttabLines.maxLineLength) + [0x0a]
        XCTAssertEqual(CrypttabLines.lines(b("x\n") + long).tooLongAtLine, 2)
        XCTAssertNil(CrypttabLines.lines(Bytes(repeating: 0x61, count: CrypttabLines.maxLineLength - 1)).tooLongAtLine)
    }

    func testKernelCommandLineWords() {
        XCTAssertEqual(KernelCommandLine.words(b("a  \"b c\" d'e f' g\\h")).map { s($0)! }, ["a", "b c", "de f", "g\\h"])
        let items = KernelCommandLine.items(b("rd.luks.uuid=x luks.name=u=n luks"), inInitrd: { false })
        XCTAssertEqual(items.map { s($0.key)! }, ["luks.name", "luks"])
        XCTAssertEqual(KernelCommandLine.items(b("rd.luks=no"), inInitrd: { true }).first?.key, b("luks"))
        XCTAssertEqual(KernelCommandLine.boolean(b("YES")), true)
        XCTAssertNil(KernelCommandLine.boolean(b("maybe")))
        XCTAssertTrue(CommandLineSettings.isID128(b("12345678-1234-1234-1234-123456789abc")))
        XCTAssertTrue(CommandLineSettings.isID128(b("c0ffee00123440abc8def0123456789a")))
        XCTAssertFalse(CommandLineSettings.isID128(b("abc")))
    }

    func testTimeSpans() {
        XCTAssertEqual(TimeSpan.parse(b("5s")), .success(5_000_000))
        XCTAssertEqual(TimeSpan.parse(b("1min 30s")), .success(90_000_000))
        XCTAssertEqual(TimeSpan.parse(b("1.5min")), .success(90_000_000))
        XCTAssertEqual(TimeSpan.parse(b("10")), .success(10_000_000))
        XCTAssertEqual(TimeSpan.parse(b("infinity")), .success(UInt64.max))
        XCTAssertEqual(TimeSpan.parse(b("abc")), .failure(22))
        XCTAssertEqual(TimeSpan.parse(b("")), .failure(22))
        XCTAssertEqual(TimeSpan.parse(b("-1")), .failure(34))
        XCTAssertEqual(TimeSpan.parse(b("99999999999999999999")), .failure(34))  // oracle: out of range
    }

    func testExecArguments() {
        XCTAssertEqual(s(ExecArgument.quoted(b("data")).text), "'data'")
        XCTAssertEqual(s(ExecArgument.quoted(b("a%b")).text), "'a%%b'")
        XCTAssertEqual(ExecArgument.quoted(b("da\"ta")).diverged, false)  // name-double-quote: as systemd
        XCTAssertEqual(s(ExecArgument.quoted(b("da'ta")).text), "'da\\'ta'")   // name-quote
        XCTAssertEqual(s(ExecArgument.quoted(b("y=z\\")).text), "'y=z\\\\'")   // opt-trailing-backslash
        XCTAssertEqual(s(ExecArgument.quoted([0x01, 0xff, 0x61]).text), "'\\x01\\xffa'")  // ct-binary-garbage
        XCTAssertEqual(s(ExecArgument.bare(b("/run/systemd/cryptsetup/keydev-data")).text),
                       "/run/systemd/cryptsetup/keydev-data")
        XCTAssertEqual(s(ExecArgument.bare(b("/run/keydev-d\\303")).text), "'/run/keydev-d\\\\303'")
    }
}
