import Core
/// One line of a container's log in the k8s-file format (podman's default log driver, as conmon writes it):
/// `TIME STREAM F|P TEXT`, where `P` marks a piece of a line that continues in the next entry.
public struct LogLine: Hashable, Sendable {
    public enum Stream: String, Hashable, Sendable { case stdout, stderr }
    public var time: String
    public var stream: Stream
    public var partial: Bool
    public var text: String

    /// Nil for a line that is not in the format.
    public init?(_ line: Substring) {
        let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count >= 3, let stream = Stream(rawValue: String(fields[1])), fields[2] == "F" || fields[2] == "P"
        else { return nil }
        time = String(fields[0])
        self.stream = stream
        partial = fields[2] == "P"
        text = fields.count == 4 ? String(fields[3]) : ""
    }
}

/// Reads a container's log from where it last stopped: the whole lines written since, for `logs -f`.
public struct ContainerLogReader {
    let fileSystem: any FileSystem
    let path: String
    var offset: Int64 = 0
    var pending: [UInt8] = []

    /// With `fromEnd`, only what is written from now on (an attach to a container started again).
    public init(fileSystem: any FileSystem, path: String, fromEnd: Bool = false) throws {
        self.fileSystem = fileSystem
        self.path = path
        if fromEnd, let status = try? fileSystem.stat(path) { offset = Int64(status.size) }
    }

    /// The lines written since the last call; none while the log does not exist yet.
    public mutating func readAvailable() throws -> [LogLine] {
        let fd: Descriptor
        do { fd = try fileSystem.open(path, [.read], permissions: FilePermissions(rawValue: 0)) } catch Errno.noSuchFileOrDirectory {
            return []
        }
        defer { try? fileSystem.close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try fileSystem.pread(fd, into: $0, at: offset) }
            if count == 0 { break }
            pending += buffer[..<count]
            offset += Int64(count)
        }
        guard let last = pending.lastIndex(of: 0x0A) else { return [] }
        let text = String(decoding: pending[...last], as: UTF8.self)
        pending.removeSubrange(...last)
        return text.split(separator: "\n").compactMap { LogLine($0) }
    }
}
