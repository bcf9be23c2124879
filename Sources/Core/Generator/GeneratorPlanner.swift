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
        var initrd: Bool?
        let inInitrd: () -> Bool = {
            if initrd == nil { initrd = input.inInitrd() }
            return initrd!
        }
        var requests = VolumeRequests(efiOptions: input.efiOptions, commandLine: input.commandLine,
                                      inInitrd: inInitrd, log: &context.log)
        if requests.settings.enabled {
            let completed = planCrypttab(input, &requests, &context, &plan)
            if completed { planCommandLineDevices(requests, &context, &plan) }
        }
        plan.messages = context.log
        return (plan, context.divergences)
    }

    /// The crypttab lines in order. False when reading failed and the run must stop (as systemd does).
    private static func planCrypttab(_ input: GeneratorInput, _ requests: inout VolumeRequests,
                                     _ context: inout PlanContext, _ plan: inout GeneratorPlan) -> Bool {
        guard requests.settings.readCrypttab else { return true }
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
            guard let request = requests.crypttabRequest(fields, source: input.crypttabPath, log: &context.log) else {
                continue
            }
            if add(request, &context, &plan) { requests.setUp(request) }
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

    /// Devices named only on the command line, in command-line order.
    private static func planCommandLineDevices(_ requests: VolumeRequests, _ context: inout PlanContext,
                                               _ plan: inout GeneratorPlan) {
        let pending = requests.commandLineRequests
        if pending.count > 1 { context.divergences.insert(.commandLineOrder) }
        for request in pending {
            if plan.failed { context.divergences.insert(.continueAfterFailure) }
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
