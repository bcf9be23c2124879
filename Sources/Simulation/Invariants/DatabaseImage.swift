import CSQLite
import Glibc
import Podrt

/// Reads podrt's state database from an image of the file's bytes, with one read-only SQLite connection per
/// thread kept from check to check, so its parsed schema and prepared statements are reused.
///
/// A kept connection answers exactly as a new one would: every reading empties its page cache, and the
/// schema is kept only while page 1, which holds all of `sqlite_master` (a leaf page with no overflowing
/// cell), is the same apart from the fields every commit changes. Otherwise the connection is opened again.
final class DatabaseImageReader {
    private let registration: RegisteredVFS
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// Page 1 of the image the open connection parsed its schema from, less the per-commit fields.
    private var schemaKey: [UInt8]?
    /// The image SQLite reads through the VFS.
    fileprivate var image: [UInt8] = []

    /// This thread's reader (the harness reads between steps, on the thread that runs the seed).
    static var forThisThread: DatabaseImageReader {
        if let slot = pthread_getspecific(readerKey) {
            return Unmanaged<DatabaseImageReader>.fromOpaque(slot).takeUnretainedValue()
        }
        let reader = DatabaseImageReader()
        pthread_setspecific(readerKey, Unmanaged.passRetained(reader).toOpaque())
        // A read-only look needs no randomness: SQLite's own would come from the real world, so it stops here.
        var source: sqlite3_randomness_source? = { _, count, _ in
            fatalError("bootsim: nondeterminism escaped the scheduler: the checker's SQLite drew \(count) random bytes")
        }
        var context: UnsafeMutableRawPointer?
        sqlite3_thread_randomness_swap(&source, &context)
        return reader
    }

    init() {
        registration = RegisteredVFS(prefix: "bootsim-image", maxPathname: 64, io: Self.ioMethods(),
                                     install: Self.installVFSMethods)
        registration.register(owner: self)
    }

    deinit { close() }

    /// The objects in `bytes`, or why they cannot be read.
    func objects(in bytes: [UInt8]) -> ([MachineState.Object]?, String?) {
        let key = Self.schemaKey(bytes)
        if db == nil || key == nil || key != schemaKey {
            close()
            guard sqlite3_open_v2("image.db", &db, SQLITE_OPEN_READONLY, registration.name) == SQLITE_OK else {
                close()
                return (nil, "cannot open the state database")
            }
            schemaKey = key
        }
        image = bytes
        sqlite3_db_release_memory(db)  // every page is read from this image
        let result = StateReader.listObjects(rows: rows, errorMessage: { String(cString: sqlite3_errmsg(self.db)) })
        if key == nil || result.0 == nil { close() }
        image = []
        return result
    }

    private func rows(_ sql: String) -> [[String]]? {
        var statement = statements[sql]
        if statement == nil {
            guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { return nil }
            statements[sql] = statement
        }
        defer { sqlite3_reset(statement) }
        return StateReader.allRows(statement!)
    }

