// Key and header devices: a .mount unit under RUNTIME_DIRECTORY and a -umount.service
// (generate_device_mount and generate_device_umount).

enum MountKind {
    case key, header
    var prefix: String { self == .key ? "keydev" : "headerdev" }
    var failureName: String { self == .key ? "keydev" : "header device" }
}

struct DeviceMount {
    var directory: Bytes
    var unit: Bytes
    var umountUnit: Bytes
}

extension PlanContext {
    mutating func planDeviceMount(name: Bytes, device: Bytes, kind: MountKind, timeout: Bytes?, canFail: Bool,
                                  into operations: inout [PlanOperation]) throws -> DeviceMount {
        let escapedName = Escapes.c(name)
        let directory = runtimeDirectory + Bytes(utf8: "/\(kind.prefix)-") + escapedName
        if escapedName.contains(PathRules.slash) {
            // mkdir() of a directory whose parent does not exist.
            error("Failed to generate \(kind.failureName) mount unit: No such file or directory")
            throw EntryFailed()
        }
        operations.append(.makeDirectory(path: runtimeDirectory, mode: 0o700, parentMode: 0o755))
        operations.append(.makeDirectory(path: directory, mode: 0o700, parentMode: 0o755))
        guard let unit = UnitNames.fromPath(directory, suffix: ".mount") else {
            error("Failed to generate \(kind.failureName) mount unit: Invalid argument")
            throw EntryFailed()
        }
        if !reserveUnitFile(unit) {
            error("Failed to create unit file '\(unitPath(unit).text)': File exists")
            error("Failed to generate \(kind.failureName) mount unit: File exists")
            throw EntryFailed()
        }

        var text = UnitText()
        text.append(headerBytes)
        text.line("[Unit]")
        text.line("DefaultDependencies=no")
        text.line("")
        text.line("[Mount]")
        var what = Escapes.specifier(device), where_ = Escapes.specifier(directory)
        if injectedBugs.contains(.deviceMountPercentUnescaped) { (what, where_) = (device, directory) }  // BugInjection: systemd #5290
        if what != device || where_ != directory { divergences.insert(.mountEscaping) }
        text.line("What", what)
        text.line("Where", where_)
        text.line((kind == .key ? "Options=ro" : "Options=rw") + (canFail ? ",nofail" : ""))
        operations.append(.createUnit(path: unitPath(unit), contents: text.bytes))

        if let timeout {
            switch TimeSpan.parse(timeout) {
            case .success:
                guard let deviceUnit = UnitNames.fromPath(device, suffix: ".device") else {
                    error("Failed to generate unit name: Invalid argument")
                    error("Failed to generate \(kind.failureName) mount unit: Invalid argument")
                    throw EntryFailed()
                }
                guard dropInFits(unit: deviceUnit) else {
                    error("Failed to write device drop-in: Invalid argument")
                    error("Failed to generate \(kind.failureName) mount unit: Invalid argument")
                    throw EntryFailed()
                }
                operations.append(runningTimeoutDropIn(unit: deviceUnit, timeout: timeout))
            case .failure(let code):
                warning("Failed to parse \(timeout.text), ignoring: \(ErrorText.describe(code))")
            }
        }

        // The umount service. systemd names it after cescape(name), which is not always a valid unit name.
        var umountUnit = Bytes(utf8: "\(kind.prefix)-") + escapedName + Bytes(utf8: "-umount.service")
        if !UnitNames.isValidPlain(umountUnit), !injectedBugs.contains(.deviceMountPercentUnescaped) {  // BugInjection: systemd #5290
            divergences.insert(.umountUnitName)
            umountUnit = Bytes(utf8: "\(kind.prefix)-") + UnitNames.escape(name) + Bytes(utf8: "-umount.service")
            if !UnitNames.isValidPlain(umountUnit) {
                error("Failed to generate \(kind.failureName) umount unit: Invalid argument")
                throw EntryFailed()
            }
        }
        if !reserveUnitFile(umountUnit) {
            error("Failed to create unit file '\(unitPath(umountUnit).text)': File exists")
            error("Failed to generate \(kind.failureName) umount unit: File exists")
            throw EntryFailed()
        }
        var umount = UnitText()
        umount.append(headerBytes)
        umount.line("[Unit]")
        umount.line("DefaultDependencies=no")
        umount.line("After", unit)
        umount.line("")
        umount.line("[Service]")
        var argument = ExecArgument.bare(directory)
        if injectedBugs.contains(.deviceMountPercentUnescaped) { argument.text = directory }  // BugInjection: systemd #5290
        if argument.diverged { divergences.insert(.mountEscaping) }
        umount.append("ExecStart=-/bin/umount ")
        umount.append(argument.text)
        umount.append("\n\n")
        operations.append(.createUnit(path: unitPath(umountUnit), contents: umount.bytes))
        return DeviceMount(directory: directory, unit: unit, umountUnit: umountUnit)
    }

    /// The 90- drop-in that bounds how long a key device may take to appear.
    func runningTimeoutDropIn(unit: Bytes, timeout: Bytes) -> PlanOperation {
        var text = UnitText()
        text.append("# Automatically generated by systemd-cryptsetup-generator \n\n[Unit]\nJobRunningTimeoutSec=")
        text.append(timeout)
        return .replaceDropIn(path: dropInPath(unit: unit, level: 90, name: "device-timeout"),
                              contents: text.withFinalNewline)
    }
}
