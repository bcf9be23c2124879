import Core

/// A device spec as the checks need it: a tag (`UUID=`, `LABEL=`, `PARTUUID=`, `PARTLABEL=`) or a path.
/// The udev path comes from the generator's own mapping (`Core.DeviceSpec.udevNode`).
struct DeviceName: Hashable, Sendable {
    /// The spec as written.
    let spec: String
    /// The tag and its unquoted value, for a tag spec.
    let tag: (name: String, value: String)?

    static let tags = ["UUID", "LABEL", "PARTUUID", "PARTLABEL"]

    init(_ spec: String) {
        self.spec = spec
        var found: (String, String)?
        for tag in DeviceName.tags where spec.hasPrefix(tag + "=") {
            var value = String(spec.dropFirst(tag.count + 1))
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            found = (tag, value)
        }
        tag = found
    }

    static func == (a: DeviceName, b: DeviceName) -> Bool { a.spec == b.spec }
    func hash(into hasher: inout Hasher) { hasher.combine(spec) }

    /// The path the boot waits for: `/dev/disk/by-uuid/…` (systemd's escaping) or the path itself.
    var udevPath: String { Core.DeviceSpec.udevNode(Bytes(utf8: spec)).text }

    /// Whether the spec is a plain path (not a tag).
    var isPath: Bool { tag == nil }

    /// The UUID this spec names, as the generator matches it: `UUID=X` or `/dev/disk/by-uuid/X`.
    var namedUUID: String? {
        if spec.hasPrefix("UUID=") { return String(spec.dropFirst(5)) }
        if spec.hasPrefix("/dev/disk/by-uuid/") { return String(spec.dropFirst("/dev/disk/by-uuid/".count)) }
        return nil
    }
}