    private func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements = [:]
        sqlite3_close_v2(db)
        db = nil
        schemaKey = nil
    }

    /// Page 1 with the fields every commit changes zeroed (change counter, page count, freelist, the
    /// version-valid-for number and SQLite's version), or nil when the schema may not lie wholly on it.
    static func schemaKey(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 108 else { return nil }
        let raw = Int(bytes[16]) << 8 | Int(bytes[17])
        let pageSize = raw == 1 ? 65536 : raw
        guard pageSize >= 512, bytes.count >= pageSize, bytes[100] == 0x0D else { return nil }
        let usable = pageSize - Int(bytes[20])
        let cells = Int(bytes[103]) << 8 | Int(bytes[104])
        guard 108 + 2 * cells <= pageSize else { return nil }
        for cell in 0..<cells {
            let offset = Int(bytes[108 + 2 * cell]) << 8 | Int(bytes[109 + 2 * cell])
            guard offset < pageSize, let payload = varint(bytes, at: offset, limit: pageSize),
                  payload <= usable - 35 else { return nil }
        }
        var key = Array(bytes[0..<pageSize])
        for index in 24..<40 { key[index] = 0 }
        for index in 92..<100 { key[index] = 0 }
        return key
    }

    /// SQLite's big-endian varint at `offset`, nil if it runs past `limit`.
    static func varint(_ bytes: [UInt8], at offset: Int, limit: Int) -> Int? {
        var value = 0
        for index in 0..<9 {
            guard offset + index < limit else { return nil }
            let byte = Int(bytes[offset + index])
            if index == 8 { return value << 8 | byte }
            value = value << 7 | (byte & 0x7F)
            if byte < 0x80 { return value }
        }
        return value
    }

    // MARK: The VFS: one read-only file, the image

    static func from(_ file: UnsafeMutablePointer<sqlite3_file>?) -> DatabaseImageReader {
        Unmanaged<DatabaseImageReader>.fromOpaque(RegisteredVFS.slot(file!).pointee!).takeUnretainedValue()
    }

    private static func installVFSMethods(_ vfs: UnsafeMutablePointer<sqlite3_vfs>) {
        vfs.pointee.xOpen = { vfs, name, file, flags, outFlags in
            file!.pointee.pMethods = nil
            // Only the main database, read-only: no journal, no temporary file.
            guard name != nil, flags & SQLITE_OPEN_MAIN_DB != 0, flags & SQLITE_OPEN_READWRITE == 0 else {
                return SQLITE_CANTOPEN
            }
            RegisteredVFS.slot(file!).pointee = UnsafeRawPointer(vfs!.pointee.pAppData)
            let reader = RegisteredVFS.owner(vfs, as: DatabaseImageReader.self)
            file!.pointee.pMethods = UnsafePointer(reader.registration.methods)
            outFlags?.pointee = flags
            return SQLITE_OK
        }
        vfs.pointee.xDelete = { _, _, _ in SQLITE_IOERR }
        vfs.pointee.xAccess = { _, _, _, result in
            result!.pointee = 0  // no journal and no WAL: the harness reads only a settled file
            return SQLITE_OK
        }
        vfs.pointee.xRandomness = { _, size, out in
            for index in 0..<Int(size) { out![index] = 0 }
            return size
        }
        vfs.pointee.xSleep = { _, microseconds in microseconds }
        vfs.pointee.xCurrentTime = { _, out in
            out!.pointee = 2440587.5
            return SQLITE_OK
        }
        vfs.pointee.xGetLastError = { _, _, _ in 0 }
    }

    private static func ioMethods() -> sqlite3_io_methods {
        var io = sqlite3_io_methods()
        io.iVersion = 1
        io.xClose = { _ in SQLITE_OK }
        io.xRead = { file, buffer, amount, offset in
            let image = DatabaseImageReader.from(file).image
            let target = UnsafeMutableRawBufferPointer(start: buffer, count: Int(amount))
            let start = min(Int(offset), image.count)
            let count = min(Int(amount), image.count - start)
            image.withUnsafeBytes { source in
                if count > 0 { target.baseAddress!.copyMemory(from: source.baseAddress! + start, byteCount: count) }
            }
            guard count == Int(amount) else {
                UnsafeMutableRawBufferPointer(rebasing: target[count...]).initializeMemory(as: UInt8.self, repeating: 0)
                return SQLITE_IOERR | (2 << 8)  // SQLITE_IOERR_SHORT_READ
            }
            return SQLITE_OK
        }
        io.xWrite = { _, _, _, _ in SQLITE_READONLY }
        io.xTruncate = { _, _ in SQLITE_READONLY }
        io.xSync = { _, _ in SQLITE_OK }
        io.xFileSize = { file, size in
            size!.pointee = Int64(DatabaseImageReader.from(file).image.count)
            return SQLITE_OK
        }
        io.xLock = { _, _ in SQLITE_OK }
        io.xUnlock = { _, _ in SQLITE_OK }
        io.xCheckReservedLock = { _, result in
            result!.pointee = 0
            return SQLITE_OK
        }
        io.xFileControl = { _, _, _ in SQLITE_NOTFOUND }
        io.xSectorSize = { _ in 512 }
        io.xDeviceCharacteristics = { _ in 0 }
        return io
    }
}

/// The thread-specific slot of `DatabaseImageReader.forThisThread`; a thread's reader goes when it ends.
private let readerKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { slot in
        if let slot { Unmanaged<DatabaseImageReader>.fromOpaque(slot).release() }
    }
    return key
}()
