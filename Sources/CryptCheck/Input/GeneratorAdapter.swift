import Core

/// Reads the crypttab and the kernel command line through the generator's own request stage
/// (`Core/Generator`: `CrypttabLines`, then `VolumeRequests`, which `GeneratorPlanner` plans from), so
/// crypttab-check and the generator agree on what every entry means.
enum GeneratorAdapter {
    struct Result {
        var entries: [CheckEntry] = []
        var problems: [InputProblem] = []
        var notes: [String] = []
    }

    /// The entries a boot would set up (in the initrd when `initrd`: `rd.` keys apply).
    static func read(crypttab: (bytes: [UInt8], path: String)?, commandLine: String, initrd: Bool) -> Result {
        var result = Result()
        var log: [LogMessage] = []
        var requests = VolumeRequests(efiOptions: nil, commandLine: Bytes(utf8: commandLine), inInitrd: { initrd },
                                      log: &log)
        guard requests.settings.enabled else {
            result.notes.append("luks=no on the kernel command line: nothing is set up")
            return result
        }
        if let crypttab, requests.settings.readCrypttab {
            let (lines, tooLongAt) = CrypttabLines.lines(crypttab.bytes)
            for line in lines {
                guard let fields = CrypttabLines.fields(line.bytes) else { continue }
                let source = "\(crypttab.path):\(line.number)"
                guard fields.count >= 2 else {
                    result.problems.append(InputProblem(source: source, message: "cannot be parsed: fewer than 2 fields (the generator ignores the line)"))
                    continue
                }
                guard let request = requests.crypttabRequest(fields, source: Bytes(utf8: crypttab.path), log: &log) else {
                    result.notes.append("\(source): '\(fields[0].text)' is skipped: not named on the kernel command line")
                    continue
                }
                // Every entry is checked as if it were set up, so its UUID's command-line device is not listed again.
                requests.setUp(request)
                result.entries.append(entry(request, source: source))
            }
            if let tooLongAt {
                result.problems.append(InputProblem(source: "\(crypttab.path):\(tooLongAt)", message: "line longer than 1 MiB: the generator stops reading here"))
            }
        } else if crypttab != nil {
            result.notes.append("luks.crypttab=no on the kernel command line: the crypttab is ignored")
        }
        result.entries += requests.commandLineRequests.map { entry($0, source: "/proc/cmdline") }
        return result
    }

    /// A request as the checker sees it: text, the key file absent for `-`, `none` or an empty field, and the
    /// options split the way the generator normalises them.
    static func entry(_ request: DiskRequest, source: String) -> CheckEntry {
        let none = [Bytes(), Bytes(utf8: "-"), Bytes(utf8: "none")]
        let key = request.keyFile.flatMap { none.contains($0) ? nil : $0.text }
        return CheckEntry(
            source: source, name: request.name.text, device: request.device.text, key: key,
            keyDevice: request.keyDevice?.text, headerDevice: request.headerDevice?.text,
            options: request.options.map { OptionList.split($0).map(\.text) } ?? [],
            commandLineUUID: request.commandLineUUID?.text)
    }
}
