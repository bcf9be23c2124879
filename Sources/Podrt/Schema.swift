import Core
import CSQLite
/// The state database's schema, as numbered migrations. A database records the version it reached in
/// `schema_version`; opening it runs the missing steps in one transaction.
enum Schema {
    static let migrations: [[String]] = [
        // 1: the first layout.
        [
            """
            CREATE TABLE containers (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL UNIQUE,
                lock_id INTEGER NOT NULL,
                pod_id TEXT REFERENCES pods(id),
                created INTEGER NOT NULL,
                config TEXT NOT NULL,
                state TEXT NOT NULL,
                pid INTEGER NOT NULL DEFAULT 0,
                conmon_pid INTEGER NOT NULL DEFAULT 0,
                mountpoint TEXT NOT NULL DEFAULT '',
                exec_sessions TEXT NOT NULL DEFAULT '[]')
            """,
            """
            CREATE TABLE pods (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL UNIQUE,
                lock_id INTEGER NOT NULL,
                created INTEGER NOT NULL,
                config TEXT NOT NULL,
                cgroup_path TEXT NOT NULL DEFAULT '')
            """,
            """
            CREATE TABLE volumes (
                name TEXT PRIMARY KEY NOT NULL,
                lock_id INTEGER NOT NULL,
                created INTEGER NOT NULL,
                config TEXT NOT NULL,
                mount_count INTEGER NOT NULL DEFAULT 0,
                mountpoint TEXT NOT NULL DEFAULT '')
            """,
            "CREATE TABLE runtime_info (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
        ],
        // 2: exit codes live apart from containers, and refresh drops them, as podman 5 does.
        [
            """
            CREATE TABLE container_exit_codes (
                id TEXT PRIMARY KEY NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
                exit_code INTEGER NOT NULL,
                timestamp INTEGER NOT NULL)
            """,
            "CREATE INDEX containers_pod ON containers(pod_id)",
        ],
    ]

    static var currentVersion: Int { migrations.count }

    /// The version `database` records; 0 when it has no `schema_version` table (a new file). One statement,
    /// since every command asks: only a missing table sends it to `sqlite_master`.
    static func version(_ database: Database) throws -> Int {
        do {
            return try recorded(database)
        } catch let error as DatabaseError where error.code == SQLITE_ERROR {
            let tables = try database.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
            guard tables.isEmpty else { throw error }
            return 0
        }
    }

    /// The version in `schema_version`, 0 when the table is empty; a value that is not an integer is an error
    /// (read as 0 it would run the migrations again over the tables).
    static func recorded(_ database: Database) throws -> Int {
        guard let value = try database.query("SELECT version FROM schema_version").first?.first else { return 0 }
        guard let version = value.integerValue.flatMap({ Int(exactly: $0) }) else {
            throw DatabaseError(path: database.path, code: 0,
                                message: "schema_version holds \(value.summary), expected an integer; it was left as it is")
        }
        return version
    }

    /// Brings `database` up to `currentVersion` in one write transaction. A database from a newer podrt is
    /// refused.
    static func migrate(_ database: Database) throws {
        try database.transaction {
            try database.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            let version = try recorded(database)
            guard version <= currentVersion else {
                throw DatabaseError(path: database.path, code: 0,
                                    message: "schema version \(version) is newer than this podrt knows (\(currentVersion))")
            }
            guard version < currentVersion else { return }
            for steps in migrations[version...] {
                for sql in steps { try database.execute(sql) }
            }
            try database.execute("DELETE FROM schema_version")
            try database.query("INSERT INTO schema_version (version) VALUES (?)", [.integer(Int64(currentVersion))])
        }
    }
}
