// Device specifications as fstab and crypttab write them: LABEL=, UUID=, PARTUUID=, PARTLABEL= become
// /dev/disk/by-*/ paths (fstab_node_to_udev_node), and "file:device" location specs are split.

public enum DeviceSpec {
    private static let tags: [(prefix: Bytes, directory: Bytes)] = [
        (Bytes(utf8: "LABEL="), Bytes(utf8: "/dev/disk/by-label/")),
        (Bytes(utf8: "UUID="), Bytes(utf8: "/dev/disk/by-uuid/")),
        (Bytes(utf8: "PARTUUID="), Bytes(utf8: "/dev/disk/by-partuuid/")),
        (Bytes(utf8: "PARTLABEL="), Bytes(utf8: "/dev/disk/by-partlabel/")),
    ]

    /// `fstab_node_to_udev_node`: a tag becomes its udev symlink path; anything else is returned unchanged.
    public static func udevNode(_ spec: Bytes) -> Bytes {
        for tag in tags {
            if let value = spec.after(prefix: tag.prefix) {
                return tag.directory + encodeDevnodeName(unquote(value))
            }
        }
        return spec
    }

    /// `unquote(s, "\"'")`: drops one pair of matching quotes around the whole value.
    static func unquote(_ value: Bytes) -> Bytes {
        guard value.count >= 2, value[0] == 0x22 || value[0] == 0x27, value.last == value[0] else { return value }
        return Array(value[1..<(value.count - 1)])
    }

    /// `encode_devnode_name`: keeps valid multi-byte UTF-8 and `[0-9A-Za-z#+-.:=@_]`, writes `\xNN` for
    /// every other byte.
    static func encodeDevnodeName(_ value: Bytes) -> Bytes {
        var out: Bytes = []
        out.reserveCapacity(value.count)
        var index = 0
        while index < value.count {
            let length = UTF8Rules.validSequenceLength(value, at: index)
            if length > 1 {
                out.append(contentsOf: value[index..<(index + length)])
                index += length
                continue
            }
            let c = value[index]
            if c != 0x5c && isDevnodeByte(c) {
                out.append(c)
            } else {
                ASCII.appendHexEscape(c, to: &out)
            }
            index += 1
        }
        return out
    }

    private static func isDevnodeByte(_ c: UInt8) -> Bool {
        ASCII.isAlphanumeric(c) || c == 0x23 || c == 0x2b || c == 0x2d || c == 0x2e || c == 0x3a || c == 0x3d
            || c == 0x40 || c == 0x5f  // # + - . : = @ _
    }

    /// A location spec split at its last colon (`split_locationspec`): the file and, when the part after the
    /// colon names an absolute device path, that device.
    public struct Location: Equatable, Sendable {
        public var file: Bytes
        public var device: Bytes?
    }

    /// Splits `spec`; the debug message says when a colon was kept as part of the file name.
    static func splitLocation(_ spec: Bytes, log: inout [LogMessage]) -> Location {
        guard let colon = spec.lastIndex(of: 0x3a) else { return Location(file: spec, device: nil) }
        let devicePart = Array(spec[(colon + 1)...])
        let device = udevNode(devicePart)
        if PathRules.isAbsolute(device) {
            return Location(file: Array(spec[..<colon]), device: device)
        }
        log.append(LogMessage(.debug, "Location specification argument contains a colon, but \""
            + devicePart.text + "\" doesn't look like a device specification.\nAssuming that \"" + spec.text
            + "\" is a single device specification."))
        return Location(file: spec, device: nil)
    }
}

/// UTF-8 validity the way systemd's `utf8_encoded_valid_unichar` judges it (5- and 6-byte forms are read,
/// then refused by range).
enum UTF8Rules {
    /// The length of the valid sequence starting at `index`, or 0 when the byte does not start one.
    static func validSequenceLength(_ bytes: Bytes, at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        if lead < 0x80 { return 1 }
        else if lead & 0xe0 == 0xc0 { length = 2 }
        else if lead & 0xf0 == 0xe0 { length = 3 }
        else if lead & 0xf8 == 0xf0 { length = 4 }
        else if lead & 0xfc == 0xf8 { length = 5 }
        else if lead & 0xfe == 0xfc { length = 6 }
        else { return 0 }
        guard index + length <= bytes.count else { return 0 }
        var scalar = UInt32(lead) & [0, 0, 0x1f, 0x0f, 0x07, 0x03, 0x01][length]
        for offset in 1..<length {
            let c = bytes[index + offset]
            if c & 0xc0 != 0x80 { return 0 }
            scalar = (scalar << 6) | UInt32(c & 0x3f)
        }
        let encodedLength: Int
        switch scalar {
        case ..<0x80: encodedLength = 1
        case ..<0x800: encodedLength = 2
        case ..<0x10000: encodedLength = 3
        case ..<0x200000: encodedLength = 4
        case ..<0x4000000: encodedLength = 5
        default: encodedLength = 6
        }
        if encodedLength != length { return 0 }
        let valid = scalar < 0x110000 && (scalar & 0xffff_f800) != 0xd800
            && !(scalar >= 0xfdd0 && scalar <= 0xfdef) && (scalar & 0xfffe) != 0xfffe
        return valid ? length : 0
    }

    static func isValid(_ bytes: Bytes) -> Bool {
        var index = 0
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            if length == 0 { return false }
            index += length
        }
        return true
    }
}
