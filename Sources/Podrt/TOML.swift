import Core
/// A TOML 1.0 value (https://toml.io/en/v1.0.0). The four date-time kinds stay apart, as the spec keeps them.
public indirect enum TOMLValue: Hashable, Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case bool(Bool)
    /// `1979-05-27T07:32:00-07:00`; the offset in minutes east of UTC (`Z` is 0).
    case offsetDateTime(TOMLDate, TOMLTime, offsetMinutes: Int)
    case localDateTime(TOMLDate, TOMLTime)
    case localDate(TOMLDate)
    case localTime(TOMLTime)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The kind's name for messages: "a string", "an integer", "a table", …
    public var kindName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .bool: "a boolean"
        case .offsetDateTime: "an offset date-time"
        case .localDateTime: "a local date-time"
        case .localDate: "a local date"
        case .localTime: "a local time"
        case .array: "an array"
        case .table: "a table"
        }
    }
}

public struct TOMLDate: Hashable, Sendable {
    public var year: Int, month: Int, day: Int
}

public struct TOMLTime: Hashable, Sendable {
    /// Fractional seconds beyond nanoseconds are dropped (the spec lets readers truncate).
    public var hour: Int, minute: Int, second: Int, nanosecond: Int
}

/// A table: keys in the order they were written, each with the line that defined it.
public struct TOMLTable: Hashable, Sendable {
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]
    private var lines: [String: Int] = [:]

    public init() {}

    public subscript(key: String) -> TOMLValue? { values[key] }

    /// The line of the key's `key = value`, or of the `[header]` that opened it.
    public func line(of key: String) -> Int? { lines[key] }

    mutating func insert(_ key: String, _ value: TOMLValue, line: Int) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        lines[key] = line
    }
}

/// Invalid TOML, naming the file, the line and the column (1-based, in characters) and what is wrong.
public struct TOMLError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "\(file):\(line):\(column): invalid TOML: \(message)" }
}

/// Reads a whole TOML 1.0 document. Integers are 64-bit (out of range is an error, as the spec requires).
public func parseTOML(_ text: String, file: String) throws -> TOMLTable {
    var builder = TOMLDocumentBuilder(scanner: TOMLScanner(bytes: Array(text.utf8), file: file))
    return try builder.document()
}

/// Reads a file's bytes: invalid UTF-8 is an error (TOML documents are UTF-8), never repaired.
public func parseTOML(bytes: [UInt8], file: String) throws -> TOMLTable {
    let text = bytes.withUnsafeBufferPointer { String(strictUTF8: $0) }
    guard let text else {
        var scanner = TOMLScanner(bytes: bytes, file: file)
        scanner.position = firstInvalidUTF8(bytes)
        throw scanner.error("not valid UTF-8")
    }
    return try parseTOML(text, file: file)
}

/// The offset of the first byte that does not begin a valid UTF-8 sequence.
private func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
    var decoder = UTF8()
    var iterator = bytes.makeIterator()
    var offset = 0
    while true {
        switch decoder.decode(&iterator) {
        case let .scalarValue(scalar): offset += UTF8.width(scalar)
        case .emptyInput, .error: return min(offset, bytes.count)
        }
    }
}
