/// One call in an op log: in the world's, a simulated process's call (pid 0: the world's own events,
/// reboot and power loss); in a FUSE mount's, a real process's request, with its real pid and command name.
public struct OpLogEntry: Hashable, Sendable, CustomStringConvertible {
    /// Position in its log's history, from 0; the world's keeps counting across reboots.
    public var sequence: UInt64
    /// The calling process; 0 for the world's own events (reboot, power loss).
    public var pid: ProcessID
    public var processName: String
    public var op: SimOp
    public var path: String
    /// The second path of `rename` and `link`, else empty.
    public var path2: String
    /// 0 on success, else the errno the call failed with.
    public var errno: Int32

    public init(sequence: UInt64 = 0, pid: ProcessID, processName: String, op: SimOp, path: String,
                path2: String = "", errno: Int32) {
        self.sequence = sequence
        self.pid = pid
        self.processName = processName
        self.op = op
        self.path = path
        self.path2 = path2
        self.errno = errno
    }

    /// `#12 pid=100 podrt rename /a -> /b = EIO` (`= 0` on success).
    public var description: String {
        var text = "#\(sequence) pid=\(pid.rawValue) \(processName) \(op)"
        if !path.isEmpty { text += " \(path)" }
        if !path2.isEmpty { text += " -> \(path2)" }
        return text + (errno == 0 ? " = 0" : " = \(Errno(rawValue: errno).name)")
    }
}

/// The choke point's spelling of a record (its log always sets the sequence).
typealias OpRecord = OpLogEntry

extension OpLogEntry {
    @inline(__always)
    init(pid: Int32, name: String, op: SimOp, errno: Int32, path: String, path2: String) {
        self.init(pid: ProcessID(rawValue: pid), processName: name, op: op, path: path, path2: path2, errno: errno)
    }
}

extension SimWorld {
    /// The op log kept so far (the newest `opLogCapacity` records).
    public var opLog: [OpLogEntry] { lock.withLock { log.records } }

    /// Calls logged since the world began, including those no longer kept.
    public var opCount: UInt64 { lock.withLock { log.count } }

    /// FNV-1a over every logged call (pid, op, errno, paths): equal for equal runs.
    public var traceHash: UInt64 { lock.withLock { log.hash } }

    /// How many records the log keeps (the oldest go first); the hash still covers all.
    public var opLogCapacity: Int {
        get { lock.withLock { log.capacity } }
        set { lock.withLock { log.capacity = max(1, newValue) } }
    }
}

/// An op log (the world's, or a FUSE mount server's): every call with its process, and a running FNV-1a
/// hash over all of it, so two runs can be compared by one number. Only the newest `capacity` records are
/// kept (when full, the older half goes); the hash and the sequence numbers cover everything.
public struct OpLog: Sendable {
    public internal(set) var records: [OpLogEntry] = []
    /// Sequence number of `records[0]`.
    var firstSequence: UInt64 = 0
    public var capacity = Int.max
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    public init(capacity: Int = .max) { self.capacity = max(1, capacity) }

    /// Calls logged since the log began, including those no longer kept.
    public var count: UInt64 { firstSequence + UInt64(records.count) }

    /// FNV-1a over every logged call (pid, op, errno, paths): equal for equal runs.
    public var traceHash: UInt64 { hash }

    /// Logs one call; its `sequence` is set to its position in the log.
    public mutating func append(_ record: OpLogEntry) {
        var h = hash
        mix(&h, UInt64(UInt32(bitPattern: record.pid.rawValue)))
        mix(&h, UInt64(record.op.rawValue))
        mix(&h, UInt64(UInt32(bitPattern: record.errno)))
        hashBytes(&h, record.path)
        h = (h ^ 0xff) &* 0x100_0000_01b3
        hashBytes(&h, record.path2)
        hash = h
        if records.count >= capacity {
            let drop = min(max(1, capacity / 2), records.count)
            records.removeFirst(drop)
            firstSequence += UInt64(drop)
        }
        var record = record
        record.sequence = count
        records.append(record)
    }

    @inline(__always)
    private func hashBytes(_ h: inout UInt64, _ text: String) {
        var value = h
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        if done == nil {
            for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        h = value
    }

    @inline(__always)
    private func mix(_ h: inout UInt64, _ value: UInt64) {
        var v = value
        for _ in 0..<4 {
            h = (h ^ (v & 0xffff)) &* 0x100_0000_01b3
            v >>= 16
        }
    }
}
