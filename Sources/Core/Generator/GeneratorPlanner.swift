// The planner: crypttab, command line and environment in, a plan out. No file is touched.

/// What reading the crypttab gave.
public enum CrypttabContents: Equatable, Sendable {
    /// ENOENT: silently nothing.
    case missing
    /// `open()` failed otherwise: logged, the command line devices are still made.
    case unopenable(Int32)
    /// The bytes read, and the errno of a read that failed after them.
    case contents(Bytes, readError: Int32?)
}

/// Everything the generator decides from.
public struct GeneratorInput {
    /// `basename(argv[0])`, written at the top of every unit.
    public var programName: Bytes
    /// argv[1].
    public var destination: Bytes
    /// SYSTEMD_CRYPTTAB or /etc/crypttab.
    public var crypttabPath: Bytes
    public var crypttab: CrypttabContents
    /// SYSTEMD_EFI_OPTIONS, or the SystemdOptions EFI variable; parsed before the command line.
    public var efiOptions: Bytes?
    /// SYSTEMD_PROC_CMDLINE or /proc/cmdline.
    public var commandLine: Bytes
    /// Whether this is the initrd (asked only when an `rd.` key is present).
    public var inInitrd: () -> Bool
    /// RUNTIME_DIRECTORY or /run/systemd/cryptsetup.
    public var runtimeDirectory: Bytes
    /// The historical systemd bugs put back in this plan (simulation only; see `InjectedGeneratorBugs`).
    @_spi(BugInjection) public var injectedBugs: InjectedGeneratorBugs = []

    public init(programName: Bytes, destination: Bytes, crypttabPath: Bytes, crypttab: CrypttabContents,
                efiOptions: Bytes?, commandLine: Bytes, inInitrd: @escaping () -> Bool,
                runtimeDirectory: Bytes) {
        self.programName = programName
        self.destination = destination
        self.crypttabPath = crypttabPath
        self.crypttab = crypttab
        self.efiOptions = efiOptions
        self.commandLine = commandLine
        self.inInitrd = inInitrd
        self.runtimeDirectory = runtimeDirectory
    }
}

public enum GeneratorPlanner {
    /// Plans one run of the generator. `onEntry` sees every entry as soon as it is planned, in plan order.
    public static func plan(_ input: GeneratorInput, onEntry: ((PlanEntry) -> Void)? = nil)
        -> (plan: GeneratorPlan, divergences: Set<Divergence>) {
        var plan = GeneratorPlan()
        var context = PlanContext(program: input.programName, destination: input.destination,
                                  runtimeDirectory: input.runtimeDirectory, injectedBugs: input.injectedBugs)
        context.onEntry = onEntry
        var settings = CommandLineSettings()
        var initrd: Bool?
        let inInitrd: () -> Bool = {
            if initrd == nil { initrd = input.inInitrd() }
            return initrd!
        }
        if let efi = input.efiOptions {
            settings.apply(KernelCommandLine.items(efi, inInitrd: inInitrd), log: &context.log)
        }
        settings.apply(KernelCommandLine.items(input.commandLine, inInitrd: inInitrd), log: &context.log)

        if settings.enabled {
            let completed = planCrypttab(input, &settings, &context, &plan)
            if completed { planCommandLineDevices(settings, &context, &plan) }
        }
        plan.messages = context.log
        return (plan, context.divergences)
    }

