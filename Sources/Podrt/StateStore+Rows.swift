import Core
/// What a read of one table found: the objects whose rows read, in order, and an error for each row that
/// does not. A listing shows the first and reports the second; a command that changes state takes `all()`,
/// which refuses to act on a partial view.
public struct ObjectRows<Object> {
    public var objects: [Object]
    public var unreadable: [CorruptRowError]

    public init(objects: [Object] = [], unreadable: [CorruptRowError] = []) {
        self.objects = objects
        self.unreadable = unreadable
    }

    /// Every object, or the first unreadable row's error.
    public func all() throws -> [Object] {
        if let first = unreadable.first { throw first }
        return objects
    }

    public func filter(_ keep: (Object) -> Bool) -> ObjectRows {
        ObjectRows(objects: objects.filter(keep), unreadable: unreadable)
    }
}

extension ObjectRows: Sendable where Object: Sendable {}

extension StateStore {
    /// Runs `sql` (whose first column is the rowid, the others `names`) and reads each row with `decode`. A
    /// row `decode` refuses becomes a `CorruptRowError` naming `kind` and the row's `idColumn`, `nameColumn`
    /// and `lockColumn` as far as they read.
    func read<Object>(
        _ kind: ObjectKind, _ sql: String, _ values: [SQLValue], names: [String],
        idColumn: Int, nameColumn: Int, lockColumn: Int, _ decode: (RowReader) throws -> Object
    ) throws -> ObjectRows<Object> {
        var result = ObjectRows<Object>()
        try database.forEachRow(sql, values) { values in
            let row = RowReader(values: values, names: names)
            do {
                result.objects.append(try decode(row))
            } catch let problem as ColumnProblem {
                result.unreadable.append(CorruptRowError(
                    database: database.path, kind: kind, name: try? row.text(nameColumn), id: try? row.text(idColumn),
                    rowid: row.rowid, lockID: try? row.lockID(lockColumn), problem: problem.message))
            }
        }
        return result
    }

    /// Every object that owns a lock: containers, pods and volumes. Each row's lock owner (id, name, lock id)
    /// and per-boot columns are read strictly, which is what refresh resets and what `system locks` and
    /// renumber use; not the config, which none of them reads or writes (the listings check it), so refresh
    /// costs no JSON parse per container. A row that does not read is in `unreadable`, with its lock id when
    /// that column reads (`CorruptRowError.lockOwner`).
    func lockOwners() throws -> ObjectRows<LockOwner> {
        let containers = try read(.container, "SELECT rowid, \(Self.containerBootColumnNames.joined(separator: ", ")) FROM containers",
                                  [], names: Self.containerBootColumnNames, idColumn: 0, nameColumn: 1, lockColumn: 2) { row in
            let owner = LockOwner(kind: .container, id: try row.text(0), name: try row.text(1), lockID: try row.lockID(2))
            _ = try row.containerState(3)
            _ = try row.integer(4, as: Int32.self, what: "a process id")
            _ = try row.integer(5, as: Int32.self, what: "a process id")
            _ = try row.text(6)
            _ = try row.strings(7)
            return owner
        }
        let pods = try read(.pod, "SELECT rowid, id, name, lock_id, cgroup_path FROM pods", [],
                            names: ["id", "name", "lock_id", "cgroup_path"], idColumn: 0, nameColumn: 1, lockColumn: 2) { row in
            let owner = LockOwner(kind: .pod, id: try row.text(0), name: try row.text(1), lockID: try row.lockID(2))
            _ = try row.text(3)
            return owner
        }
        let volumes = try read(.volume, "SELECT rowid, name, lock_id, mount_count, mountpoint FROM volumes", [],
                               names: ["name", "lock_id", "mount_count", "mountpoint"], idColumn: 0, nameColumn: 0,
                               lockColumn: 1) { row in
            let name = try row.text(0)
            let owner = LockOwner(kind: .volume, id: name, name: name, lockID: try row.lockID(1))
            _ = try row.integer(2)
            _ = try row.text(3)
            return owner
        }
        return ObjectRows(objects: containers.objects + pods.objects + volumes.objects,
                          unreadable: containers.unreadable + pods.unreadable + volumes.unreadable)
    }

    /// A container's lock owner and per-boot columns, for `lockOwners`.
    static let containerBootColumnNames = ["id", "name", "lock_id", "state", "pid", "conmon_pid", "mountpoint", "exec_sessions"]
}

// MARK: Each kind from its row (columns as in `StateStore.containerColumns` and the like)

extension Container {
    init(row: RowReader) throws {
        self.init(id: try row.text(0), name: try row.text(1), lockID: try row.lockID(2), podID: try row.optionalText(3),
                  created: try row.integer(4), rootfs: "", command: [], volumes: [], runtime: "")
        try applyConfig(row.object(5))
        state = try row.containerState(6)
        pid = try row.integer(7, as: Int32.self, what: "a process id")
        conmonPID = try row.integer(8, as: Int32.self, what: "a process id")
        mountpoint = try row.text(9)
        execSessions = try row.strings(10)
    }

    /// The config column's members, as `configJSON` writes them.
    mutating func applyConfig(_ config: JSONFields) throws {
        rootfs = try config.string("rootfs")
        command = try config.strings("command")
        volumes = try config.objects("volumes").map { VolumeMount(volume: try $0.string("name"), destination: try $0.string("dest"),
                                                                       readOnly: try $0.optionalBool("ro") ?? false) }
        runtime = try config.string("runtime")
        environment = try config.optionalStrings("env") ?? []
        workingDirectory = try config.optionalString("workdir") ?? "/"
        runsInit = try config.optionalBool("init") ?? false
    }
}

extension Pod {
    init(row: RowReader) throws {
        self.init(id: try row.text(0), name: try row.text(1), lockID: try row.lockID(2), created: try row.integer(3))
        cgroupPath = try row.text(4)
    }
}

extension Volume {
    init(row: RowReader) throws {
        self.init(name: try row.text(0), lockID: try row.lockID(1), created: try row.integer(2))
        driver = try row.object(3).string("driver")
        mountCount = try row.integer(4)
        mountpoint = try row.text(5)
    }
}

extension CorruptRowError {
    /// The lock owner refresh and `system locks` count for this row: by its lock id, when that reads.
    var lockOwner: LockOwner? {
        lockID.map { LockOwner(kind: kind, id: id ?? name ?? "row \(rowid)", name: name ?? id ?? "row \(rowid)", lockID: $0) }
    }
}
