/// The mount's op log: every answered request with the real pid and command name of its caller.
/// Only the latest `capacity` entries are kept.
struct OpLog {
    struct Entry {
        var sequence: UInt64
        var pid: Int32
        var command: String
        var op: String
        var path: String
        var path2: String?
        var errno: Int32

        var line: String {
            var text = "\(sequence) pid=\(pid) \(command) \(op) \(path)"
            if let path2 { text += " -> \(path2)" }
            return text + (errno == 0 ? " = 0" : " = \(ErrnoNames.name(errno))")
        }
    }

    let capacity = 100_000
    private(set) var entries: [Entry] = []
    private var start = 0
    private(set) var total: UInt64 = 0

    mutating func append(pid: Int32, command: String, op: String, path: String, path2: String?, errno: Int32) {
        total += 1
        let entry = Entry(sequence: total, pid: pid, command: command, op: op, path: path, path2: path2, errno: errno)
        if entries.count < capacity {
            entries.append(entry)
        } else {
            entries[start] = entry
            start = (start + 1) % capacity
        }
    }

    /// The kept entries, oldest first, of `pid` or of everyone.
    func lines(pid: Int32?) -> [String] {
        let ordered = entries[start...] + entries[..<start]
        return ordered.filter { pid == nil || $0.pid == pid }.map(\.line)
    }
}
