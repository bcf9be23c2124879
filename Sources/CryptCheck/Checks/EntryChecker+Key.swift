import Core

/// The key and the safety checks of `EntryChecker`.
extension EntryChecker {
    static let randomSources: Set<String> = ["/dev/urandom", "/dev/random", "/dev/hw_random", "/dev/hwrng"]

    func checkKey(_ entry: CheckEntry, _ options: VolumeOptions, device: CryptDevice?, into report: inout EntryReport) {
        guard let key = entry.key else {
            noKey(entry, options, device: device, into: &report)
            return
        }
        if Self.randomSources.contains(key) {
            report.key = "random key (\(key))"
            if device != nil {
                report.add(.error, "key", "a random key (\(key)) can never unlock the \(report.deviceType) header")
            }
            return
        }
        let file = key
        if let keyDevice = entry.keyDevice {
            report.key = "on \(keyDevice)"
            report.add(.info, "key", "key file \(file) is on device \(keyDevice), mounted at boot: not checked")
            return
        }
        guard file.hasPrefix("/") else {
            report.key = "passphrase prompt at boot"
            report.add(.warning, "key", "key file path '\(file)' is not absolute: systemd-cryptsetup ignores it and asks for a passphrase")
            return
        }
        test(file, as: "key file \(file)", options, device: device, into: &report)
    }

    /// No key in the entry: a token, a key in /etc/cryptsetup-keys.d or /run/cryptsetup-keys.d, or a prompt.
    private func noKey(_ entry: CheckEntry, _ options: VolumeOptions, device: CryptDevice?, into report: inout EntryReport) {
        if let token = options.tokenUnlock {
            report.key = "\(token) token at boot"
            report.add(.info, "key", "unlocked through \(token)= at boot: not checked")
            return
        }
        for directory in ["/etc/cryptsetup-keys.d", "/run/cryptsetup-keys.d"] {
            let path = "\(directory)/\(entry.name).key"
            if (try? context.fileSystem.exists(path)) == true {
                test(path, as: "discovered key \(path)", VolumeOptions([]), device: device, into: &report)
                return
            }
        }
        report.key = "passphrase prompt at boot"
        if options.headless {
            report.add(.error, "key", "no key and headless: the volume cannot be unlocked at boot")
        } else if options.mode != .plain || !(options.swap || options.tmp) {
            report.add(.info, "key", "passphrase prompt at boot")
        }
    }

    /// Reads the key (honouring keyfile-offset= and keyfile-size=) and tests it against the keyslots.
    private func test(_ path: String, as what: String, _ options: VolumeOptions, device: CryptDevice?, into report: inout EntryReport) {
        var key: KeyReader.Key
        do {
            key = try KeyReader(fileSystem: context.fileSystem).read(path, offset: options.keyfileOffset, size: options.keyfileSize)
        } catch {
            report.key = "unreadable"
            switch error {
            case .open(.noSuchFileOrDirectory):
                report.add(.error, "key", "\(what) is missing: the boot falls back to a passphrase prompt")
            case .open(.permissionDenied):
                report.add(.error, "key", "\(what) cannot be read: permission denied")
            case .open(let errno):
                report.add(.error, "key", "\(what) cannot be read: \(EntryChecker.describe(errno))")
            case .notAFile(let kind):
                report.add(.error, "key", "\(what) is a \(kind.rawValue), not a file or device")
            case .tooLarge:
                report.add(.error, "key", "\(what) is larger than 8 MiB: systemd-cryptsetup refuses it")
            }
            return
        }
        defer { key.wipe() }
        if key.worldReadable {
            report.add(.warning, "key", "\(what) is world-readable")
        }
        if key.short {
            report.add(.warning, "key", "\(what) has only \(key.bytes.count) bytes after offset \(options.keyfileOffset); keyfile-size= asks for \(options.keyfileSize)")
        }
        if key.bytes.isEmpty {
            report.add(.warning, "key", "\(what) gives an empty key")
        }
        guard let device else {
            report.key = report.deviceType == "plain" ? "plain key (not verifiable)" : "not tested"
            if report.deviceType == "plain" {
                report.add(.info, "key", "plain mode: any key opens the device, so \(what) cannot be verified")
            }
            return
        }
        do {
            let slot = try device.unlockingKeyslot(for: key.bytes, slot: options.keySlot)
            report.keyslot = slot
            report.key = "keyslot \(slot)"
        } catch {
            report.key = "does not unlock"
            let slots = device.activeKeyslots.map(String.init).joined(separator: ", ")
            switch error {
            case .noSuchFileOrDirectory where options.keySlot != nil:
                report.add(.error, "key", "keyslot \(options.keySlot!) (key-slot=) is empty; active keyslots: \(slots)")
            case .notPermitted:
                let only = options.keySlot.map { "keyslot \($0)" } ?? "any keyslot (active: \(slots))"
                report.add(.error, "key", "\(what) does not unlock \(only)")
            default:
                report.add(.error, "key", "testing \(what) failed: \(EntryChecker.describe(error))")
            }
        }
    }

    /// A plain swap or tmp entry keyed from a random source formats its device at every boot: the device
    /// must hold nothing anyone wants.
    func checkSafety(_ entry: CheckEntry, _ options: VolumeOptions, into report: inout EntryReport) {
        guard let key = entry.key, Self.randomSources.contains(key), let path = report.devicePath else { return }
        let signature: Signature?
        do {
            signature = try Signature.probe(path)
        } catch {
            report.add(.warning, "safety", "cannot probe \(path) for signatures: \(EntryChecker.describe(error))")
            return
        }
        guard let signature else { return }
        let formats = options.swap || options.tmp
        let what = signature.type == "crypto_LUKS" ? "a LUKS header" : signature.usage == "partition table" ? "a \(signature.type) partition table" : "a \(signature.type) signature"
        if signature.type == "swap" {
            report.add(.warning, "safety", "\(entry.device) holds a swap signature: it is overwritten at boot (harmless unless it holds a hibernation image)")
        } else if formats {
            let role = options.swap ? "swap" : "tmp"
            report.add(.error, "safety", "\(entry.device) holds \(what): this plain \(role) entry keyed from \(key) overwrites it at boot")
        } else {
            report.add(.warning, "safety", "\(entry.device) holds \(what) but is opened in plain mode with a random key")
        }
    }
}
