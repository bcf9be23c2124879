/// The units the generator writes for an entry. Stand-in until the generator's unit planner is merged:
/// it names the service and the links and drop-ins every entry gets, without key-device/header-device mounts.
enum UnitNames {
    static func plan(_ entry: CheckEntry, options: [String]) -> [String] {
        let service = "systemd-cryptsetup@\(escape(entry.name)).service"
        let noauto = options.last { $0 == "noauto" || $0 == "auto" } == "noauto"
        let nofail = options.last { $0 == "nofail" || $0 == "fail" } == "nofail"
        let target = options.contains("_netdev") ? "remote-cryptsetup.target" : "cryptsetup.target"
        let device = "dev-mapper-\(escape(entry.name)).device"
        var units = [service, "\(device).requires/\(service)"]
        if !noauto { units.append("\(target).\(nofail ? "wants" : "requires")/\(service)") }
        if !noauto && !nofail { units.append("\(device).d/40-device-timeout.conf") }
        return units
    }

    /// systemd's `unit_name_escape`: `/` → `-`; `-`, `\`, a leading `.` and bytes outside
    /// `[0-9A-Za-z:_.]` → `\xNN`.
    static func escape(_ text: String) -> String {
        var result = ""
        for (index, byte) in text.utf8.enumerated() {
            let scalar = Unicode.Scalar(byte)
            if byte == UInt8(ascii: "/") {
                result += "-"
            } else if byte < 0x80 && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || (byte == UInt8(ascii: ".") && index > 0) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "_"))
            {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\\x" + DeviceSpec.hex(byte)
            }
        }
        return result
    }
}
