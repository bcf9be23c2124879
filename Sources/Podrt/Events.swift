import Core
/// One event: what happened to which object, and when (wall time from the Clock protocol).
public struct Event: Hashable, Sendable {
    public var time: WallTime
    /// container, pod, volume or system.
    public var type: String
    /// create, remove, refresh or renumber.
    public var status: String
    public var id: String
    public var name: String
    public var bootID: String

    public init(time: WallTime, type: String, status: String, id: String = "", name: String = "", bootID: String = "") {
        self.time = time
        self.type = type
        self.status = status
        self.id = id
        self.name = name
        self.bootID = bootID
    }

    public var json: JSON {
        .object([
            ("time", .string(Timestamp.rfc3339(time))),
            // Wrapping: a time read from any timeNano (down to Int64.min) gives that value back, exactly.
            ("timeNano", .number(time.seconds &* 1_000_000_000 &+ time.nanoseconds)),
            ("type", .string(type)), ("status", .string(status)), ("id", .string(id)), ("name", .string(name)),
            ("bootID", .string(bootID)),
        ])
    }

    init?(json: JSON) {
        guard let nanos = json["timeNano"]?.intValue, let type = json["type"]?.stringValue,
              let status = json["status"]?.stringValue else { return nil }
        // Floored, so that the nanoseconds are 0…999,999,999 before the epoch too.
        let (seconds, nanoseconds) = nanos % 1_000_000_000 < 0
            ? (nanos / 1_000_000_000 - 1, nanos % 1_000_000_000 + 1_000_000_000)
            : (nanos / 1_000_000_000, nanos % 1_000_000_000)
        self.init(time: WallTime(seconds: seconds, nanoseconds: nanoseconds), type: type,
                  status: status, id: json["id"]?.stringValue ?? "", name: json["name"]?.stringValue ?? "",
                  bootID: json["bootID"]?.stringValue ?? "")
    }

    /// The one-line text form of `podrt events`.
    public var text: String {
        let what = name.isEmpty ? id : (id.isEmpty ? name : "\(String(id.prefix(12))) (name=\(name))")
        return "\(Timestamp.rfc3339(time)) \(type) \(status) \(what)".trimmingSpaces()
    }
}

/// The events log: JSON lines appended to one file, each with a single `write` so lines never interleave.
public struct EventLog: Sendable {
    public let fileSystem: any FileSystem
    public let path: String

    public init(fileSystem: any FileSystem, path: String) {
        self.fileSystem = fileSystem
        self.path = path
    }

    public func append(_ event: Event) throws {
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !directory.isEmpty { try fileSystem.makeDirectories(directory, permissions: FilePermissions(rawValue: 0o700)) }
        let fd = try fileSystem.open(path, [.write, .append, .create], permissions: FilePermissions(rawValue: 0o600))
        defer { try? fileSystem.close(fd) }
        try fileSystem.writeAll(fd, Array((event.json.serialized() + "\n").utf8))
    }

    /// Every event at or after `since`, oldest first; a line that is not an event is an error. A missing
    /// log has none.
    public func read(since: WallTime? = nil) throws -> [Event] {
        try readEach(since: since).map { try $0.get() }
    }

    /// `read`, one result per line in the file's order: a line that is not an event (a torn write, a bad
    /// escape) is an `EventLogError` saying where and why, and the others still read. What `podrt events` prints.
    public func readEach(since: WallTime? = nil) throws -> [Result<Event, EventLogError>] {
        let bytes: [UInt8]
        do { bytes = try fileSystem.readFile(path) } catch Errno.noSuchFileOrDirectory { return [] }
        var results: [Result<Event, EventLogError>] = []
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
            where !line.isEmpty {
            let json: JSON
            do { json = try JSON.parse(bytes: Array(line)) } catch let error as JSONSyntaxError {
                results.append(.failure(EventLogError(path: path, line: index + 1, column: error.column,
                                                      message: "invalid JSON: \(error.message)")))
                continue
            }
            guard let event = Event(json: json) else {
                results.append(.failure(EventLogError(path: path, line: index + 1,
                                                      message: "not an event (it needs timeNano, type and status)")))
                continue
            }
            if let since, event.time < since { continue }
            results.append(.success(event))
        }
        return results
    }
}

/// A line of the events log that is not an event: the file, the line and column (from 1, the column in
/// bytes) and what is wrong.
public struct EventLogError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int?
    public var message: String

    public init(path: String, line: Int, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(path):\(line)\(column.map { ":\($0)" } ?? ""): \(message)" }
}
