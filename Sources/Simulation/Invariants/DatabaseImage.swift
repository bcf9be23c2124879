import CSQLite
import Glibc
import Podrt

/// Reads podrt's state database from images of its files' bytes, the database and its WAL, with one
/// read-only SQLite connection per thread kept from check to check, so its parsed schema and prepared
/// statements are reused.
///
/// The committed state of a WAL database is the file plus the WAL's frames up to its last valid commit
/// frame. SQLite itself decides which those are: the VFS serves both images read-only and a WAL index in
/// heap memory that starts empty for every connection, so SQLite recovers the index from the WAL image as
/// the first opener after a crash does. Frames past the last commit, a torn frame (its checksum) and frames
/// of an earlier generation of the WAL (its salts) are not committed state, and are not read.
///
/// A kept connection answers exactly as a new one would: every reading empties its page cache, and the
/// schema is kept only while page 1, which holds all of `sqlite_master` (a leaf page with no overflowing
/// cell), is the same apart from the fields every commit changes, and while there is no WAL to read.
/// Otherwise the connection is opened again (and closed after a reading with a WAL, whose index it built).
final class DatabaseImageReader {
    private let registration: RegisteredVFS
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// Page 1 of the image the open connection parsed its schema from, less the per-commit fields.
    private var schemaKey: [UInt8]?
    /// The images SQLite reads through the VFS: the database file and its WAL.
    fileprivate let database = ImageFile()
    fileprivate let wal = ImageFile()

    /// This thread's reader (the harness reads between steps, on the thread that runs the seed).
    static var forThisThread: DatabaseImageReader {
        if let slot = pthread_getspecific(readerKey) {
            return Unmanaged<DatabaseImageReader>.fromOpaque(slot).takeUnretainedValue()
        }
        let reader = DatabaseImageReader()
        pthread_setspecific(readerKey, Unmanaged.passRetained(reader).toOpaque())
        return reader
    }

    /// The thread's SQLite randomness source while the checker reads. A read-only look needs no randomness
    /// (SQLite's own would come from the real world), so a draw stops bootsim. Only the checker's own calls
    /// get it: the thread's source before is put back after, so host-side SQLite on the thread later (a
    /// test's, a WAL's salts) draws from its own source as before.
    private static let forbiddenRandomness: sqlite3_randomness_source = { _, count, _ in
        fatalError("bootsim: nondeterminism escaped the scheduler: the checker's SQLite drew \(count) random bytes")
    }

    /// Runs `body` with `forbiddenRandomness` as the thread's source, then restores the one before.
    private func withoutRandomness<T>(_ body: () -> T) -> T {
        var source: sqlite3_randomness_source? = Self.forbiddenRandomness
        var context: UnsafeMutableRawPointer?
        sqlite3_thread_randomness_swap(&source, &context)
        defer { sqlite3_thread_randomness_swap(&source, &context) }
        return body()
    }

    init() {
        registration = RegisteredVFS(prefix: "bootsim-image", maxPathname: 64, io: Self.ioMethods(),
                                     install: Self.installVFSMethods)
        registration.register(owner: self)
    }

    deinit { withoutRandomness { close() } }

    /// The objects in the database file `bytes` with the WAL `walBytes` (empty: none), or why they cannot be
    /// read.
    func objects(in bytes: [UInt8], wal walBytes: [UInt8] = []) -> ([MachineState.Object]?, String?) {
        guard memoLimit > 0 else { return withoutRandomness { read(bytes, wal: walBytes) } }
        let key = Self.memoKey(bytes, walBytes)
        if let hit = memo[key]?.first(where: { $0.bytes.sameBytes(as: bytes) && $0.wal.sameBytes(as: walBytes) }) {
            memoHits += 1
            return (hit.objects, hit.problem)
        }
        let result = withoutRandomness { read(bytes, wal: walBytes) }
        if memoBytes + bytes.count + walBytes.count > memoLimit {
            memo = [:]
            memoBytes = 0
        }
        memo[key, default: []].append(Reading(bytes: bytes, wal: walBytes, objects: result.0, problem: result.1))
        memoBytes += bytes.count + walBytes.count
        return result
    }

    /// A reading is a function of the two images alone, so the readings already made on this thread are
    /// kept by their bytes (`bootsim explore` checks thousands of schedules whose databases end alike): an
    /// equal pair of images gets the same answer without SQLite. Looked up by an `FNV` of both, confirmed
    /// byte for byte; emptied when it holds `memoLimit` bytes of images.
    private struct Reading {
        var bytes: [UInt8]
        var wal: [UInt8]
        var objects: [MachineState.Object]?
        var problem: String?
    }
    private var memo: [UInt64: [Reading]] = [:]
    private var memoBytes = 0
    /// Readings answered from `memo` (for the tests).
    private(set) var memoHits = 0
    /// The memo's size in bytes of images; 0, the default, keeps none. Only explore turns it on
    /// (`exploreMemoLimit`, on its threads): there schedules end alike, while `run`'s seeds, each with its own
    /// names and ids, almost never meet an image twice, and a memo there only grows memory (about 13% of a
    /// refresh-race `run`, in page faults and hashing).
    var memoLimit = 0
    static let exploreMemoLimit = 256 << 20

