/// One call in the op log, as stored: compact, so logging costs little on the hot path.
struct OpRecord {
    var pid: Int32
    var name: String
    var op: SimOp
    var errno: Int32
    var path: String
    var path2: String
}

/// One call in the op log, as handed out.
public struct OpLogEntry: Hashable, Sendable, CustomStringConvertible {
    /// Position in the world's history, from 0; it keeps counting across reboots.
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

    public var description: String {
        var text = "#\(sequence) \(pid)/\(processName) \(op)"
        if !path.isEmpty { text += " \(path)" }
        if !path2.isEmpty { text += " -> \(path2)" }
        if errno != 0 { text += " = errno \(errno)" }
        return text
    }
}

extension SimWorld {
    /// The op log kept so far (the newest `opLogCapacity` records).
    public var opLog: [OpLogEntry] {
        lock.withLock {
            log.records.enumerated().map { index, record in
                OpLogEntry(sequence: log.firstSequence + UInt64(index), pid: ProcessID(rawValue: record.pid),
                           processName: record.name, op: record.op, path: record.path, path2: record.path2,
                           errno: record.errno)
            }
        }
    }

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

/// The op log: every call with its process, and a running FNV-1a hash over all of it, so two runs can be
/// compared by one number. Only the newest `capacity` records are kept; the hash covers everything.
struct OpLog {
    var records: [OpRecord] = []
    /// Sequence number of `records[0]`.
    var firstSequence: UInt64 = 0
    var capacity = Int.max
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    var count: UInt64 { firstSequence + UInt64(records.count) }

    mutating func append(_ record: OpRecord) {
        var h = hash
        mix(&h, UInt64(UInt32(bitPattern: record.pid)))
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
