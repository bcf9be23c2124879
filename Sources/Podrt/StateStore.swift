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
        if version == 0, try database.query("PRAGMA page_count").first?.first?.integerValue == 0 {
            try database.query("PRAGMA journal_mode = OFF")
        }
        let mode = try database.query("PRAGMA journal_mode = WAL").first?.first?.textValue
        guard mode == "wal" else {
            throw DatabaseError(path: path, code: 0, message: "cannot use WAL (journal mode \(mode ?? "none"))")
        }
        // FULL: the WAL is synced at every commit, so a command that reported success survives a power cut
        // (I6); NORMAL would sync only at checkpoints. Checkpoints sync the WAL before writing the database
        // and the database before the WAL is reused, and the VFS syncs a new file's directory at its first
        // sync, so the WAL's own name is durable too. (EXTRA adds only a directory sync after deleting a
        // rollback journal, which WAL never has.) Temporary tables stay in memory, off the file system.
        try database.execute("PRAGMA temp_store = MEMORY; PRAGMA synchronous = FULL")
        if vfs.injectedBugs.contains(.synchronousOff) { try database.execute("PRAGMA synchronous = OFF") }  // BugInjection: no commit fsync
        try database.enableForeignKeys()
        if version != Schema.currentVersion { try Schema.migrate(database) }
    }

    func transaction<T>(_ body: () throws -> T) throws -> T { try database.transaction(body) }

    // MARK: Runtime info

    /// The value recorded under `key`, nil when there is none; a value that is not text is an error.
    func info(_ key: String) throws -> String? {
        guard let value = try database.query("SELECT value FROM runtime_info WHERE key = ?", [.text(key)]).first?.first
        else { return nil }
        guard let text = value.textValue else {
            throw DatabaseError(path: database.path, code: 0,
                                message: "runtime_info \(key) is \(value.summary), expected text; it was left as it is")
        }
        return text
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
        return rows.first.flatMap { $0[0].textValue.flatMap(ObjectKind.init(rawValue:)) }
    }

    func volumeExists(_ name: String) throws -> Bool {
        try !database.query("SELECT 1 FROM volumes WHERE name = ?", [.text(name)]).isEmpty
    }

    // MARK: Containers

    static let containerColumns =
        "id, name, lock_id, pod_id, created, config, state, pid, conmon_pid, mountpoint, exec_sessions"
    static let containerColumnNames = containerColumns.split(separator: ", ").map(String.init)

    func insert(_ container: Container) throws {
        try database.query(
            "INSERT INTO containers (\(Self.containerColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [.text(container.id), .text(container.name), .integer(Int64(container.lockID)),
             container.podID.map(SQLValue.text) ?? .null, .integer(container.created),
             .text(container.configJSON.serialized()), .text(container.state.rawValue),
             .integer(Int64(container.pid)), .integer(Int64(container.conmonPID)), .text(container.mountpoint),
             .text(JSON.array(container.execSessions.map(JSON.string)).serialized())])
    }

    /// The containers matching `condition`, oldest first; a row that does not read is in `unreadable`.
    func containers(where condition: String = "1", _ values: [SQLValue] = []) throws -> ObjectRows<Container> {
        try read(.container, "SELECT rowid, \(Self.containerColumns) FROM containers WHERE \(condition) ORDER BY created, id",
                 values, names: Self.containerColumnNames, idColumn: 0, nameColumn: 1, lockColumn: 2, Container.init(row:))
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

    /// Records how the container's process ended (podman 5 keeps exit codes in a table of their own).
    func recordExit(of id: String, _ exit: ContainerExit) throws {
        try database.query("INSERT OR REPLACE INTO container_exit_codes (id, exit_code, timestamp) VALUES (?, ?, ?)",
                           [.text(id), .integer(Int64(exit.code)),
                            .integer(exit.time.seconds * 1_000_000_000 + exit.time.nanoseconds)])
    }

    /// The recorded exit of container `id`, nil when none is.
    func recordedExit(of id: String) throws -> ContainerExit? {
        guard let row = try database.query("SELECT exit_code, timestamp FROM container_exit_codes WHERE id = ?",
                                           [.text(id)]).first,
              let code = row[0].integerValue, let time = row[1].integerValue else { return nil }
        return ContainerExit(code: Int32(truncatingIfNeeded: code),
                             time: WallTime(seconds: time / 1_000_000_000, nanoseconds: time % 1_000_000_000))
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

    static let podColumnNames = ["id", "name", "lock_id", "created", "cgroup_path"]

    /// The pods matching `condition`, oldest first; a row that does not read is in `unreadable`.
    func pods(where condition: String = "1", _ values: [SQLValue] = []) throws -> ObjectRows<Pod> {
        try read(.pod, "SELECT rowid, \(Self.podColumnNames.joined(separator: ", ")) FROM pods WHERE \(condition) "
                     + "ORDER BY created, id",
                 values, names: Self.podColumnNames, idColumn: 0, nameColumn: 1, lockColumn: 2, Pod.init(row:))
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

    static let volumeColumnNames = ["name", "lock_id", "created", "config", "mount_count", "mountpoint"]

    /// The volumes matching `condition`, oldest first; a row that does not read is in `unreadable`.
    func volumes(where condition: String = "1", _ values: [SQLValue] = []) throws -> ObjectRows<Volume> {
        try read(.volume, "SELECT rowid, \(Self.volumeColumnNames.joined(separator: ", ")) FROM volumes "
                     + "WHERE \(condition) ORDER BY created, name",
                 values, names: Self.volumeColumnNames, idColumn: 0, nameColumn: 0, lockColumn: 1, Volume.init(row:))
    }

    /// A container that mounts `names` started (`delta` 1) or stopped (-1): podman's volume mount count, and
    /// the mountpoint while it is mounted. Never below 0; refresh resets both.
    func adjustMountCount(_ names: [String], by delta: Int64, mountpoint: (String) -> String) throws {
        for name in Set(names).sorted() {
            try database.query("""
                UPDATE volumes SET mount_count = MAX(mount_count + ?, 0),
                    mountpoint = CASE WHEN MAX(mount_count + ?, 0) = 0 THEN '' ELSE ? END WHERE name = ?
                """, [.integer(delta), .integer(delta), .text(mountpoint(name)), .text(name)])
        }
    }

    /// False when the row was already gone (another process removed it first).
    func deleteVolume(_ name: String) throws -> Bool {
        try database.query("DELETE FROM volumes WHERE name = ?", [.text(name)])
        return database.changes == 1
    }

    /// How many rows `table` (containers, pods or volumes) has.
    func count(_ kind: ObjectKind) throws -> Int {
        Int(try database.query("SELECT count(*) FROM \(kind.rawValue)s").first?.first?.integerValue ?? 0)
    }

    // MARK: Locks

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
    /// Rows already in their reset state are not rewritten, so the transaction writes only what changed, and
    /// the rows in `skipping` (those that do not read) are not written at all, nor their exit codes.
    func resetPerBootState(skipping unreadable: [CorruptRowError] = [], keepRunning: Bool = false) throws {
        /// The rowids of the unreadable rows of `kind`, as an SQL list; nil when there are none.
        func rowids(_ kind: ObjectKind) -> String? {
            let rowids = unreadable.filter { $0.kind == kind }.map { String($0.rowid) }
            return rowids.isEmpty ? nil : rowids.joined(separator: ", ")
        }
        func skip(_ kind: ObjectKind) -> String { rowids(kind).map { " AND rowid NOT IN (\($0))" } ?? "" }
        let keptExitCodes = rowids(.container).map {
            " WHERE id NOT IN (SELECT id FROM containers WHERE rowid IN (\($0)) AND id IS NOT NULL)"
        } ?? ""
        // state = CASE state WHEN 'running' THEN 'exited' … ELSE state END, in the same pass as the runtime fields.
        let changing = ContainerState.allCases.filter {
            $0.afterReboot != $0 && !(keepRunning && [.running, .paused, .stopping].contains($0))  // BugInjection
        }
        let cases = changing.map { "WHEN '\($0.rawValue)' THEN '\($0.afterReboot.rawValue)'" }.joined(separator: " ")
        let states = changing.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        try database.execute("""
            UPDATE containers SET state = CASE state \(cases) ELSE state END,
                    pid = 0, conmon_pid = 0, mountpoint = '', exec_sessions = '[]'
                WHERE (state IN (\(states)) OR pid != 0 OR conmon_pid != 0 OR mountpoint != '' OR exec_sessions != '[]')\(skip(.container));
            DELETE FROM container_exit_codes\(keptExitCodes);
            UPDATE pods SET cgroup_path = '' WHERE cgroup_path != ''\(skip(.pod));
            UPDATE volumes SET mount_count = 0, mountpoint = '' WHERE (mount_count != 0 OR mountpoint != '')\(skip(.volume));
            """)
    }
}
