import CSQLite
import Core
import Podrt
import Glibc

/// What the invariants look at, read by the harness between steps (never while processes run).
struct MachineState {
    struct Object: Hashable {
        var kind: String
        var name: String
        var lockID: UInt32
        var state: String
        var pid: Int64
        /// The container's id ('' for pods and volumes).
        var id = ""
    }
    /// nil when the database is unsettled (a hot journal waits for the next opener) or unreadable.
    var objects: [Object]?
    var databaseProblem: String?
    /// nil when there is no lock segment (or lock directory).
    var allocated: Set<UInt32>?
    var alive: String?
    /// The boot id of every `refresh` event, in log order.
    var refreshBoots: [String]
    var bootID: String
    /// The machine's live container inits, container id → pid (nil when the driver cannot see its processes:
    /// FUSE mode), and the ids whose monitor has recorded an exit not yet synced (I7).
    var containerInits: [String: Int64]?
    var exitRecorded: Set<String> = []
}

/// The objects read from the state database, and the bytes of the file and of its WAL they were read from.
struct DatabaseReading {
    var bytes: [UInt8]
    var wal: [UInt8] = []
    var objects: [MachineState.Object]?
    var problem: String?
}

/// Reads a machine's podrt state through the harness process's own view.
struct StateReader {
    /// The harness's view of the machine: a simulated process's, or in FUSE mode the mount's (a rooted
    /// host file system), so both read the same files the same way.
    let machine: Machine
    let config: RuntimeConfig
    /// An earlier reading of this run: when the file and its WAL still have the same bytes, its objects are
    /// the answer (SQLite reads those two files alone). Only in-process.
    var remembered: DatabaseReading?
    /// This read's reading, to remember for the next check (set by `read` in-process).
    private(set) var reading: DatabaseReading?

    mutating func read(bootID: String) -> MachineState {
        let fs = machine.fileSystem
        var state = MachineState(objects: nil, databaseProblem: nil, allocated: nil, alive: nil, refreshBoots: [], bootID: bootID)
        if let bytes = try? fs.readFile(config.alivePath, limit: 4096) {
            state.alive = String(decoding: bytes, as: UTF8.self).trimmed().split(separator: "\n").first.map(String.init) ?? ""
        }
        state.refreshBoots = readRefreshBoots()
        state.allocated = readAllocated()
        (state.objects, state.databaseProblem) = readObjects()
        return state
    }

    /// The refresh events' boot ids, found by byte search rather than by parsing every event (checks run
    /// after every step, so this is the harness's hottest read).
    func readRefreshBoots() -> [String] {
        guard let bytes = try? machine.fileSystem.readFile(config.eventsLog) else { return [] }
        return Self.refreshBoots(in: bytes)
    }

