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
            ("timeNano", .number(time.seconds * 1_000_000_000 + time.nanoseconds)),
            ("type", .string(type)), ("status", .string(status)), ("id", .string(id)), ("name", .string(name)),
            ("bootID", .string(bootID)),
        ])
    }

    init?(json: JSON) {
        guard let nanos = json["timeNano"]?.intValue, let type = json["type"]?.stringValue,
              let status = json["status"]?.stringValue else { return nil }
        self.init(time: WallTime(seconds: nanos / 1_000_000_000, nanoseconds: nanos % 1_000_000_000), type: type,
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

    /// Every event at or after `since`, oldest first. A missing log has none.
    public func read(since: WallTime? = nil) throws -> [Event] {
        let bytes: [UInt8]
        do { bytes = try fileSystem.readFile(path) } catch Errno.noSuchFileOrDirectory { return [] }
        return bytes.split(separator: 0x0A).compactMap { line in
            guard let json = try? JSON.parse(String(decoding: line, as: UTF8.self)),
                  let event = Event(json: json) else { return nil }
            if let since, event.time < since { return nil }
            return event
        }
    }
}
