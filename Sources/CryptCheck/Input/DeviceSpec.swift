/// A crypttab device or key-device spec: `UUID=`, `LABEL=`, `PARTUUID=`, `PARTLABEL=` or a path.
/// Stand-in for the generator's `fstab_node_to_udev_node` mapping until that is merged.
enum DeviceSpec: Hashable, Sendable {
    case tag(name: String, value: String)
    case path(String)

    static let tags = ["UUID": "uuid", "LABEL": "label", "PARTUUID": "partuuid", "PARTLABEL": "partlabel"]

    init(_ spec: String) {
        for tag in DeviceSpec.tags.keys where spec.hasPrefix(tag + "=") {
            var value = String(spec.dropFirst(tag.count + 1))
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            self = .tag(name: tag, value: value)
            return
        }
        self = .path(spec)
    }

    /// The path udev would create: `/dev/disk/by-uuid/…` with systemd's `encode_devnode_name` escaping.
    var udevPath: String {
        switch self {
        case .path(let path): return path
        case .tag(let name, let value):
            return "/dev/disk/by-\(DeviceSpec.tags[name]!)/" + DeviceSpec.encode(value)
        }
    }

    /// The UUID this spec names: `UUID=X` or `/dev/disk/by-uuid/X`.
    var namedUUID: String? {
        switch self {
        case .tag("UUID", let value): return value
        case .path(let path) where path.hasPrefix("/dev/disk/by-uuid/"):
            return String(path.dropFirst("/dev/disk/by-uuid/".count))
        default: return nil
        }
    }

    /// Keeps UTF-8 and `[A-Za-z0-9#+-.:=@_]`; every other byte becomes `\xNN`.
    static func encode(_ value: String) -> String {
        var result = ""
        for byte in value.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte >= 0x80 || (scalar.properties.isASCIIHexDigit || ("a"..."z").contains(scalar)
                || ("A"..."Z").contains(scalar) || "#+-.:=@_".unicodeScalars.contains(scalar))
            {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\\x" + hex(byte)
            }
        }
        // Non-ASCII bytes were appended one by one; rebuild them as UTF-8.
        return String(decoding: result.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }, as: UTF8.self)
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    /// Splits `file:device` at the last colon when the right side is a device spec (a path or a tag).
    static func splitLocation(_ spec: String) -> (file: String, device: String?) {
        guard let colon = spec.lastIndex(of: ":") else { return (spec, nil) }
        let right = String(spec[spec.index(after: colon)...])
        let isDevice = right.hasPrefix("/") || tags.keys.contains { right.hasPrefix($0 + "=") }
        return isDevice ? (String(spec[..<colon]), right) : (spec, nil)
    }
}
