/// The crypttab options systemd 252 understands, split by who consumes them.
///
/// `systemd-cryptsetup` list: `parse_one_option()` in systemd v252 `src/cryptsetup/cryptsetup.c`, checked
/// against the strings of the installed `/lib/systemd/systemd-cryptsetup` (252.39). Anything else there
/// gets "Encountered unknown /etc/crypttab option '…', ignoring."
enum KnownOptions {
    /// Options that take no value.
    static let flags: Set<String> = [
        // handled by the generator, ignored by systemd-cryptsetup
        "noauto", "auto", "nofail", "fail", "_netdev", "keyfile-timeout", "x-initrd.attach",
        // systemd-cryptsetup
        "keyfile-erase", "readonly", "read-only", "verify", "allow-discards", "discard", "same-cpu-crypt",
        "submit-from-crypt-cpus", "no-read-workqueue", "no-write-workqueue", "luks", "bitlk", "tcrypt",
        "tcrypt-hidden", "tcrypthidden", "tcrypt-system", "tcrypt-veracrypt", "veracrypt", "plain", "swap",
        "tmp", "try-empty-password", "headless",
    ]

    /// Options written `name=value` (listed without the `=`).
    static let valued: Set<String> = [
        // handled by the generator (the timeouts are removed from ExecStart)
        "keyfile-timeout", "x-systemd.device-timeout",
        // systemd-cryptsetup
        "cipher", "size", "sector-size", "key-slot", "keyslot", "tcrypt-keyfile", "keyfile-size",
        "keyfile-offset", "keyfile-erase", "hash", "header", "tries", "password-echo", "tmp", "timeout",
        "offset", "skip", "pkcs11-uri", "fido2-device", "fido2-cid", "fido2-rp", "tpm2-device", "tpm2-pcrs",
        "tpm2-signature", "tpm2-pin", "try-empty-password", "headless", "token-timeout",
    ]

    /// Whether systemd 252 (generator or systemd-cryptsetup) accepts `option`.
    static func isKnown(_ option: String) -> Bool {
        if flags.contains(option) { return true }
        if option.hasPrefix("comment=systemd.device-timeout=") { return true }
        guard let equals = option.firstIndex(of: "=") else { return false }
        return valued.contains(String(option[..<equals]))
    }
}
