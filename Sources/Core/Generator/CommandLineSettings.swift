// The generator's reading of the kernel command line (parse_proc_cmdline_item in systemd 252).

/// A device named on the command line by its UUID (luks.uuid, luks.name, luks.options, luks.key, luks.data).
public struct CommandLineDevice: Equatable, Sendable {
    public var uuid: Bytes
    public var name: Bytes?
    public var keyFile: Bytes?
    public var keyDevice: Bytes?
    public var headerDevice: Bytes?
    public var dataDevice: Bytes?
    public var options: Bytes?
    /// Set by luks.uuid and luks.name: a unit is made even without a crypttab line.
    public var create = false
}

public struct CommandLineSettings: Equatable, Sendable {
    /// `luks=`: false turns the generator off.
    public var enabled = true
    /// `luks.crypttab=`: false skips /etc/crypttab.
    public var readCrypttab = true
    /// Set by luks.uuid and luks.name: crypttab lines not named on the command line are skipped.
    public var allowList = false
    /// The devices, in the order the command line first named them.
    public var devices: [CommandLineDevice] = []
    /// `luks.options=` without a UUID.
    public var defaultOptions: Bytes?
    /// `luks.key=` without a UUID.
    public var defaultKeyFile: Bytes?

    private var indexByUUID: [Bytes: Int] = [:]

    public init() {}

    public func device(uuid: Bytes) -> CommandLineDevice? {
        indexByUUID[uuid].map { devices[$0] }
    }

    mutating func index(uuid: Bytes) -> Int {
        if let index = indexByUUID[uuid] { return index }
        devices.append(CommandLineDevice(uuid: uuid))
        indexByUUID[uuid] = devices.count - 1
        return devices.count - 1
    }

    mutating func markCreated(uuid: Bytes) {
        if let index = indexByUUID[uuid] { devices[index].create = false }
    }

    /// Applies every item of the command line in order.
    public mutating func apply(_ items: [KernelCommandLine.Item], log: inout [LogMessage]) {
        for item in items { apply(item, log: &log) }
    }

    mutating func apply(_ item: KernelCommandLine.Item, log: inout [LogMessage]) {
        let key = item.key.text
        let value = item.value
        switch key {
        case "luks", "luks.crypttab":
            let parsed = value.map(KernelCommandLine.boolean) ?? true
            guard let parsed else {
                log.append(LogMessage(.warning,
                    "Failed to parse \(key)= kernel command line switch \(value!.text). Ignoring."))
                return
            }
            if key == "luks" { enabled = parsed } else { readCrypttab = parsed }
        case "luks.uuid":
            guard let value = present(key, value, &log) else { return }
            let uuid = value.after(prefix: Bytes(utf8: "luks-")) ?? value
            let index = index(uuid: uuid)
            devices[index].create = true
            allowList = true
        case "luks.options":
            guard let value = present(key, value, &log) else { return }
            guard let (uuid, rest) = Self.scanUUIDAndWord(value) else {
                defaultOptions = value
                return
            }
            guard Self.validUUID(uuid, key: key, &log) else { return }
            let index = index(uuid: uuid)
            let header = HeaderOption.separate(rest, log: &log)
            devices[index].options = header.options
            devices[index].headerDevice = header.device
        case "luks.key":
            guard let value = present(key, value, &log) else { return }
            let n = value.prefix { ASCII.isAlphanumeric($0) || $0 == 0x2d }.count
            guard n < value.count, value[n] == 0x3d else {
                defaultKeyFile = value
                return
            }
            let uuid = Array(value[..<n])
            guard Self.validUUID(uuid, key: key, &log) else { return }
            let index = index(uuid: uuid)
            let location = DeviceSpec.splitLocation(Array(value[(n + 1)...]), log: &log)
            devices[index].keyFile = location.file
            devices[index].keyDevice = location.device
        case "luks.data":
            guard let value = present(key, value, &log) else { return }
            let n = value.prefix { ASCII.isAlphanumeric($0) || $0 == 0x2d }.count
            guard n < value.count, value[n] == 0x3d else {
                log.append(LogMessage(.warning,
                    "Failed to parse luks.data= kernel command line switch. UUID is invalid, ignoring."))
                return
            }
            let uuid = Array(value[..<n])
            guard Self.validUUID(uuid, key: key, &log) else { return }
            let index = index(uuid: uuid)
            devices[index].dataDevice = DeviceSpec.udevNode(Array(value[(n + 1)...]))
        case "luks.name":
            guard let value = present(key, value, &log) else { return }
            guard let (uuid, name) = Self.scanUUIDAndWord(value) else {
                log.append(LogMessage(.warning, "Failed to parse luks name switch \(value.text). Ignoring."))
                return
            }
            let index = index(uuid: uuid)
            devices[index].create = true
            allowList = true
            devices[index].name = name
        default:
            return
        }
    }

    /// `proc_cmdline_value_missing`.
    private func present(_ key: String, _ value: Bytes?, _ log: inout [LogMessage]) -> Bytes? {
        if value == nil {
            log.append(LogMessage(.warning, "Missing argument for \(key)= kernel command line switch, ignoring."))
        }
        return value
    }

    /// `sscanf(value, "%m[0-9a-fA-F-]=%ms")` when both conversions succeed.
    static func scanUUIDAndWord(_ value: Bytes) -> (Bytes, Bytes)? {
        let n = value.prefix { ASCII.isHexDigit($0) || $0 == 0x2d }.count
        guard n > 0, n < value.count, value[n] == 0x3d else { return nil }
        var start = n + 1
        while start < value.count && ASCII.isSpace(value[start]) { start += 1 }
        var end = start
        while end < value.count && !ASCII.isSpace(value[end]) { end += 1 }
        guard end > start else { return nil }
        return (Array(value[..<n]), Array(value[start..<end]))
    }

    /// `id128_is_valid` with systemd's warning when it is not.
    static func validUUID(_ uuid: Bytes, key: String, _ log: inout [LogMessage]) -> Bool {
        if isID128(uuid) { return true }
        log.append(LogMessage(.warning,
            "Failed to parse \(key)= kernel command line switch. UUID is invalid, ignoring."))
        return false
    }

    /// 32 hex digits, or 36 characters with dashes at 8, 13, 18 and 23.
    static func isID128(_ text: Bytes) -> Bool {
        if text.count == 32 { return text.allSatisfy(ASCII.isHexDigit) }
        guard text.count == 36 else { return false }
        for (index, c) in text.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                if c != 0x2d { return false }
            } else if !ASCII.isHexDigit(c) {
                return false
            }
        }
        return true
    }
}

/// `filter_header_device`: moves the device part of `header=file:device` out of an option string.
enum HeaderOption {
    struct Separated {
        var options: Bytes
        var device: Bytes?
    }

    static func separate(_ options: Bytes, log: inout [LogMessage]) -> Separated {
        let (match, filtered) = OptionList.filter(options, names: ["header"])
        guard match.found else { return Separated(options: filtered, device: nil) }
        var file: Bytes = []
        var device: Bytes?
        if let spec = match.value {
            let location = DeviceSpec.splitLocation(spec, log: &log)
            file = location.file
            device = location.device
        }
        let joined = filtered.isEmpty ? Bytes(utf8: "header=") + file : filtered + Bytes(utf8: ",header=") + file
        return Separated(options: joined, device: device)
    }
}