    /// The crypttab lines in order. False when reading failed and the run must stop (as systemd does).
    private static func planCrypttab(_ input: GeneratorInput, _ settings: inout CommandLineSettings,
                                     _ context: inout PlanContext, _ plan: inout GeneratorPlan) -> Bool {
        guard settings.readCrypttab else { return true }
        let path = input.crypttabPath.text
        let data: Bytes
        var readError: Int32?
        switch input.crypttab {
        case .missing:
            return true
        case .unopenable(let code):
            context.error("Failed to open \(path): \(ErrorText.describe(code))")
            return true
        case .contents(let bytes, let error):
            data = bytes
            readError = error
        }
        let (lines, tooLongAt) = CrypttabLines.lines(data)
        for line in lines {
            guard let fields = CrypttabLines.fields(line.bytes) else { continue }
            // systemd stops at a failed entry; every later line that says or makes something differs.
            if plan.failed { context.divergences.insert(.continueAfterFailure) }
            guard fields.count >= 2 else {
                context.error("Failed to parse \(path):\(line.number), ignoring.")
                continue
            }
            planCrypttabEntry(fields, source: input.crypttabPath, &settings, &context, &plan)
        }
        if let tooLongAt {
            context.debug("Line \(tooLongAt) of \(path) is longer than \(CrypttabLines.maxLineLength) bytes.")
            readError = ErrorText.noBufferSpace
        }
        if let readError {
            if plan.failed { context.divergences.insert(.continueAfterFailure) }
            context.error("Failed to read \(path): \(ErrorText.describe(readError))")
            plan.failed = true
            return false
        }
        return true
    }

    private static func planCrypttabEntry(_ fields: [Bytes], source: Bytes, _ settings: inout CommandLineSettings,
                                          _ context: inout PlanContext, _ plan: inout GeneratorPlan) {
        let name = fields[0], device = fields[1]
        let keySpec = fields.count > 2 ? fields[2] : nil
        var options = fields.count > 3 ? fields[3] : nil
        let uuid = device.after(prefix: Bytes(utf8: "UUID="))
            ?? PathRules.startsWith(device, Bytes(utf8: "/dev/disk/by-uuid/"))
            ?? name.after(prefix: Bytes(utf8: "luks-"))
        let known = uuid.flatMap { settings.device(uuid: $0) }
        if settings.allowList && known == nil {
            context.log.append(LogMessage(.info,
                "Not creating device '\(name.text)' because it was not specified on the kernel command line."))
            return
        }
        let location = keySpec.map { DeviceSpec.splitLocation($0, log: &context.log) }
        var headerDevice: Bytes?
        if let given = options, known?.options == nil {
            let separated = HeaderOption.separate(given, log: &context.log)
            options = separated.options
            headerDevice = separated.device
        }
        if let known, let knownOptions = known.options {
            options = knownOptions
            headerDevice = known.headerDevice
        }
        let request = DiskRequest(name: name, device: device, keyFile: location?.file,
                                  keyDevice: location?.device, headerDevice: headerDevice, options: options,
                                  source: source)
        if add(request, &context, &plan), let uuid, known != nil { settings.markCreated(uuid: uuid) }
    }

    /// Devices named only on the command line, in command-line order.
    private static func planCommandLineDevices(_ settings: CommandLineSettings, _ context: inout PlanContext,
                                               _ plan: inout GeneratorPlan) {
        let pending = settings.devices.filter(\.create)
        if pending.count > 1 { context.divergences.insert(.commandLineOrder) }
        for device in pending {
            if plan.failed { context.divergences.insert(.continueAfterFailure) }
            let request = DiskRequest(
                name: device.name ?? Bytes(utf8: "luks-") + device.uuid,
                device: device.dataDevice ?? Bytes(utf8: "UUID=") + device.uuid,
                keyFile: device.keyFile ?? settings.defaultKeyFile,
                keyDevice: device.keyDevice, headerDevice: device.headerDevice,
                options: device.options ?? settings.defaultOptions,
                source: Bytes(utf8: "/proc/cmdline"))
            _ = add(request, &context, &plan)
        }
    }

    /// Plans one volume; a failure is logged, marks the run failed and leaves nothing of this entry.
    private static func add(_ request: DiskRequest, _ context: inout PlanContext, _ plan: inout GeneratorPlan) -> Bool {
        context.unitFilesOfEntry.removeAll(keepingCapacity: true)
        do {
            let operations = try context.planDisk(request)
            let entry = PlanEntry(name: request.name, operations: operations)
            plan.entries.append(entry)
            context.onEntry?(entry)
            return true
        } catch {
            if !context.unitFilesOfEntry.isEmpty { context.divergences.insert(.noPartialUnit) }
            for unit in context.unitFilesOfEntry { context.unitFiles.remove(unit) }
            plan.failed = true
            return false
        }
    }
}
