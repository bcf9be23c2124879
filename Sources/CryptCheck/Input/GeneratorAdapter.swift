import Core

/// Reads the crypttab and the kernel command line through the generator's own parsers (`Core/Generator`:
/// `CrypttabLines`, `KernelCommandLine`, `CommandLineSettings`, `OptionList`, `DeviceSpec`), and merges
/// them as `GeneratorPlanner` does, so crypttab-check and the generator agree on what every entry means.
/// The merge mirrors `GeneratorPlanner.planCrypttabEntry`/`planCommandLineDevices`, which are private: a
/// public list of the planner's per-volume requests would let this file shrink to a map.
enum GeneratorAdapter {
    struct Result {
        var entries: [CheckEntry] = []
        var problems: [InputProblem] = []
        var notes: [String] = []
    }

    /// The entries a boot would set up (in the initrd when `initrd`: `rd.` keys apply).
    static func read(crypttab: (bytes: [UInt8], path: String)?, commandLine: String, initrd: Bool) -> Result {
        var result = Result()
        var log: [LogMessage] = []
        var settings = CommandLineSettings()
        settings.apply(KernelCommandLine.items(Bytes(utf8: commandLine), inInitrd: { initrd }), log: &log)
        guard settings.enabled else {
            result.notes.append("luks=no on the kernel command line: nothing is set up")
            return result
        }
        var matched = Set<Bytes>()
        if let crypttab, settings.readCrypttab {
            let (lines, tooLongAt) = CrypttabLines.lines(crypttab.bytes)
            for line in lines {
                guard let fields = CrypttabLines.fields(line.bytes) else { continue }
                let source = "\(crypttab.path):\(line.number)"
                guard fields.count >= 2 else {
                    result.problems.append(InputProblem(source: source, message: "cannot be parsed: fewer than 2 fields (the generator ignores the line)"))
                    continue
                }
                if let entry = entry(fields, source: source, settings, &matched) {
                    result.entries.append(entry)
                } else {
                    result.notes.append("\(source): '\(fields[0].text)' is skipped: not named on the kernel command line")
                }
            }
            if let tooLongAt {
                result.problems.append(InputProblem(source: "\(crypttab.path):\(tooLongAt)", message: "line longer than 1 MiB: the generator stops reading here"))
            }
        } else if crypttab != nil {
            result.notes.append("luks.crypttab=no on the kernel command line: the crypttab is ignored")
        }
        for device in settings.devices where device.create && !matched.contains(device.uuid) {
            let key = device.keyFile ?? settings.defaultKeyFile
            result.entries.append(CheckEntry(
                source: "/proc/cmdline", name: (device.name ?? Bytes(utf8: "luks-") + device.uuid).text,
                device: (device.dataDevice ?? Bytes(utf8: "UUID=") + device.uuid).text,
                key: keyFile(key), keyDevice: device.keyDevice?.text, headerDevice: device.headerDevice?.text,
                options: options(device.options ?? settings.defaultOptions), commandLineUUID: device.uuid.text))
        }
        return result
    }

    /// One crypttab line, or nil when the command line's allow-list skips it.
    private static func entry(_ fields: [Bytes], source: String, _ settings: CommandLineSettings, _ matched: inout Set<Bytes>) -> CheckEntry? {
        let name = fields[0], device = fields[1]
        let uuid = device.after(prefix: Bytes(utf8: "UUID=")) ?? device.after(prefix: Bytes(utf8: "/dev/disk/by-uuid/"))
            ?? name.after(prefix: Bytes(utf8: "luks-"))
        let known = uuid.flatMap { settings.device(uuid: $0) }
        if settings.allowList && known == nil { return nil }
        let location = fields.count > 2 ? split(fields[2]) : nil
        var options = fields.count > 3 ? fields[3] : nil
        var headerDevice: Bytes?
        if let known, let knownOptions = known.options {
            options = knownOptions
            headerDevice = known.headerDevice
        } else if let given = options {
            (options, headerDevice) = separateHeader(given)
        }
        if let uuid, known != nil { matched.insert(uuid) }
        return CheckEntry(
            source: source, name: name.text, device: device.text, key: keyFile(location?.file),
            keyDevice: location?.device?.text, headerDevice: headerDevice?.text, options: self.options(options),
            commandLineUUID: known?.uuid.text)
    }

    /// `split_locationspec`: `file:device` at the last colon when the device part maps to an absolute path.
    static func split(_ spec: Bytes) -> (file: Bytes, device: Bytes?) {
        guard let colon = spec.lastIndex(of: UInt8(ascii: ":")) else { return (spec, nil) }
        let device = Core.DeviceSpec.udevNode(Array(spec[(colon + 1)...]))
        return device.first == UInt8(ascii: "/") ? (Array(spec[..<colon]), device) : (spec, nil)
    }

    /// `filter_header_device`: `header=file:device` keeps `header=file` and returns the device apart.
    static func separateHeader(_ options: Bytes) -> (Bytes, Bytes?) {
        let (match, filtered) = OptionList.filter(options, names: ["header"])
        guard match.found else { return (filtered, nil) }
        let (file, device) = match.value.map(split) ?? ([], nil)
        let header = Bytes(utf8: "header=") + file
        return (filtered.isEmpty ? header : filtered + Bytes(utf8: ",") + header, device)
    }

    /// `-`, `none` and an empty field mean no key file.
    static func keyFile(_ bytes: Bytes?) -> String? {
        guard let bytes, !bytes.isEmpty, bytes != Bytes(utf8: "-"), bytes != Bytes(utf8: "none") else { return nil }
        return bytes.text
    }

    static func options(_ bytes: Bytes?) -> [String] {
        bytes.map { OptionList.split($0).map(\.text) } ?? []
    }
}
