// Where and how messages are printed: SYSTEMD_LOG_LEVEL, SYSTEMD_LOG_TARGET, SYSTEMD_LOG_COLOR,
// SYSTEMD_LOG_TIME and SYSTEMD_LOG_LOCATION, read as systemd's log_parse_environment() reads them.

public struct GeneratorLog {
    public enum Target: Equatable, Sendable { case console, kmsg, null }

    public var maxLevel: LogLevel = .info
    public var target: Target = .console
    public var color = false
    public var time = false
    public var location = false
    /// The program name, for kmsg lines.
    public var program = "systemd-cryptsetup-generator"

    public init() {}

    /// Reads the environment. `stderrIsTerminal` decides colour when SYSTEMD_LOG_COLOR is unset.
    public init(environment: (String) -> String?, stderrIsTerminal: Bool) {
        if let level = environment("SYSTEMD_LOG_LEVEL"), let parsed = LogLevel(name: level) { maxLevel = parsed }
        switch environment("SYSTEMD_LOG_TARGET") {
        case "kmsg", "journal-or-kmsg", "syslog-or-kmsg": target = .kmsg
        case "null": target = .null
        default: target = .console
        }
        color = flag(environment("SYSTEMD_LOG_COLOR")) ?? (stderrIsTerminal && environment("TERM") != "dumb")
        time = flag(environment("SYSTEMD_LOG_TIME")) ?? false
        location = flag(environment("SYSTEMD_LOG_LOCATION")) ?? false
    }

    private func flag(_ value: String?) -> Bool? {
        value.flatMap { KernelCommandLine.boolean(Bytes(utf8: $0)) }
    }

    /// Whether a message of `level` is printed at all.
    public func shows(_ level: LogLevel) -> Bool { target != .null && level <= maxLevel }

    /// The line for a console: optional time, optional location, optional colour, the text, a newline.
    public func consoleLine(_ message: LogMessage, wallSeconds: Int64? = nil) -> String {
        var line = ""
        if time, let wallSeconds { line += Self.timestamp(wallSeconds) + " " }
        if location { line += "(cryptsetup-generator) " }
        if color, let highlight = Self.highlight(message.level) {
            line += highlight + message.text + "\u{1B}[0m"
        } else {
            line += message.text
        }
        return line + "\n"
    }

    /// The record for /dev/kmsg: `<priority>program: text`.
    public func kmsgRecord(_ message: LogMessage, pid: Int32) -> String {
        "<\(message.level.rawValue)>\(program)[\(pid)]: \(message.text)\n"
    }

    static func highlight(_ level: LogLevel) -> String? {
        switch level {
        case .emergency, .alert, .critical, .error: return "\u{1B}[0;1;31m"
        case .warning: return "\u{1B}[0;1;38;5;185m"
        case .notice: return "\u{1B}[0;1;39m"
        case .info: return nil
        case .debug: return "\u{1B}[0;38;5;245m"
        }
    }

    /// `YYYY-MM-DD HH:MM:SS UTC` for seconds since the epoch.
    static func timestamp(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = seconds - days * 86400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60)) UTC"
    }
}