    /// The sizes and the first and last 4 KiB of each image (page 1 with its change counter, the WAL's
    /// header and last frames): cheap, and it tells apart most images that differ; the memo confirms a
    /// candidate byte for byte.
    static func memoKey(_ bytes: [UInt8], _ wal: [UInt8]) -> UInt64 {
        var hash = FNV()
        for image in [bytes, wal] {
            image.withUnsafeBytes { raw in
                let edge = min(raw.count, 4096)
                hash.mix(raw: UnsafeRawBufferPointer(rebasing: raw[0..<edge]))
                hash.mix(raw: UnsafeRawBufferPointer(rebasing: raw[(raw.count - edge)...]))
            }
        }
        return hash.value
    }

    private func read(_ bytes: [UInt8], wal walBytes: [UInt8]) -> ([MachineState.Object]?, String?) {
        let key = Self.schemaKey(bytes)
        if db == nil || key == nil || key != schemaKey || !walBytes.isEmpty {
            close()
            guard sqlite3_open_v2("image.db", &db, SQLITE_OPEN_READONLY, registration.name) == SQLITE_OK else {
                close()
                return (nil, "cannot open the state database")
            }
            schemaKey = key
        }
        database.bytes = bytes
        wal.bytes = walBytes
        sqlite3_db_release_memory(db)  // every page is read from these images
        let result = StateReader.listObjects(rows: rows, errorMessage: { String(cString: sqlite3_errmsg(self.db)) })
        if key == nil || result.0 == nil || !walBytes.isEmpty { close() }
        database.bytes = []
        wal.bytes = []
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

    // MARK: The VFS: two read-only files, the images, and a WAL index in heap memory

    static func from(_ file: UnsafeMutablePointer<sqlite3_file>?) -> ImageFile {
        Unmanaged<ImageFile>.fromOpaque(RegisteredVFS.slot(file!).pointee!).takeUnretainedValue()
    }

    private static func installVFSMethods(_ vfs: UnsafeMutablePointer<sqlite3_vfs>) {
        vfs.pointee.xOpen = { vfs, name, file, flags, outFlags in
            file!.pointee.pMethods = nil
            // Only the main database and its WAL, read-only: no journal, no temporary file.
            let reader = RegisteredVFS.owner(vfs, as: DatabaseImageReader.self)
            let image: ImageFile
            if name != nil, flags & SQLITE_OPEN_MAIN_DB != 0, flags & SQLITE_OPEN_READWRITE == 0 {
                image = reader.database
            } else if name != nil, flags & SQLITE_OPEN_WAL != 0 {
                image = reader.wal
            } else {
                return SQLITE_CANTOPEN
            }
            RegisteredVFS.slot(file!).pointee = UnsafeRawPointer(Unmanaged.passUnretained(image).toOpaque())
            file!.pointee.pMethods = UnsafePointer(reader.registration.methods)
            outFlags?.pointee = (flags & ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_READONLY
            return SQLITE_OK
        }
        vfs.pointee.xDelete = { _, _, _ in SQLITE_IOERR }
        vfs.pointee.xAccess = { vfs, name, _, result in
            // No rollback journal (the reader does not read while one is hot), and a WAL when its image has bytes.
            let reader = RegisteredVFS.owner(vfs, as: DatabaseImageReader.self)
            result!.pointee = String(cString: name!).hasSuffix("-wal") && !reader.wal.bytes.isEmpty ? 1 : 0
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
        io.iVersion = 2
        io.xClose = { _ in SQLITE_OK }
        io.xRead = { file, buffer, amount, offset in
            let image = DatabaseImageReader.from(file).bytes
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
            size!.pointee = Int64(DatabaseImageReader.from(file).bytes.count)
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
        // The WAL index (asked of the database file): this connection's alone, so every lock is granted; it
        // is freed with the connection.
        io.xShmMap = { file, region, size, _, out in
            let image = DatabaseImageReader.from(file)
            while image.index.count <= Int(region) {
                let memory = UnsafeMutableRawPointer.allocate(byteCount: Int(size), alignment: 8)
                memory.initializeMemory(as: UInt8.self, repeating: 0, count: Int(size))
                image.index.append(memory)
            }
            UnsafeMutableRawPointer(out!).assumingMemoryBound(to: UnsafeMutableRawPointer?.self).pointee = image.index[Int(region)]
            return SQLITE_OK
        }
        io.xShmLock = { _, _, _, _ in SQLITE_OK }
        io.xShmBarrier = { _ in }
        io.xShmUnmap = { file, _ in
            DatabaseImageReader.from(file).freeIndex()
            return SQLITE_OK
        }
        return io
    }
}

/// One of the reader's two files: the bytes SQLite reads through it, and for the database file the
/// connection's WAL index (heap memory, zeroed when mapped).
final class ImageFile {
    var bytes: [UInt8] = []
    var index: [UnsafeMutableRawPointer] = []

    func freeIndex() {
        for region in index { region.deallocate() }
        index = []
    }

    deinit { freeIndex() }
}

/// The thread-specific slot of `DatabaseImageReader.forThisThread`; a thread's reader goes when it ends.
private let readerKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { slot in
        if let slot { Unmanaged<DatabaseImageReader>.fromOpaque(slot).release() }
    }
    return key
}()
