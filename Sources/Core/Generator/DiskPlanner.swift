// One encrypted volume: the systemd-cryptsetup@.service unit and everything around it (create_disk).

extension PlanContext {
    /// The operations for one volume, or EntryFailed after logging why (systemd's wording).
    mutating func planDisk(_ request: DiskRequest) throws -> [PlanOperation] {
        var options = request.options
        let name = request.name
        let noauto = OptionList.yesNo(options, yes: "noauto", no: "auto")
        let nofail = OptionList.yesNo(options, yes: "nofail", no: "fail")
        let swap = OptionList.has(options, "swap")
        let netdev = OptionList.has(options, "_netdev")
        let attachInInitrd = OptionList.has(options, "x-initrd.attach")
        let keyfileTimeout = OptionList.scan(options, names: ["keyfile-timeout"])
        let header: OptionList.Match
        var filteredHeader: Bytes = []
        if request.headerDevice != nil {
            (header, filteredHeader) = OptionList.filter(options, names: ["header"])
        } else {
            header = OptionList.scan(options, names: ["header"])
        }
        let tmp = OptionList.scan(options, names: ["tmp"])

        if tmp.found && swap {
            error("Device '\(name.text)' cannot be both 'tmp' and 'swap'. Ignoring.")
            throw EntryFailed()
        }
        let escapedName = UnitNames.escape(name)
        let udevNode = DeviceSpec.udevNode(request.device)
        let unit = Bytes(utf8: "systemd-cryptsetup@") + escapedName + Bytes(utf8: ".service")
        guard UnitNames.isValidInstance(unit) else {
            error("Failed to generate unit name: Invalid argument")
            throw EntryFailed()
        }
        guard let deviceUnit = UnitNames.fromPath(udevNode, suffix: ".device") else {
            error("Failed to generate unit name: Invalid argument")
            throw EntryFailed()
        }
        if request.keyDevice != nil && request.keyFile == nil {
            error("Key device is specified, but path to the key file is missing.")
            throw EntryFailed()
        }
        if keyfileTimeout.found && keyfileTimeout.value == nil && request.keyFile != nil
            && request.keyDevice == nil {
            // systemd 252 aborts here (assertion '!canfail || timeout_value').
            divergences.insert(.bareKeyfileTimeout)
            error("Device '\(name.text)' has option 'keyfile-timeout' without a value. Ignoring.")
            throw EntryFailed()
        }
        if header.found && header.value == nil && request.headerDevice == nil {
            // systemd 252 aborts here (assertion 'name' in strv_find, from print_dependencies(NULL)).
            divergences.insert(.bareHeader)
            error("Device '\(name.text)' has option 'header' without a value. Ignoring.")
            throw EntryFailed()
        }
        try claimUnitFile(unit)

        var operations: [PlanOperation] = []
        var text = UnitText()
        text.append(headerBytes)
        text.line("[Unit]")
        text.line("Description=Cryptography Setup for %I")
        text.line("Documentation=man:crypttab(5) man:systemd-cryptsetup-generator(8) man:systemd-cryptsetup@.service(8)")
        text.line("SourcePath", request.source)
        text.line("DefaultDependencies=no")
        text.line("IgnoreOnIsolate=true")
        text.line("After=cryptsetup-pre.target systemd-udevd-kernel.socket")
        text.line("Before=blockdev@dev-mapper-%i.target")
        text.line("Wants=blockdev@dev-mapper-%i.target")
        if netdev { text.line("After=remote-fs-pre.target") }
        if !attachInInitrd { text.line("Conflicts=umount.target") }

        var keyFile = request.keyFile
        if let keyDevice = request.keyDevice {
            let mount = try planDeviceMount(name: name, device: keyDevice, kind: .key,
                                            timeout: keyfileTimeout.value, canFail: keyfileTimeout.found,
                                            into: &operations)
            keyFile = PathRules.join(mount.directory, keyFile ?? [])
            text.line("After", mount.unit)
            text.line(keyfileTimeout.found ? "Wants" : "Requires", mount.unit)
            text.line("Wants", mount.umountUnit)
            text.line("Before", mount.umountUnit)
        }
        var headerPath = header.value
        if let headerDevice = request.headerDevice {
            let mount = try planDeviceMount(name: name, device: headerDevice, kind: .header,
                                            timeout: nil, canFail: false, into: &operations)
            let path = PathRules.join(mount.directory, headerPath ?? [])
            headerPath = path
            options = filteredHeader.isEmpty ? Bytes(utf8: "header=") + path
                : filteredHeader + Bytes(utf8: ",header=") + path
            text.line("After", mount.unit)
            text.line("Requires", mount.unit)
            text.line("Wants", mount.umountUnit)
            text.line("Before", mount.umountUnit)
        }
        if !nofail { text.line(netdev ? "Before=remote-cryptsetup.target" : "Before=cryptsetup.target") }
        if let keyFile, request.keyDevice == nil {
            try planDependencies(on: keyFile, timeout: keyfileTimeout.value, canFail: keyfileTimeout.found,
                                 text: &text, into: &operations)
        }
        if header.found && request.headerDevice == nil {
            try planDependencies(on: headerPath, timeout: nil, canFail: false, text: &text, into: &operations)
        }
        if PathRules.startsWith(udevNode, Bytes(utf8: "/dev/")) != nil {
            text.line("BindsTo", deviceUnit)
            text.line("After", deviceUnit)
            text.line("Before=umount.target")
        } else {
            requiresMountsFor(udevNode, &text)
            text.line("Requires=systemd-tmpfiles-setup-dev.service")
            text.line("After=systemd-tmpfiles-setup-dev.service")
        }
        let filtered = planDeviceTimeout(device: request.device, name: name, options: options, into: &operations)

        text.line("")
        text.line("[Service]")
        text.line("Type=oneshot")
        text.line("RemainAfterExit=yes")
        text.line("TimeoutSec=0")
        text.line("KeyringMode=shared")
        text.line("OOMScoreAdjust=500")
        let quotedName = execArgument(name)
        text.append("ExecStart=/lib/systemd/systemd-cryptsetup attach ")
        text.append(quotedName + [0x20] + execArgument(udevNode) + [0x20] + execArgument(keyFile ?? [])
                    + [0x20] + execArgument(filtered) + [0x0a])
        text.append("ExecStop=/lib/systemd/systemd-cryptsetup detach ")
        text.append(quotedName + [0x0a])
        let mapper = Bytes(utf8: "/dev/mapper/") + name
        if tmp.found {
            text.append("ExecStartPost=/lib/systemd/systemd-makefs ")
            text.append(execArgument(tmp.value ?? Bytes(utf8: "ext4")) + [0x20] + execArgument(mapper) + [0x0a])
        }
        if swap {
            text.append("ExecStartPost=/lib/systemd/systemd-makefs swap ")
            text.append(execArgument(mapper) + [0x0a])
        }
        operations.insert(.createUnit(path: unitPath(unit), contents: text.bytes), at: 0)

        let target = Bytes(utf8: netdev ? "remote-cryptsetup.target" : "cryptsetup.target")
        if !noauto { operations.append(symlink(into: target, type: nofail ? "wants" : "requires", unit: unit)) }
        let mapperUnit = Bytes(utf8: "dev-mapper-") + escapedName + Bytes(utf8: ".device")
        operations.append(symlink(into: mapperUnit, type: "requires", unit: unit))
        if !noauto && !nofail {
            let contents = Bytes(utf8: "# Automatically generated by systemd-cryptsetup-generator\n\n[Unit]\nJobTimeoutSec=0\n")
            operations.append(.replaceDropIn(path: dropInPath(unit: mapperUnit, level: 40, name: "device-timeout"),
                                             contents: contents))
        }
        return operations
    }

    /// Reserves a unit file name; a second use fails as `fopen(…, "wx")` does.
    mutating func claimUnitFile(_ unit: Bytes) throws {
        if !reserveUnitFile(unit) {
            error("Failed to create unit file '\(unitPath(unit).text)': File exists")
            throw EntryFailed()
        }
    }

    /// Adds `unit` to the planned names for the current entry; false when it is taken.
    mutating func reserveUnitFile(_ unit: Bytes) -> Bool {
        let key = BytesKey(unit)
        guard unitFiles.insert(key).inserted else { return false }
        unitFilesOfEntry.append(key)
        return true
    }

    mutating func execArgument(_ value: Bytes) -> Bytes {
        let result = ExecArgument.quoted(value)
        if result.diverged { divergences.insert(.execQuoting) }
        return result.text
    }
}