    /// A power cut can tear the last event; the next append then shares its line, so each `{"time"`
    /// object of a line is looked at on its own.
    static func refreshBoots(in bytes: [UInt8]) -> [String] {
        var boots: [String] = []
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            var start = lineStart
            while start < lineEnd {
                let end = bytes.firstRange(of: objectMarker, from: start + 1, to: lineEnd)?.lowerBound ?? lineEnd
                if bytes.firstRange(of: refreshMarker, from: start, to: end) != nil,
                   bytes.firstRange(of: systemMarker, from: start, to: end) != nil,
                   let boot = bytes.firstRange(of: bootMarker, from: start, to: end) {
                    let valueEnd = bytes[boot.upperBound..<end].firstIndex(of: 0x22) ?? end
                    boots.append(String(decoding: bytes[boot.upperBound..<valueEnd], as: UTF8.self))
                }
                start = end
            }
            lineStart = lineEnd + 1
        }
        return boots
    }

    static let objectMarker = Array(#"{"time""#.utf8)
    static let refreshMarker = Array(#""status":"refresh""#.utf8)
    static let systemMarker = Array(#""type":"system""#.utf8)
    static let bootMarker = Array(#""bootID":""#.utf8)

    func readAllocated() -> Set<UInt32>? {
        switch config.lockType {
        case .file:
            guard let entries = try? machine.fileSystem.readdir(config.fileLocksDir) else { return nil }
            return Set(entries.compactMap { UInt32($0.name) })
        case .shm:
            guard let segment = try? machine.mutexes.open(config.lockSegmentPath) else { return nil }
            defer { segment.close() }
            var header = [UInt32](repeating: 0, count: 4)
            guard segment.dataSize >= 16,
                  (try? header.withUnsafeMutableBytes { try segment.readData(at: 0, into: $0) }) != nil else { return [] }
            let count = Int(header[2])
            let bitmap = SHMLockManager.headerSize
            guard count % 32 == 0, segment.dataSize >= bitmap + count / 8 else { return [] }
            var words = [UInt32](repeating: 0, count: count / 32)
            guard (try? words.withUnsafeMutableBytes { try segment.readData(at: bitmap, into: $0) }) != nil else { return [] }
            var ids: Set<UInt32> = []
            for (index, bits) in words.enumerated() where bits != 0 {
                for bit in 0..<32 where bits & (1 << bit) != 0 { ids.insert(UInt32(index * 32 + bit)) }
            }
            return ids
        }
    }

    /// The database's objects, read black-box from the bytes of `podrt.db` and `podrt.db-wal` (committed
    /// state may be in either), never through a connection that could write: a reading changes nothing.
    mutating func readObjects() -> ([MachineState.Object]?, String?) {
        let fs = machine.fileSystem
        let path = config.databasePath
        guard let status = try? fs.stat(path), status.size > 0 else { return ([], nil) }
        if let journal = try? fs.stat(path + "-journal"), journal.size > 0 { return (nil, nil) }
        let bytes: [UInt8]
        let wal: [UInt8]
        do {
            bytes = try fs.readFile(path)
            do { wal = try fs.readFile(path + "-wal") } catch Errno.noSuchFileOrDirectory { wal = [] }
        } catch {
            return (nil, "cannot read the state database: \(error)")
        }
        if let remembered, remembered.bytes.sameBytes(as: bytes), remembered.wal.sameBytes(as: wal) {
            reading = remembered
            return (remembered.objects, remembered.problem)
        }
        let (objects, problem) = bytes.isEmpty ? ([], nil) : DatabaseImageReader.forThisThread.objects(in: bytes, wal: wal)
        reading = DatabaseReading(bytes: bytes, wal: wal, objects: objects, problem: problem)
        return (objects, problem)
    }

    /// The objects of an open database, checked first with `quick_check`; `rows` runs one statement.
    static func listObjects(rows: (String) -> [[String]]?,
                            errorMessage: () -> String) -> ([MachineState.Object]?, String?) {
        guard let tables = rows("SELECT name FROM sqlite_master WHERE type = 'table'") else {
            return (nil, "the state database is unreadable: " + errorMessage())
        }
        guard tables.contains(["containers"]) else { return ([], nil) }
        if let check = rows("PRAGMA quick_check"), check != [["ok"]] {
            return (nil, "integrity check: " + check.map { $0.joined() }.joined(separator: "; "))
        }
        guard let found = rows("""
            SELECT 'container', name, lock_id, state, pid, id FROM containers
            UNION ALL SELECT 'pod', name, lock_id, '', 0, '' FROM pods
            UNION ALL SELECT 'volume', name, lock_id, '', 0, '' FROM volumes
            """) else { return (nil, "the state database is unreadable: " + errorMessage()) }
        return (found.map { row in
            MachineState.Object(kind: row[0], name: row[1], lockID: UInt32(row[2]) ?? UInt32.max, state: row[3],
                                pid: Int64(row[4]) ?? 0, id: row.count > 5 ? row[5] : "")
        }, nil)
    }

    /// Steps `statement` to the end: its rows as text, or nil on an error.
    static func allRows(_ statement: OpaquePointer) -> [[String]]? {
        var result: [[String]] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return result }
            guard rc == SQLITE_ROW else { return nil }
            result.append((0..<sqlite3_column_count(statement)).map { column in
                sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""
            })
        }
    }
}

extension Array where Element == UInt8 {
    /// The first occurrence of `needle` lying wholly in `from..<to` (`memchr` for its first byte, then `memcmp`).
    func firstRange(of needle: [UInt8], from: Int, to: Int) -> Range<Int>? {
        guard let first = needle.first, from >= 0, to <= count, to - from >= needle.count else { return nil }
        return withUnsafeBytes { haystack in
            needle.withUnsafeBytes { wanted in
                let base = haystack.baseAddress!
                var index = from
                let last = to - needle.count
                while index <= last {
                    guard let hit = memchr(base + index, Int32(first), last - index + 1) else { return nil }
                    index = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + index, wanted.baseAddress!, needle.count) == 0 { return index..<index + needle.count }
                    index += 1
                }
                return nil
            }
        }
    }

    /// Byte equality with `memcmp`.
    func sameBytes(as other: [UInt8]) -> Bool {
        count == other.count && withUnsafeBytes { left in
            other.withUnsafeBytes { right in count == 0 || memcmp(left.baseAddress!, right.baseAddress!, count) == 0 }
        }
    }
}
