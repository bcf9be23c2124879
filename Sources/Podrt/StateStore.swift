import Core
/// Errors about objects, worded for the person at the command line.
public enum StateError: Error, Hashable, Sendable, CustomStringConvertible {
    case nameInUse(name: String, holder: ObjectKind)
    case invalidName(String)
    case noSuch(ObjectKind, String)
    case ambiguous(ObjectKind, String)
    case volumeInUse(name: String, containers: [String])
    case podHasContainers(name: String, containers: [String])
    case namesExhausted(tries: Int)

    public var description: String {
        switch self {
        case let .nameInUse(name, holder): return "name \(name) is in use by a \(holder.rawValue)"
        case let .invalidName(name):
            return "name \"\(name)\" is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*"
        case let .noSuch(kind, name): return "no such \(kind.rawValue) \(name)"
        case let .ambiguous(kind, prefix): return "more than one \(kind.rawValue) matches \(prefix)"
        case let .volumeInUse(name, containers):
            return "volume \(name) is in use by containers \(containers.joined(separator: ", ")): use -f to remove them too"
        case let .podHasContainers(name, containers):
            return "pod \(name) has containers \(containers.joined(separator: ", ")): use -f to remove them too"
        case let .namesExhausted(tries): return "could not generate a unique name in \(tries) tries"
        }
    }
}

/// The persistent state: containers, pods and volumes in SQLite.
final class StateStore {
    let database: Database

    /// Opens the database at `path` through `vfs` (the machine's FileSystem: the host's in production, a
    /// simulated machine's in bootsim: one code path), sets it up for concurrent use and migrates it. Each
    /// statement here that reads the file is a read transaction: every command opens the store, so there is
    /// one.
    init(path: String, vfs: FileSystemVFS) throws {
        database = try Database(path: path, vfs: vfs)
        database.busyTimeout(milliseconds: 30000)
        // The first read: a corrupt file fails here, before anything writes to it.
        let version = try Schema.version(database)
        // WAL: readers and the writer do not block each other (one writer at a time, BEGIN IMMEDIATE), a
        // commit is one append and one fsync of the WAL, and a crash leaves nothing to roll back: the next
        // opener ignores frames past the last commit. SQLite turns a database to WAL in a transaction of the
        // rollback journal; a new, empty file has nothing to roll back, and its one page (a header and an
        // empty schema, all in the first 512-byte sector, which a power cut writes whole or not at all) is
        // written with the journal off, so no `-journal` file is ever made.
        if version == 0, try database.query("PRAGMA page_count").first?.first?.int == 0 {
            try database.query("PRAGMA journal_mode = OFF")
        }
        let mode = try database.query("PRAGMA journal_mode = WAL").first?.first?.optionalString
        guard mode == "wal" else {
            throw DatabaseError(path: path, code: 0, message: "cannot use WAL (journal mode \(mode ?? "none"))")
        }
        // FULL: the WAL is synced at every commit, so a command that reported success survives a power cut
        // (I6); NORMAL would sync only at checkpoints. Checkpoints sync the WAL before writing the database
        // and the database before the WAL is reused, and the VFS syncs a new file's directory at its first
        // sync, so the WAL's own name is durable too. (EXTRA adds only a directory sync after deleting a
        // rollback journal, which WAL never has.) Temporary tables stay in memory, off the file system.
        try database.execute("PRAGMA temp_store = MEMORY; PRAGMA synchronous = FULL")
        try database.enableForeignKeys()
        if version != Schema.currentVersion { try Schema.migrate(database) }
    }

    func transaction<T>(_ body: () throws -> T) throws -> T { try database.transaction(body) }

    // MARK: Runtime info

    func info(_ key: String) throws -> String? {
        try database.query("SELECT value FROM runtime_info WHERE key = ?", [.text(key)]).first?.first?.optionalString
    }

    func setInfo(_ key: String, _ value: String) throws {
        try database.query("INSERT OR REPLACE INTO runtime_info (key, value) VALUES (?, ?)", [.text(key), .text(value)])
    }

