// The generator as a program: arguments, environment, reading the inputs, planning, writing, logging.
// The executable's main only supplies the real process around it; tests supply their own.

public struct GeneratorProcess {
    /// argv, program name first.
    public var arguments: [String]
    public var environment: (String) -> String?
    public var fileSystem: any FileSystem
    /// Whether `/` is a tmpfs or ramfs. Not consulted: systemd 252.39 decides by /etc/initrd-release alone.
    public var rootIsTemporary: (() -> Bool)?
    public var stderrIsTerminal = false
    public var pid: Int32 = 0
    /// Seconds since the epoch, for SYSTEMD_LOG_TIME.
    public var wallSeconds: () -> Int64? = { nil }
    public var standardOutput: (String) -> Void
    public var standardError: (String) -> Void
    /// Where planned entries are written. Without it, the plan is written in order on the calling thread once
    /// planning is done; the host passes a pipeline that starts writing while planning goes on.
    public var makeSink: ((any FileSystem) -> any PlanSink)?
    /// The historical systemd bugs to put back in this run (simulation only; see `InjectedGeneratorBugs`).
    @_spi(BugInjection) public var injectedBugs: InjectedGeneratorBugs = []

    public init(arguments: [String], environment: @escaping (String) -> String?, fileSystem: any FileSystem,
                standardOutput: @escaping (String) -> Void, standardError: @escaping (String) -> Void) {
        self.arguments = arguments
        self.environment = environment
        self.fileSystem = fileSystem
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

public enum GeneratorCommand {
    static let efiOptionsCache = "/run/systemd/efivars/SystemdOptions-8cf2644b-4b0b-428f-9387-6d876050dc67"

    /// Runs the generator; returns the exit status.
    public static func run(_ process: GeneratorProcess) -> Int32 {
        var log = GeneratorLog(environment: process.environment, stderrIsTerminal: process.stderrIsTerminal)
        let program = baseName(process.arguments.first ?? "systemd-cryptsetup-generator")
        log.program = program
        let emit: (LogMessage) -> Void = { message in
            guard log.shows(message.level) else { return }
            switch log.target {
            case .console: process.standardError(log.consoleLine(message, wallSeconds: process.wallSeconds()))
            case .kmsg: writeKmsg(log.kmsgRecord(message, pid: process.pid), process)
            case .null: break
            }
        }
        let arguments = Array(process.arguments.dropFirst())
        if arguments.first == "--explain" {
            return explain(Array(arguments.dropFirst()), process, program: program, emit: emit)
        }
        guard arguments.count == 1 || arguments.count == 3 else {
            emit(LogMessage(.error, "This program takes one or three arguments."))
            return 234
        }
        let commandLine: Bytes
        if let override = process.environment("SYSTEMD_PROC_CMDLINE") {
            commandLine = Bytes(utf8: override)
        } else {
            do {
                commandLine = firstLine(try process.fileSystem.readFile("/proc/cmdline"))
            } catch {
                emit(LogMessage(.warning, "Failed to parse kernel command line: \(ErrorText.describe(error))"))
                return 1
            }
        }
        let input = makeInput(process, program: program, destination: arguments[0], commandLine: commandLine,
                              crypttabPath: process.environment("SYSTEMD_CRYPTTAB") ?? "/etc/crypttab", emit: emit)
        let sink = process.makeSink?(process.fileSystem) ?? SerialPlanSink(fileSystem: process.fileSystem)
        let (plan, _) = GeneratorPlanner.plan(input, onEntry: sink.planned)
        plan.messages.forEach(emit)
        let result = sink.finish()
        result.messages.forEach(emit)
        return plan.failed || result.failed ? 1 : 0
    }

    /// `--explain [--crypttab FILE] [--cmdline STRING] [DIRECTORY]`: prints the tree, writes nothing.
    static func explain(_ arguments: [String], _ process: GeneratorProcess, program: String,
                        emit: (LogMessage) -> Void) -> Int32 {
        var crypttab = process.environment("SYSTEMD_CRYPTTAB") ?? "/etc/crypttab"
        var commandLine: Bytes?
        var destination = "/run/systemd/generator"
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if (argument == "--crypttab" || argument == "--cmdline") && index + 1 < arguments.count {
                if argument == "--crypttab" { crypttab = arguments[index + 1] }
                else { commandLine = Bytes(utf8: arguments[index + 1]) }
                index += 2
            } else if !argument.hasPrefix("--") {
                destination = argument
                index += 1
            } else {
                emit(LogMessage(.error, "Unknown argument \(argument). Usage: \(program) --explain "
                    + "[--crypttab FILE] [--cmdline STRING] [DIRECTORY]"))
                return 1
            }
        }
        if commandLine == nil {
            if let override = process.environment("SYSTEMD_PROC_CMDLINE") {
                commandLine = Bytes(utf8: override)
            } else {
                commandLine = firstLine((try? process.fileSystem.readFile("/proc/cmdline")) ?? [])
            }
        }
        let input = makeInput(process, program: program, destination: destination, commandLine: commandLine!,
                              crypttabPath: crypttab, emit: emit)
        let (plan, divergences) = GeneratorPlanner.plan(input)
        plan.messages.forEach(emit)
        process.standardOutput(PlanTree(plan).explanation())
        for found in DivergenceSources.of(input, planned: divergences) {
            let source = found.source.isEmpty ? "" : " (\(found.source))"
            process.standardOutput("# differs from systemd 252 on purpose: \(found.divergence.rawValue)\(source)\n")
        }
        return plan.exitStatus
    }

    static func makeInput(_ process: GeneratorProcess, program: String, destination: String, commandLine: Bytes,
                          crypttabPath: String, emit: (LogMessage) -> Void) -> GeneratorInput {
        let fileSystem = process.fileSystem
        let efi: Bytes?
        if let override = process.environment("SYSTEMD_EFI_OPTIONS") {
            efi = Bytes(utf8: override)
        } else {
            efi = (try? fileSystem.readFile(efiOptionsCache)).map(firstLine)
        }
        let initrdSetting = KernelCommandLine.initrdOverride(process.environment("SYSTEMD_IN_INITRD"))
        // systemd 252.39 decides by /etc/initrd-release alone (the recorded fixtures show it: an ext4 root with
        // the file counts as the initrd), unless SYSTEMD_IN_INITRD is a boolean.
        let inInitrd: () -> Bool = {
            if let forced = initrdSetting.forced { return forced }
            return (try? fileSystem.exists("/etc/initrd-release")) ?? false
        }
        var input = GeneratorInput(
            programName: Bytes(utf8: program), destination: Bytes(utf8: destination),
            crypttabPath: Bytes(utf8: crypttabPath), crypttab: readCrypttab(crypttabPath, fileSystem),
            efiOptions: efi, commandLine: commandLine, inInitrd: inInitrd,
            runtimeDirectory: Bytes(utf8: process.environment("RUNTIME_DIRECTORY") ?? "/run/systemd/cryptsetup"))
        input.injectedBugs = process.injectedBugs
        return input
    }

    static func readCrypttab(_ path: String, _ fileSystem: any FileSystem) -> CrypttabContents {
        let fd: Descriptor
        do {
            fd = try fileSystem.open(path, .read)
        } catch let error as Errno {
            return error == .noSuchFileOrDirectory ? .missing : .unopenable(error.rawValue)
        } catch {
            return .unopenable(5)
        }
        defer { try? fileSystem.close(fd) }
        var data: Bytes = []
        var chunk = Bytes(repeating: 0, count: 64 * 1024)
        while true {
            do {
                let count = try chunk.withUnsafeMutableBytes { try fileSystem.read(fd, into: $0) }
                if count == 0 { return .contents(data, readError: nil) }
                data.append(contentsOf: chunk[0..<count])
            } catch {
                return .contents(data, readError: (error as? Errno)?.rawValue ?? 5)
            }
        }
    }

    /// `read_one_line_file`: up to the first \n, \r or \0.
    static func firstLine(_ bytes: Bytes) -> Bytes {
        Array(bytes.prefix { $0 != 0x0a && $0 != 0x0d && $0 != 0 })
    }

    static func baseName(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: 0x2f) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    static func writeKmsg(_ record: String, _ process: GeneratorProcess) {
        do {
            let fd = try process.fileSystem.open("/dev/kmsg", .write)
            defer { try? process.fileSystem.close(fd) }
            try process.fileSystem.writeAll(fd, Bytes(utf8: record))
        } catch {
            process.standardError(record)
        }
    }
}
