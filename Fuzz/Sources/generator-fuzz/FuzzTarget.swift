// One fuzz input = a crypttab, a kernel command line and an initrd flag, separated by the first two 0xff
// bytes (missing parts are empty). It goes through the planner (crypttab lines, command line, options,
// device specs, unit names, unit text) and the --explain rendering; invariants that must hold for any input
// are checked with preconditions, so a violation is a crash libFuzzer reports.


@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parts = bytes.split(separator: 0xff, maxSplits: 2, omittingEmptySubsequences: false)
    let crypttab = Array(parts[0])
    let commandLine = parts.count > 1 ? Array(parts[1]) : []
    let initrd = parts.count > 2 && !parts[2].isEmpty && parts[2].first! & 1 == 1

    // The parsers on their own.
    _ = CrypttabLines.lines(crypttab)
    _ = KernelCommandLine.items(commandLine, inInitrd: { initrd })
    _ = OptionList.split(crypttab)
    _ = OptionList.scan(crypttab, names: ["header", "keyfile-timeout"])
    _ = DeviceSpec.udevNode(commandLine)
    _ = TimeSpan.parse(commandLine)

    let input = GeneratorInput(
        programName: Array("systemd-cryptsetup-generator".utf8), destination: Array("/run/systemd/generator".utf8),
        crypttabPath: Array("/etc/crypttab".utf8), crypttab: .contents(crypttab, readError: nil),
        efiOptions: nil, commandLine: commandLine, inInitrd: { initrd },
        runtimeDirectory: Array("/run/systemd/cryptsetup".utf8))
    let (plan, _) = GeneratorPlanner.plan(input)
    for operation in plan.operations {
        switch operation {
        case .createUnit(let path, let contents):
            // Every unit file we write has a valid unit name and ends with a newline.
            let name = Array(path.split(separator: 0x2f).last ?? [])
            precondition(UnitNames.isValid(name), "invalid unit name written: \(name)")
            precondition(contents.last == 0x0a, "unit without a final newline")
        case .symlink(_, let target):
            precondition(target.starts(with: Array("../".utf8)))
        default:
            break
        }
    }
    if bytes.count < 256 { _ = PlanTree(plan).explanation() }
    return 0
}
