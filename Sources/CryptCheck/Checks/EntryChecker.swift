import Core
import Glibc

/// Runs every check on one entry: options and names, the device, the LUKS header, the key, safety.
/// It only reads: libcryptsetup tests keys with a NULL volume name, which activates nothing.
struct EntryChecker {
    let context: CheckContext
    let resolver: DeviceResolver

    func check(_ entry: CheckEntry) -> EntryReport {
        var report = EntryReport(entry: entry)
        let options = VolumeOptions(entry.options)
        checkOptions(options, into: &report)
        NameChecks.check(entry, options: options, into: &report)

        switch resolver.resolve(entry.device) {
        case .missing(let why):
            report.add(.error, "device", "device \(entry.device) not found: \(why)")
        case .found(let path, let how, let bootFindsIt):
            if let kind = try? HostFileSystem(root: "/").stat(path).kind, kind != .regular && kind != .blockDevice {
                report.add(.error, "device", "device \(entry.device) is a \(kind.rawValue), not a block device or image file")
                return report
            }
            report.devicePath = path
            if !bootFindsIt {
                report.add(.warning, "device", "found only by \(how): no \(DeviceName(entry.device).udevPath) link, the boot may not find it")
            } else if how != "path" {
                report.add(.info, "device", "\(entry.device) is \(path) (via \(how))")
            }
        }
        let loaded = checkHeader(entry, options, into: &report)
        checkKey(entry, options, device: loaded, into: &report)
        checkSafety(entry, options, into: &report)
        return report
    }

    private func checkOptions(_ options: VolumeOptions, into report: inout EntryReport) {
        for option in options.unknown {
            report.add(.warning, "options", "unknown option '\(NameChecks.printable(option))': systemd-cryptsetup 252 ignores it")
        }
        for (option, reason) in options.malformed {
            report.add(.error, "options", "'\(NameChecks.printable(option))': \(reason)")
        }
        if options.swap && options.tmp {
            report.add(.error, "options", "both swap and tmp: systemd 252's generator stops at this entry")
        }
        if options.bareKeyfileTimeout {
            report.add(.error, "options", "keyfile-timeout without a value: systemd 252's generator aborts (assertion)")
        }
    }

    /// Loads the LUKS header (on the device, or detached with `header=`) and compares its UUID.
    /// Returns the loaded context when there is one.
    private func checkHeader(_ entry: CheckEntry, _ options: VolumeOptions, into report: inout EntryReport) -> CryptDevice? {
        var headerPath = report.devicePath
        var headerName = entry.device
        if let file = options.header {
            if let device = entry.headerDevice {
                report.add(.info, "header", "header \(file) is on device \(device), mounted at boot: not checked")
                report.deviceType = "unknown"
                return nil
            }
            headerName = file
            guard file.hasPrefix("/") else {
                report.add(.error, "header", "header path '\(file)' is not absolute: systemd-cryptsetup refuses it")
                report.deviceType = "unknown"
                return nil
            }
            do {
                headerPath = try context.hostPath(file)
            } catch {
                report.add(.error, "header", "detached header \(file) cannot be opened: \(Self.describe(error))")
                report.deviceType = report.devicePath == nil ? "missing" : "unknown"
                return nil
            }
        }
        guard let headerPath else { return nil }
        // libcryptsetup reports an unreadable image as ENOTBLK; say what it is.
        if access(headerPath, R_OK) != 0 {
            let reason = Self.describe(Errno(rawValue: errno))
            report.add(.error, "header", "cannot read \(headerName): \(reason)")
            report.deviceType = "unknown"
            return nil
        }
        let signature = try? Signature.probe(headerPath)
        let device: CryptDevice
        do {
            device = try CryptDevice(headerPath: headerPath, dataPath: options.header != nil ? report.devicePath : nil)
            try device.loadLUKS()
        } catch {
            noLUKS(headerName, options, signature: signature, error: error, into: &report)
            return nil
        }
        report.deviceType = device.type ?? "LUKS"
        report.uuid = device.uuid
        if let uuid = device.uuid {
            var expected: [(String, String)] = []
            if options.header == nil, let named = DeviceName(entry.device).namedUUID { expected.append(("crypttab", named)) }
            if let named = entry.commandLineUUID { expected.append(("the kernel command line", named)) }
            for (source, named) in expected where named != uuid {
                let caseOnly = named.lowercased() == uuid.lowercased()
                report.add(.error, "header", "header UUID \(uuid) differs from \(named) in \(source)" + (caseOnly ? " (only in case, but udev links are case-sensitive)" : ""))
            }
        }
        if options.mode == .plain {
            report.add(.warning, "header", "\(headerName) holds a \(report.deviceType) header but the entry opens it in plain mode")
            return nil
        }
        return device
    }

    /// No LUKS header loaded: says what is there and whether that is a problem for this entry.
    private func noLUKS(_ name: String, _ options: VolumeOptions, signature: Signature?, error: any Error, into report: inout EntryReport) {
        let reason = Self.describe(error)
        if signature?.type == "crypto_LUKS" {
            report.deviceType = "unknown"
            report.add(.error, "header", "\(name) has a LUKS signature but its header does not load (damaged or truncated?): \(reason)")
            return
        }
        if let errno = error as? Errno, errno != .invalidArgument {
            report.deviceType = "unknown"
            report.add(.error, "header", "cannot read \(name): \(reason)")
            return
        }
        let seen = signature.map { "it holds \($0.usage == "partition table" ? "a \($0.type) partition table" : "a \($0.type) signature")" } ?? "no known signature"
        switch options.mode {
        case .plain:
            report.deviceType = "plain"
        case .tcrypt, .bitlk:
            report.deviceType = options.mode.rawValue
            report.add(.info, "header", "\(options.mode.rawValue) volumes are not checked")
        case .luks, .unspecified:
            report.deviceType = "unknown"
            let what = options.header != nil ? "detached header \(name)" : name
            report.add(.error, "header", "\(what) is not LUKS (\(seen)): systemd-cryptsetup 252 fails with \"Failed to load LUKS superblock\"")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let errno = error as? Errno {
            switch errno {
            case .noSuchFileOrDirectory: return "no such file or directory"
            case .permissionDenied: return "permission denied"
            case .invalidArgument: return "not a valid header"
            default: return "\(errno)"
            }
        }
        return "\(error)"
    }
}
