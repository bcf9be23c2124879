import Core
import SimFS

/// The differential test's deterministic inputs: SimFS's `SplitMix64` and Core's bounded draw.
struct SeededRandom {
    var random: SplitMix64
    init(seed: UInt64) { random = SplitMix64(seed: seed) }
    mutating func below(_ n: Int) -> Int { random.below(n) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
}

/// One random generator input: crypttab bytes, command line and whether it is the initrd.
struct RandomInput {
    var crypttab: [UInt8]
    var commandLine: String
    var inInitrd: Bool

    static let uuids = ["0b4f7d8e-8e36-4a83-9f7a-1f0d5c4b6a11", "c0ffee00123440abc8def0123456789ab",
                        "12345678-1234-1234-1234-123456789abc", "abc", "not-a-uuid", "DEADBEEF-0000-0000-0000-000000000000"]
    static let names = ["data", "swap", "home", "a-b", "x.y", "root", "d\u{e4}ta", "a\u{01}b",
                        "luks-0b4f7d8e-8e36-4a83-9f7a-1f0d5c4b6a11", "luks-abc", ".hidden", "a:b", "a\"b",
                        String(repeating: "n", count: 200)]
    /// Values where systemd 252's output is broken (documented divergences): picked less often.
    static let oddNames = ["da%ta", "d'a", "a\\b", "a/b", "na me", String(repeating: "n", count: 230)]
    static let devices = ["/dev/sda", "/dev/sdb1", "UUID=0b4f7d8e-8e36-4a83-9f7a-1f0d5c4b6a11", "UUID=abc",
                          "LABEL=foo", "LABEL=a/b", "LABEL=\"quoted\"", "PARTUUID=1234", "PARTLABEL=p%x",
                          "/dev/disk/by-uuid/12345678-1234-1234-1234-123456789abc", "/var/img.raw", "rel.img",
                          "/dev//sdc", "/dev/../x", "ID=foo", "/dev/" + String(repeating: "p", count: 260),
                          "/dev/disk/by-path/" + String(repeating: "q", count: 250), "/dev", "/dev/sd%a",
                          "LABEL=\u{e4}", "UUID=\"quoted\""]
    static let oddDevices = ["/dev/mapper/x'y", "LABEL=a\\x20b", "/dev/sd\\a"]
    static let keys = ["-", "none", "/dev/urandom", "/dev/hwrng", "/k.key", "/k:LABEL=kd", "/k:/dev/sdk",
                       "/k:UUID=0b4f7d8e", "rel:foo", "/dev/sdz", "LABEL=k", "/k%x", "/dev/null", "/a:b:c",
                       "/k:LABEL=\u{e4}", "/k:/dev/", "/k:PARTUUID=p"]
    static let oddKeys = ["k'ey", "/k:/dev/disk/by-id/usb%i", "/k\\ey"]
    static let optionItems = ["luks", "discard", "noauto", "auto", "nofail", "fail", "swap", "tmp", "tmp=xfs",
                              "tmp=", "_netdev", "x-initrd.attach", "keyfile-timeout=5s", "keyfile-timeout=abc",
                              "keyfile-timeout=-1", "x-systemd.device-timeout=10", "x-systemd.device-timeout=1min 30s",
                              "x-systemd.device-timeout=bad", "x-systemd.device-timeout=0",
                              "comment=systemd.device-timeout=3", "header=/h", "header=/h:LABEL=hd",
                              "header=/h:/dev/sdh", "header", "", "tpm2-device=auto", "noauto=1", "headless=1",
                              "keyfile-timeout=1.5min", "x-systemd.device-timeout=infinity"]
    static let oddOptionItems = ["a\\,b", "x=a\\\\,y", "x-systemd.device-timeout", "keyfile-timeout", "y=z\\"]
    static let endings: [[UInt8]] = [[0x0a], [0x0a], [0x0a], [0x0d, 0x0a], [0x0d], [0x0a, 0x0d], [0x00]]

    static func make(_ random: inout SeededRandom) -> RandomInput {
        var crypttab: [UInt8] = []
        for _ in 0..<random.below(6) {
            var line = ""
            if random.chance(8) { line = random.pick(["# comment", "", "   ", "bad", "\t data /dev/sdq"]) } else {
                line = random.pick(random.chance(10) ? oddNames : names) + random.pick([" ", "\t", "  "])
                    + random.pick(random.chance(8) ? oddDevices : devices)
                if random.chance(75) { line += " " + random.pick(random.chance(8) ? oddKeys : keys) }
                if line.split(separator: " ").count >= 3, random.chance(75) {
                    line += " " + options(&random)
                }
                if random.chance(5) { line += " # trailing" }
            }
            crypttab += Array(line.utf8) + random.pick(endings)
        }
        var items: [String] = []
        for _ in 0..<random.below(4) { items.append(commandLineItem(&random)) }
        return RandomInput(crypttab: crypttab, commandLine: items.joined(separator: " "), inInitrd: random.chance(30))
    }

    static func options(_ random: inout SeededRandom) -> String {
        var items: [String] = []
        for _ in 0..<(1 + random.below(4)) {
            items.append(random.pick(random.chance(4) ? oddOptionItems : optionItems))
        }
        return items.joined(separator: ",").replacingOccurrences(of: " ", with: "")
    }

    static func commandLineItem(_ random: inout SeededRandom) -> String {
        let uuid = random.pick(uuids)
        var item: String
        switch random.below(12) {
        case 0: item = random.pick(["luks=no", "luks=yes", "luks", "luks=maybe", "luks.crypttab=no", "luks.crypttab"])
        case 1, 2: item = "luks.uuid=" + random.pick(["", "luks-"]) + uuid
        case 3, 4: item = "luks.name=\(uuid)=" + random.pick(names.filter { !$0.contains(" ") })
        case 5: item = "luks.options=\(uuid)=" + options(&random)
        case 6: item = "luks.options=" + options(&random)
        case 7: item = "luks.key=\(uuid)=" + random.pick(keys)
        case 8: item = "luks.key=" + random.pick(keys)
        case 9: item = "luks.data=\(uuid)=" + random.pick(devices)
        case 10: item = random.pick(["luks.uuid", "luks.name", "luks.name=zz", "luks.data=nouuid", "luks.key"])
        default: item = "quiet"
        }
        if random.chance(15) { item = "rd." + item }
        if random.chance(8) { item = "\"" + item + "\"" }
        return item
    }
}
