/// Strings that systemd 252's generator writes into units in a way that changes or breaks them
/// (research notes, section 2): quotes and backslashes in ExecStart, control characters anywhere, and
/// `%` or non-ASCII bytes in the key-device and header-device unit names.
enum NameChecks {
    /// Adds findings for the name, the key spec and the options of `entry`.
    static func check(_ entry: CheckEntry, options: VolumeOptions, into report: inout EntryReport) {
        let name = entry.name
        if name.isEmpty || name == "." || name == ".." || name.contains("/") {
            report.add(.error, "name", "'\(printable(name))' is not a valid volume name (systemd-cryptsetup refuses it)")
        } else if name.utf8.count > 255 {
            report.add(.error, "name", "the name is longer than 255 bytes (systemd-cryptsetup refuses it)")
        }
        let keyOnDevice = entry.keyDevice != nil
        let headerOnDevice = entry.headerDevice != nil
        if keyOnDevice || headerOnDevice {
            let what = keyOnDevice ? "key-device" : "header-device"
            if name.contains("%") {
                report.add(.error, "name", "'%' in the name: systemd 252 writes an invalid \(what) unit name")
            }
            if name.utf8.contains(where: { $0 >= 0x80 }) {
                report.add(.error, "name", "non-ASCII name: systemd 252 octal-escapes it into an invalid \(what) unit name")
            }
        }
        var strings = [("name", name)]
        if let key = entry.key { strings.append(("key", key)) }
        strings += entry.options.map { ("option", $0) }
        for (what, text) in strings {
            if text.contains("'") {
                report.add(.error, "name", "\(what) '\(printable(text))' contains a quote: systemd 252's ExecStart= is rejected (unbalanced quoting)")
            }
            if hasDecodedEscape(text) {
                report.add(.error, "name", "\(what) '\(printable(text))' contains a backslash escape: the unit parser decodes it, systemd-cryptsetup gets another string")
            }
            if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                report.add(.error, "name", "\(what) '\(printable(text))' contains control characters")
            }
        }
    }

    /// A backslash that systemd's unit parser turns into another character (`\t`, `\\`, `\x41`, `\101`…).
    static func hasDecodedEscape(_ text: String) -> Bool {
        let characters = Array(text)
        for (index, character) in characters.enumerated() where character == "\\" && index + 1 < characters.count {
            if "abfnrtvs\\\"'xuU01234567".contains(characters[index + 1]) { return true }
        }
        return text.hasSuffix("\\")
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    /// The text with control characters and backslashes shown as C escapes; never key material.
    static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                result += "\\x" + hex(UInt8(scalar.value))
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
