// The planner's request stage: what each crypttab line and each device named on the kernel command line asks
// for, merged into one request per volume before any unit is planned (the first half of add_crypttab_devices
// and add_proc_cmdline_devices in systemd 252). crypttab-check reads the same requests to check the same volumes.

/// One volume the generator is asked to set up: a crypttab line, or a device only the command line names,
/// with the command line's settings for its UUID merged in.
public struct DiskRequest: Equatable, Sendable {
    /// The volume name (`/dev/mapper/NAME`).
    public var name: Bytes
    /// The device spec: a path, `UUID=…`, `LABEL=…`, … (a `luks.data=` device is a udev node already).
    public var device: Bytes
    /// The key file as written (`-`, `none` or empty mean none), and the device it is on (`file:device`).
    public var keyFile: Bytes?
    public var keyDevice: Bytes?
    /// The device a detached `header=file:device` is on; the options keep `header=file`.
    public var headerDevice: Bytes?
    public var options: Bytes?
    /// `SourcePath=`: the crypttab's path, or `/proc/cmdline`.
    public var source: Bytes
    /// The UUID the command line knows this volume by (`luks.uuid=`, `luks.name=`, `luks.options=`, …), if any.
    public var commandLineUUID: Bytes?
}

/// The request stage. Feed it the crypttab lines in order, tell it which requests were set up, then take the
/// devices only the command line still asks for: a crypttab line that was set up covers its UUID's device.
public struct VolumeRequests {
    /// The command line's settings (`luks=`, `luks.crypttab=`, the devices by UUID, the defaults).
    public private(set) var settings: CommandLineSettings

    public init(settings: CommandLineSettings) { self.settings = settings }

    /// Reads the EFI SystemdOptions, then the kernel command line, as the generator does; `inInitrd` is asked
    /// only when an `rd.` key is present.
    public init(efiOptions: Bytes?, commandLine: Bytes, inInitrd: () -> Bool, log: inout [LogMessage]) {
        var settings = CommandLineSettings()
        if let efiOptions { settings.apply(KernelCommandLine.items(efiOptions, inInitrd: inInitrd), log: &log) }
        settings.apply(KernelCommandLine.items(commandLine, inInitrd: inInitrd), log: &log)
        self.settings = settings
    }

    /// The request of one crypttab line (its fields, at least two), or nil when the command line names devices
    /// (an allow-list) but not this one's UUID: logged, as systemd does. Options given on the command line for
    /// the UUID replace the line's.
    public func crypttabRequest(_ fields: [Bytes], source: Bytes, log: inout [LogMessage]) -> DiskRequest? {
        let name = fields[0], device = fields[1]
        let keySpec = fields.count > 2 ? fields[2] : nil
        var options = fields.count > 3 ? fields[3] : nil
        let uuid = device.after(prefix: Bytes(utf8: "UUID="))
            ?? PathRules.startsWith(device, Bytes(utf8: "/dev/disk/by-uuid/"))
            ?? name.after(prefix: Bytes(utf8: "luks-"))
        let known = uuid.flatMap { settings.device(uuid: $0) }
        if settings.allowList && known == nil {
            log.append(LogMessage(.info,
                "Not creating device '\(name.text)' because it was not specified on the kernel command line."))
            return nil
        }
        let location = keySpec.map { DeviceSpec.splitLocation($0, log: &log) }
        var headerDevice: Bytes?
        if let given = options, known?.options == nil {
            let separated = HeaderOption.separate(given, log: &log)
            options = separated.options
            headerDevice = separated.device
        }
        if let known, let knownOptions = known.options {
            options = knownOptions
            headerDevice = known.headerDevice
        }
        return DiskRequest(name: name, device: device, keyFile: location?.file, keyDevice: location?.device,
                           headerDevice: headerDevice, options: options, source: source,
                           commandLineUUID: known != nil ? uuid : nil)
    }

    /// `request` was set up: the command line's device of the same UUID needs no unit of its own.
    public mutating func setUp(_ request: DiskRequest) {
        if let uuid = request.commandLineUUID { settings.markCreated(uuid: uuid) }
    }

    /// The devices only the command line asks for (`luks.uuid=`, `luks.name=`) and no crypttab line set up,
    /// in command-line order, with the `luks.key=`/`luks.options=` defaults where they say nothing.
    public var commandLineRequests: [DiskRequest] {
        settings.devices.filter(\.create).map { device in
            DiskRequest(
                name: device.name ?? Bytes(utf8: "luks-") + device.uuid,
                device: device.dataDevice ?? Bytes(utf8: "UUID=") + device.uuid,
                keyFile: device.keyFile ?? settings.defaultKeyFile,
                keyDevice: device.keyDevice, headerDevice: device.headerDevice,
                options: device.options ?? settings.defaultOptions,
                source: Bytes(utf8: "/proc/cmdline"), commandLineUUID: device.uuid)
        }
    }
}
