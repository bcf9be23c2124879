/// One volume to check, as the generator would set it up: the four crypttab fields after the generator's
/// parsing and command-line merging. The checker only ever sees this type, so where it comes from (the
/// generator's parsers, or the stand-in reader until they exist) is decided in one place.
public struct CheckEntry: Hashable, Sendable {
    /// Where the entry was defined: `/etc/crypttab:3` or `/proc/cmdline`.
    public var source: String
    /// The volume name (`/dev/mapper/NAME`).
    public var name: String
    /// The device spec as written: a path, `UUID=…`, `LABEL=…`, `PARTUUID=…` or `PARTLABEL=…`.
    public var device: String
    /// The key file, or nil for `-`, `none` or an absent field.
    public var key: String?
    /// The device the key file is on (`file:device`), mounted at boot; nil for a key on the root.
    public var keyDevice: String?
    /// The device a detached `header=file:device` is on; nil for a header on the root.
    public var headerDevice: String?
    /// The options, split and unescaped the way the generator normalises them.
    public var options: [String]
    /// The UUID the kernel command line names for this volume (`luks.uuid=`, `luks.name=`), if any.
    public var commandLineUUID: String?

    public init(
        source: String, name: String, device: String, key: String?, keyDevice: String? = nil,
        headerDevice: String? = nil, options: [String], commandLineUUID: String? = nil
    ) {
        self.keyDevice = keyDevice
        self.headerDevice = headerDevice
        self.source = source
        self.name = name
        self.device = device
        self.key = key
        self.options = options
        self.commandLineUUID = commandLineUUID
    }
}

/// A problem with the input as a whole (the crypttab cannot be read, a line cannot be parsed).
public struct InputProblem: Hashable, Sendable, Error, CustomStringConvertible {
    public var source: String
    public var message: String
    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }
    public var description: String { "\(source): \(message)" }
}
