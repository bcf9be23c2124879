// Ordering on key and header files (print_dependencies) and the device timeout drop-in
// (generator_write_timeouts).

extension PlanContext {
    mutating func planDependencies(on path: Bytes?, timeout: Bytes?, canFail: Bool, text: inout UnitText,
                                   into operations: inout [PlanOperation]) throws {
        guard let path else { return }
        if path == Bytes(utf8: "-") || path == Bytes(utf8: "none") { return }
        for rng in ["/dev/urandom", "/dev/random", "/dev/hw_random", "/dev/hwrng"]
        where PathRules.equal(path, Bytes(utf8: rng)) {
            text.line("After=systemd-random-seed.service")
            return
        }
        let node = DeviceSpec.udevNode(path)
        if PathRules.equal(node, Bytes(utf8: "/dev/null")) { return }
        if PathRules.startsWith(node, Bytes(utf8: "/dev/")) != nil {
            guard let unit = UnitNames.fromPath(node, suffix: ".device") else {
                error("Failed to generate unit name: Invalid argument")
                throw EntryFailed()
            }
            text.line("After", unit)
            if canFail {
                text.line("Wants", unit)
                guard dropInFits(unit: unit) else {
                    error("Failed to write device drop-in: Invalid argument")
                    throw EntryFailed()
                }
                operations.append(runningTimeoutDropIn(unit: unit, timeout: timeout ?? []))
            } else {
                text.line("Requires", unit)
            }
        } else {
            requiresMountsFor(path, &text)
        }
    }

    /// Writes the 50- drop-in for `x-systemd.device-timeout=` and returns the options without it.
    mutating func planDeviceTimeout(device: Bytes, name: Bytes, options: Bytes?,
                                    into operations: inout [PlanOperation]) -> Bytes {
        let (match, filtered) = OptionList.filter(options, names: ["comment=systemd.device-timeout",
                                                                   "x-systemd.device-timeout"])
        guard match.found else { return filtered }
        guard let timeout = match.value else {
            // systemd 252 aborts here (assertion 't' in parse_sec_fix_0).
            divergences.insert(.bareDeviceTimeout)
            warning("Failed to parse timeout for \(name.text), ignoring: ")
            return filtered
        }
        guard case .success = TimeSpan.parse(timeout) else {
            warning("Failed to parse timeout for \(name.text), ignoring: \(timeout.text)")
            return filtered
        }
        let node = DeviceSpec.udevNode(device)
        // is_device_path(): under /dev/ or /sys/ with something after the prefix.
        let isDevice = !(PathRules.startsWith(node, Bytes(utf8: "/dev/")) ?? []).isEmpty
            || !(PathRules.startsWith(node, Bytes(utf8: "/sys/")) ?? []).isEmpty
        guard isDevice else {
            warning("x-systemd.device-timeout ignored for \(device.text)")
            return filtered
        }
        guard let unit = UnitNames.fromPath(node, suffix: ".device") else {
            error("Failed to make unit name from path: Invalid argument")
            warning("Failed to write device timeout drop-in: Invalid argument")
            return filtered
        }
        guard dropInFits(unit: unit) else {
            warning("Failed to write device timeout drop-in: Invalid argument")
            return filtered
        }
        var text = UnitText()
        text.append(headerBytes.dropLast())
        text.append("# from supplied options \"")
        text.append(options ?? [])
        text.append("\"\n\n[Unit]\nJobRunningTimeoutSec=")
        text.append(timeout)
        operations.append(.replaceDropIn(path: dropInPath(unit: unit, level: 50, name: "device-timeout"),
                                         contents: text.withFinalNewline))
        return filtered
    }
}
