/// How bad a finding is. `warning` and `error` make the exit status 1; `info` never does.
public enum Severity: String, Comparable, Sendable {
    case info, warning, error

    var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One thing the checker found about an entry.
public struct Finding: Hashable, Sendable {
    public var severity: Severity
    /// The check that found it: device, header, key, safety, options, name.
    public var check: String
    public var message: String
}

/// Everything known about one entry after the checks.
public struct EntryReport: Sendable {
    public var entry: CheckEntry
    /// The device as found on the host (a path, under `--root` when given), or nil.
    public var devicePath: String?
    /// LUKS1, LUKS2, plain, tcrypt, bitlk, unknown or missing.
    public var deviceType = "missing"
    /// The header UUID, when a LUKS header loaded.
    public var uuid: String?
    /// A one-line summary of the key check ("keyslot 0", "passphrase prompt at boot", …).
    public var key = ""
    /// The keyslot the key unlocks, when it does.
    public var keyslot: Int32?
    /// The units the generator would write for the entry.
    public var units: [String] = []
    public var findings: [Finding] = []

    init(entry: CheckEntry) { self.entry = entry }

    mutating func add(_ severity: Severity, _ check: String, _ message: String) {
        findings.append(Finding(severity: severity, check: check, message: message))
    }

    /// The worst severity among the findings, or nil when there is none.
    public var worst: Severity? { findings.map(\.severity).max() }
}

/// The result of one run over a crypttab and command line.
public struct CheckReport: Sendable {
    /// Problems with the input as a whole (unreadable crypttab, unparsable lines).
    public var inputProblems: [InputProblem] = []
    /// Notes that are not problems (entries skipped because of the command line).
    public var notes: [String] = []
    public var entries: [EntryReport] = []

    /// 0 when nothing is wrong, 1 when any warning or error was found.
    public var exitCode: Int32 {
        let bad = !inputProblems.isEmpty || entries.contains { ($0.worst ?? .info) >= .warning }
        return bad ? 1 : 0
    }
}
