// Log messages the generator produces, with syslog levels, and the errno texts systemd prints for %m.

/// Syslog priorities, as systemd's log levels.
public enum LogLevel: Int, Comparable, Sendable, CaseIterable {
    case emergency = 0, alert, critical, error, warning, notice, info, debug

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }

    /// `log_level_from_string`: a name or a number 0…7.
    public init?(name: String) {
        switch name {
        case "emerg": self = .emergency
        case "alert": self = .alert
        case "crit": self = .critical
        case "err": self = .error
        case "warning": self = .warning
        case "notice": self = .notice
        case "info": self = .info
        case "debug": self = .debug
        default:
            guard let number = Int(name), let level = LogLevel(rawValue: number) else { return nil }
            self = level
        }
    }
}

/// One message, in the order the generator logged it.
public struct LogMessage: Equatable, Sendable {
    public var level: LogLevel
    public var text: String
    public init(_ level: LogLevel, _ text: String) {
        self.level = level
        self.text = text
    }
}

/// `strerror()` texts for the errors the generator reports (glibc wording).
public enum ErrorText {
    public static func describe(_ code: Int32) -> String {
        switch code {
        case 1: return "Operation not permitted"
        case 2: return "No such file or directory"
        case 5: return "Input/output error"
        case 12: return "Cannot allocate memory"
        case 13: return "Permission denied"
        case 17: return "File exists"
        case 20: return "Not a directory"
        case 21: return "Is a directory"
        case 22: return "Invalid argument"
        case 27: return "File too large"
        case 28: return "No space left on device"
        case 30: return "Read-only file system"
        case 34: return "Numerical result out of range"
        case 36: return "File name too long"
        case 40: return "Too many levels of symbolic links"
        case 105: return "No buffer space available"
        case 122: return "Disk quota exceeded"
        default: return Errno(rawValue: code).description
        }
    }

    public static func describe(_ error: Error) -> String {
        if let errno = error as? Errno { return describe(errno.rawValue) }
        return "\(error)"
    }

    static let invalidArgument: Int32 = 22
    static let noSuchFile: Int32 = 2
    static let fileExists: Int32 = 17
    static let outOfRange: Int32 = 34
    static let noBufferSpace: Int32 = 105
}
