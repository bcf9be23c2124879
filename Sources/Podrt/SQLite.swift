import Core
import CSQLite

/// An SQLite failure, naming the database file.
public struct DatabaseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var code: Int32
    public var message: String

    public var description: String {
        if code == SQLITE_NOTADB || code == SQLITE_CORRUPT {
            return "state database \(path) is corrupt or not an SQLite database (\(message)); "
                + "it was left untouched: move it away or restore a backup"
        }
        return "state database \(path): \(message)"
    }
}

/// One SQLite connection. Not shared between threads.
final class Database {
    let path: String
    /// The VFS every file of the connection goes through: the machine's FileSystem, in both worlds.
    let vfs: FileSystemVFS
    private var handle: OpaquePointer?
    /// Each query's statement, prepared once per connection (SQLite re-prepares one itself after a schema
    /// change). A podrt command runs the same few statements many times: a refresh one per object.
    private var statements: [String: Statement] = [:]
    /// The thread's randomness source before this connection took it (see `FileSystemVFS.randomnessSource`).
    private var outerRandomness: (source: sqlite3_randomness_source?, context: UnsafeMutableRawPointer?)?

    /// Opens (creating if missing) the database at `path` on `vfs`'s machine.
    init(path: String, vfs: FileSystemVFS) throws {
        self.path = path
        self.vfs = vfs
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, vfs.name)
        handle = db
        guard rc == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(db)
            handle = nil
            if let kept = vfs.takeError() { throw kept }
            throw DatabaseError(path: path, code: rc, message: message)
        }
        sqlite3_extended_result_codes(db, 0)
        var source: sqlite3_randomness_source? = FileSystemVFS.randomnessSource
        var context: UnsafeMutableRawPointer? = Unmanaged.passUnretained(vfs).toOpaque()
        sqlite3_thread_randomness_swap(&source, &context)
        outerRandomness = (source, context)
    }

    /// The name of the VFS SQLite opened the main database file with (`SQLITE_FCNTL_VFS_POINTER`).
    var vfsName: String {
        var pointer: UnsafeMutablePointer<sqlite3_vfs>?
        guard sqlite3_file_control(handle, "main", SQLITE_FCNTL_VFS_POINTER, &pointer) == SQLITE_OK,
              let name = pointer?.pointee.zName else { return "" }
        return String(cString: name)
    }

    deinit {
        statements.removeAll()  // finalized before the close
        sqlite3_close_v2(handle)
        if var outer = outerRandomness { sqlite3_thread_randomness_swap(&outer.source, &outer.context) }
    }

    /// The error for a failed call: what a VFS callback could not pass through C (`ProcessKilled`), or SQLite's.
    func error(_ code: Int32) -> any Error {
        if let kept = vfs.takeError() { return kept }
        return DatabaseError(path: path, code: code & 0xFF, message: String(cString: sqlite3_errmsg(handle)))
    }

    /// How long a statement waits, through the VFS's sleep, for a lock another connection holds.
    func busyTimeout(milliseconds: Int32) { sqlite3_busy_timeout(handle, milliseconds) }

    /// `PRAGMA foreign_keys = ON` without a statement to parse.
    func enableForeignKeys() throws {
        let rc = shim_sqlite_enable_foreign_keys(handle)
        guard rc == SQLITE_OK else { throw error(rc) }
    }

    /// Runs SQL statements that return no rows.
    func execute(_ sql: String) throws {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc) }
    }

    func prepare(_ sql: String) throws -> Statement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc) }
        return Statement(database: self, handle: statement)
    }

    /// Runs `sql` with `values` bound, and returns every row. The statement is reset after it, so that it
    /// holds no read transaction once the rows are returned, or once it failed.
    @discardableResult
    func query(_ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        try forEachRow(sql, values) { rows.append($0) }
        return rows
    }

    /// `query` without the array of every row: `body` takes each row as it is stepped (a listing of
    /// thousands decodes each without holding them all twice). Reset after it, as `query`.
    func forEachRow(_ sql: String, _ values: [SQLValue] = [], _ body: ([SQLValue]) throws -> Void) throws {
        let statement: Statement
        if let prepared = statements[sql] {
            statement = prepared
        } else {
            statement = try prepare(sql)
            statements[sql] = statement
        }
        defer { sqlite3_reset(statement.handle) }
        try statement.bind(values)
        while try statement.step() { try body(statement.row()) }
    }

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE`, so writers queue on the busy timeout instead of
    /// deadlocking on a lock upgrade). Rolls back when `body` throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try query("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    var changes: Int { Int(sqlite3_changes(handle)) }
}

/// A value in or out of SQLite, with the storage class SQLite gave it. Nothing converts between classes:
/// reading a column checks the class it expects (`RowReader`), so a NULL or a stray type is an error, not 0 or "".
enum SQLValue: Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    /// A BLOB, or TEXT whose bytes are not valid UTF-8 (`invalidText`): never decoded with replacement characters.
    case blob([UInt8])
    case invalidText([UInt8])

    /// The integer, or nil for any other class.
    var integerValue: Int64? { if case let .integer(value) = self { return value } else { return nil } }
    /// The text, or nil for any other class.
    var textValue: String? { if case let .text(value) = self { return value } else { return nil } }

    /// What the value is, for an error message: `NULL`, `integer 7`, `text "x"`, `a blob of 3 bytes`.
    var summary: String {
        switch self {
        case .null: return "NULL"
        case let .integer(value): return "integer \(value)"
        case let .real(value): return "real \(value)"
        case let .text(value):
            let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
            return "text " + JSON.string(shown).serialized()
        case let .blob(bytes): return "a blob of \(bytes.count) bytes"
        case let .invalidText(bytes): return "text of \(bytes.count) bytes that is not valid UTF-8"
        }
    }
}

final class Statement {
    /// Unowned: the connection keeps its statements (`Database.statements`), and finalizes them before it closes.
    unowned let database: Database
    let handle: OpaquePointer

    init(database: Database, handle: OpaquePointer) {
        self.database = database
        self.handle = handle
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ values: [SQLValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case let .integer(number): rc = sqlite3_bind_int64(handle, index, number)
            case let .real(number): rc = sqlite3_bind_double(handle, index, number)
            // By length, so an embedded NUL stays.
            case let .text(text): rc = sqlite3_bind_text(handle, index, text, Int32(text.utf8.count), shim_sqlite_transient())
            case let .blob(bytes), let .invalidText(bytes):
                let isText: Bool
                if case .invalidText = value { isText = true } else { isText = false }
                rc = bytes.isEmpty ? sqlite3_bind_zeroblob(handle, index, 0) : bytes.withUnsafeBytes {
                    isText ? sqlite3_bind_text(handle, index, $0.baseAddress!.assumingMemoryBound(to: CChar.self),
                                               Int32($0.count), shim_sqlite_transient())
                           : sqlite3_bind_blob(handle, index, $0.baseAddress!, Int32($0.count), shim_sqlite_transient())
                }
            }
            guard rc == SQLITE_OK else { throw database.error(rc) }
        }
    }

    /// Advances to the next row; false when done.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw database.error(rc)
    }

    /// The current row, each column in its own storage class. Text is read by its length (an embedded NUL
    /// stays) and checked as UTF-8.
    func row() -> [SQLValue] {
        (0..<sqlite3_column_count(handle)).map { column in
            switch sqlite3_column_type(handle, column) {
            case SQLITE_NULL: return .null
            case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
            case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
            case SQLITE_TEXT:
                // sqlite3_column_text before sqlite3_column_bytes, as SQLite's documentation asks.
                guard let start = sqlite3_column_text(handle, column) else { return .text("") }
                let text = UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(handle, column)))
                return String(strictUTF8: text).map(SQLValue.text) ?? .invalidText(Array(text))
            default:
                guard let start = sqlite3_column_blob(handle, column) else { return .blob([]) }
                return .blob(Array(UnsafeRawBufferPointer(start: start, count: Int(sqlite3_column_bytes(handle, column)))))
            }
        }
    }
}