    // MARK: Names

    /// Who holds `name` in the container/pod namespace.
    func holderOfName(_ name: String) throws -> ObjectKind? {
        let rows = try database.query("""
            SELECT 'container' FROM containers WHERE name = ?1 UNION ALL SELECT 'pod' FROM pods WHERE name = ?1 LIMIT 1
            """, [.text(name)])
        return rows.first.flatMap { ObjectKind(rawValue: $0[0].string) }
    }

    func volumeExists(_ name: String) throws -> Bool {
        try !database.query("SELECT 1 FROM volumes WHERE name = ?", [.text(name)]).isEmpty
    }

    // MARK: Containers

    static let containerColumns =
        "id, name, lock_id, pod_id, created, config, state, pid, conmon_pid, mountpoint, exec_sessions"

    func insert(_ container: Container) throws {
        try database.query(
            "INSERT INTO containers (\(Self.containerColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [.text(container.id), .text(container.name), .integer(Int64(container.lockID)),
             container.podID.map(SQLValue.text) ?? .null, .integer(container.created),
             .text(container.configJSON.serialized()), .text(container.state.rawValue),
             .integer(Int64(container.pid)), .integer(Int64(container.conmonPID)), .text(container.mountpoint),
             .text(JSON.array(container.execSessions.map(JSON.string)).serialized())])
    }

    func containers(where condition: String = "1", _ values: [SQLValue] = []) throws -> [Container] {
        try database.query("SELECT \(Self.containerColumns) FROM containers WHERE \(condition) ORDER BY created, id",
                           values).map { row in
            var container = Container(id: row[0].string, name: row[1].string, lockID: UInt32(truncatingIfNeeded: row[2].int),
                                      podID: row[3].optionalString, created: row[4].int, rootfs: "", command: [],
                                      volumes: [], runtime: "")
            if let json = try? JSON.parse(row[5].string) { container.applyConfig(json) }
            container.state = ContainerState(rawValue: row[6].string) ?? .unknown
            container.pid = Int32(truncatingIfNeeded: row[7].int)
            container.conmonPID = Int32(truncatingIfNeeded: row[8].int)
            container.mountpoint = row[9].string
            container.execSessions = (try? JSON.parse(row[10].string))?.arrayValue?.compactMap(\.stringValue) ?? []
            return container
        }
    }

    func updateConfig(of container: Container) throws {
        try database.query("UPDATE containers SET config = ? WHERE id = ?",
                           [.text(container.configJSON.serialized()), .text(container.id)])
    }

    func updateState(of container: Container) throws {
        try database.query("UPDATE containers SET state = ?, pid = ?, conmon_pid = ? WHERE id = ?",
                           [.text(container.state.rawValue), .integer(Int64(container.pid)),
                            .integer(Int64(container.conmonPID)), .text(container.id)])
    }

    /// False when the row was already gone (another process removed it first).
    func deleteContainer(_ id: String) throws -> Bool {
        try database.query("DELETE FROM containers WHERE id = ?", [.text(id)])
        return database.changes == 1
    }

    // MARK: Pods

    func insert(_ pod: Pod) throws {
        try database.query("INSERT INTO pods (id, name, lock_id, created, config, cgroup_path) VALUES (?, ?, ?, ?, ?, ?)",
                           [.text(pod.id), .text(pod.name), .integer(Int64(pod.lockID)), .integer(pod.created),
                            .text("{}"), .text(pod.cgroupPath)])
    }

    func pods(where condition: String = "1", _ values: [SQLValue] = []) throws -> [Pod] {
        try database.query("SELECT id, name, lock_id, created, cgroup_path FROM pods WHERE \(condition) ORDER BY created, id",
                           values).map { row in
            var pod = Pod(id: row[0].string, name: row[1].string, lockID: UInt32(truncatingIfNeeded: row[2].int),
                          created: row[3].int)
            pod.cgroupPath = row[4].string
            return pod
        }
    }

    /// False when the row was already gone (another process removed it first).
    func deletePod(_ id: String) throws -> Bool {
        try database.query("DELETE FROM pods WHERE id = ?", [.text(id)])
        return database.changes == 1
    }

    // MARK: Volumes

    func insert(_ volume: Volume) throws {
        try database.query("INSERT INTO volumes (name, lock_id, created, config, mount_count, mountpoint) VALUES (?, ?, ?, ?, ?, ?)",
                           [.text(volume.name), .integer(Int64(volume.lockID)), .integer(volume.created),
                            .text(JSON.object([("driver", .string(volume.driver))]).serialized()),
                            .integer(volume.mountCount), .text(volume.mountpoint)])
    }

    func volumes(where condition: String = "1", _ values: [SQLValue] = []) throws -> [Volume] {
        try database.query("SELECT name, lock_id, created, config, mount_count, mountpoint FROM volumes WHERE \(condition) ORDER BY created, name",
                           values).map { row in
            var volume = Volume(name: row[0].string, lockID: UInt32(truncatingIfNeeded: row[1].int), created: row[2].int)
            volume.driver = (try? JSON.parse(row[3].string))?["driver"]?.stringValue ?? "local"
            volume.mountCount = row[4].int
            volume.mountpoint = row[5].string
            return volume
        }
    }

    /// False when the row was already gone (another process removed it first).
    func deleteVolume(_ name: String) throws -> Bool {
        try database.query("DELETE FROM volumes WHERE name = ?", [.text(name)])
        return database.changes == 1
    }

    /// How many rows `table` (containers, pods or volumes) has.
    func count(_ kind: ObjectKind) throws -> Int {
        Int(try database.query("SELECT count(*) FROM \(kind.rawValue)s").first?.first?.int ?? 0)
    }

    // MARK: Locks

    /// Every object that owns a lock: containers, pods and volumes.
    func lockOwners() throws -> [LockOwner] {
        try database.query("""
            SELECT 'container', id, name, lock_id FROM containers
            UNION ALL SELECT 'pod', id, name, lock_id FROM pods
            UNION ALL SELECT 'volume', name, name, lock_id FROM volumes
            """).map { row in
            LockOwner(kind: ObjectKind(rawValue: row[0].string) ?? .container, id: row[1].string, name: row[2].string,
                      lockID: UInt32(truncatingIfNeeded: row[3].int))
        }
    }

    func setLockID(_ owner: LockOwner, _ lockID: UInt32) throws {
        let table: String
        let key: String
        switch owner.kind {
        case .container: (table, key) = ("containers", "id")
        case .pod: (table, key) = ("pods", "id")
        case .volume: (table, key) = ("volumes", "name")
        }
        try database.query("UPDATE \(table) SET lock_id = ? WHERE \(key) = ?", [.integer(Int64(lockID)), .text(owner.id)])
    }

    /// Resets the per-boot state after a reboot, as podman 5 does. The caller wraps it in the refresh transaction.
    /// Rows already in their reset state are not rewritten, so the transaction writes only what changed.
    func resetPerBootState() throws {
        // state = CASE state WHEN 'running' THEN 'exited' … ELSE state END, in the same pass as the runtime fields.
        let changing = ContainerState.allCases.filter { $0.afterReboot != $0 }
        let cases = changing.map { "WHEN '\($0.rawValue)' THEN '\($0.afterReboot.rawValue)'" }.joined(separator: " ")
        let states = changing.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        try database.execute("""
            UPDATE containers SET state = CASE state \(cases) ELSE state END,
                    pid = 0, conmon_pid = 0, mountpoint = '', exec_sessions = '[]'
                WHERE state IN (\(states)) OR pid != 0 OR conmon_pid != 0 OR mountpoint != '' OR exec_sessions != '[]';
            DELETE FROM container_exit_codes;
            UPDATE pods SET cgroup_path = '' WHERE cgroup_path != '';
            UPDATE volumes SET mount_count = 0, mountpoint = '' WHERE mount_count != 0 OR mountpoint != '';
            """)
    }
}
