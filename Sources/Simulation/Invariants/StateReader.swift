import CSQLite
import Core
import Podrt

/// What the invariants look at, read by the harness between steps (never while processes run).
struct MachineState {
    struct Object: Hashable {
        var kind: String
        var name: String
        var lockID: UInt32
        var state: String
        var pid: Int64
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
}

/// Reads a machine's podrt state through the harness process's own view.
struct StateReader {
    let machine: Machine
    let config: RuntimeConfig
    /// FUSE mode: the mount point, where the real podrt's database (in WAL mode) is opened with SQLite's
    /// own VFS; in-process it is nil and the database is read through podrt's VFS over `machine`.
    var hostRoot: String? = nil

    func read(bootID: String) -> MachineState {
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

    /// The refresh events' boot ids, found by text rather than by parsing every event (checks run often).
    func readRefreshBoots() -> [String] {
        guard let bytes = try? machine.fileSystem.readFile(config.eventsLog) else { return [] }
        var boots: [String] = []
        // A power cut can tear the last event; the next append then shares its line, so look at each
        // `{"time"` object of a line on its own.
        for line in bytes.split(separator: 0x0A) {
            let text = String(decoding: line, as: UTF8.self)
            for object in text.split(separator: "{\"time\"", omittingEmptySubsequences: true) {
                guard object.contains("\"status\":\"refresh\""), object.contains("\"type\":\"system\""),
                      let range = object.firstRange(of: "\"bootID\":\"") else { continue }
                boots.append(String(object[range.upperBound...].prefix { $0 != "\"" }))
            }
        }
        return boots
    }

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
            guard count % 32 == 0, segment.dataSize >= 16 + count / 8 else { return [] }
            var words = [UInt32](repeating: 0, count: count / 32)
            guard (try? words.withUnsafeMutableBytes { try segment.readData(at: 16, into: $0) }) != nil else { return [] }
            var ids: Set<UInt32> = []
            for (index, bits) in words.enumerated() where bits != 0 {
                for bit in 0..<32 where bits & (1 << bit) != 0 { ids.insert(UInt32(index * 32 + bit)) }
            }
            return ids
        }
    }

    func readObjects() -> ([MachineState.Object]?, String?) {
        let fs = machine.fileSystem
        let path = config.databasePath
        guard let status = try? fs.stat(path), status.size > 0 else { return ([], nil) }
        if let journal = try? fs.stat(path + "-journal"), journal.size > 0 { return (nil, nil) }
        // podrt's own VFS over the harness process's FileSystem (registered while `vfs` lives).
        let vfs = FileSystemVFS(machine: machine)
        defer { withExtendedLifetime(vfs) {} }
        var db: OpaquePointer?
        let opened = hostRoot.map { sqlite3_open_v2($0 + path, &db, SQLITE_OPEN_READONLY, nil) }
            ?? sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, vfs.name)
        guard opened == SQLITE_OK else {
            sqlite3_close_v2(db)
            return (nil, "cannot open the state database")
        }
        defer { sqlite3_close_v2(db) }
        func rows(_ sql: String) -> [[String]]? {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { return nil }
            defer { sqlite3_finalize(statement) }
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
        guard let tables = rows("SELECT name FROM sqlite_master WHERE type = 'table'") else {
            return (nil, "the state database is unreadable: " + String(cString: sqlite3_errmsg(db)))
        }
        guard tables.contains(["containers"]) else { return ([], nil) }
        if let check = rows("PRAGMA quick_check"), check != [["ok"]] {
            return (nil, "integrity check: " + check.map { $0.joined() }.joined(separator: "; "))
        }
        guard let found = rows("""
            SELECT 'container', name, lock_id, state, pid FROM containers
            UNION ALL SELECT 'pod', name, lock_id, '', 0 FROM pods
            UNION ALL SELECT 'volume', name, lock_id, '', 0 FROM volumes
            """) else { return (nil, "the state database is unreadable: " + String(cString: sqlite3_errmsg(db))) }
        return (found.map { row in
            MachineState.Object(kind: row[0], name: row[1], lockID: UInt32(row[2]) ?? UInt32.max, state: row[3],
                                pid: Int64(row[4]) ?? 0)
        }, nil)
    }
}
