import Core

/// The options of one entry that matter to the checks, read the way systemd-cryptsetup 252 reads them
/// (later options win; `key-slot=` and `header=` imply LUKS; `plain`, `swap`, `tmp` imply plain mode).
struct VolumeOptions: Sendable {
    enum Mode: String, Sendable { case unspecified, luks, plain, tcrypt, bitlk }

    var mode = Mode.unspecified
    var swap = false
    var tmp = false
    var keyfileOffset: UInt64 = 0
    var keyfileSize: Int = 0
    var keySlot: Int32?
    /// `header=` as written (the generator splits `path:device`; a header on another device is not opened).
    var header: String?
    var bareKeyfileTimeout = false
    var tokenUnlock: String?
    var headless = false
    /// Options systemd 252 does not know.
    var unknown: [String] = []
    /// Options with a value systemd 252 cannot parse, with the reason.
    var malformed: [(option: String, reason: String)] = []

    init(_ options: [String]) {
        for option in options { read(option) }
    }

    private mutating func read(_ option: String) {
        if !KnownOptions.isKnown(option) { unknown.append(option) }
        let (key, value) = option.firstIndex(of: "=").map {
            (String(option[..<$0]), String(option[option.index(after: $0)...]))
        } ?? (option, nil)
        switch (key, value) {
        case ("keyfile-timeout", nil): bareKeyfileTimeout = true
        case ("key-slot", let value?), ("keyslot", let value?):
            mode = .luks
            if let slot = Int32(value), slot >= 0 { keySlot = slot } else { bad(option, "not a key slot number") }
        case ("keyfile-size", let value?):
            if let size = UInt32(value) { keyfileSize = Int(size) } else { bad(option, "not a size in bytes") }
        case ("keyfile-offset", let value?):
            if let offset = UInt64(value) { keyfileOffset = offset } else { bad(option, "not an offset in bytes") }
        case ("header", let value?):
            mode = .luks
            if header != nil { bad(option, "duplicate header= (systemd-cryptsetup refuses)") }
            header = value
        case ("luks", nil): mode = .luks
        case ("plain", nil): mode = .plain
        case ("swap", nil): mode = .plain; swap = true
        case ("tmp", _): mode = .plain; tmp = true
        case ("bitlk", nil): mode = .bitlk
        case ("tcrypt", nil), ("tcrypt-hidden", nil), ("tcrypthidden", nil), ("tcrypt-system", nil),
            ("tcrypt-veracrypt", nil), ("veracrypt", nil), ("tcrypt-keyfile", _):
            mode = .tcrypt
        case ("tpm2-device", _), ("fido2-device", _), ("pkcs11-uri", _):
            tokenUnlock = key
        case ("headless", nil): headless = true
        case ("headless", let value?): headless = KernelCommandLine.boolean(Bytes(utf8: value)) ?? headless
        default: break
        }
    }

    private mutating func bad(_ option: String, _ reason: String) {
        malformed.append((option, reason))
    }
}
