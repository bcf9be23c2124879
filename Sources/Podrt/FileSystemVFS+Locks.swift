import Core
import CSQLite

/// The database file's locks, as SQLite's unix VFS takes them (`unixLock`, `posixUnlock` in os_unix.c): byte
/// ranges of the file, far past any data. SHARED is a read lock on the 510-byte shared range (taken while a
/// read lock on the pending byte keeps new readers from slipping past a writer waiting for EXCLUSIVE),
/// RESERVED a write lock on the reserved byte, PENDING one on the pending byte, EXCLUSIVE a write lock on the
/// shared range. The locks are open-file-description locks (`FileSystem.lockRange`), so two connections in
/// one process exclude each other as two processes do, and real SQLite programs (the `sqlite3` shell) see
/// podrt's locks and podrt theirs. None waits: a conflict is SQLITE_BUSY, and SQLite retries through its
/// busy handler (its sleeps are `xSleep`, the machine's clock).
enum DatabaseLockBytes {
    static let pending: Int64 = 0x4000_0000
    static let reserved: Int64 = pending + 1
    static let sharedFirst: Int64 = pending + 2
    static let sharedSize: Int64 = 510
}

extension VFSFile {
    /// `xLock`: raises the lock to `level` (SHARED, RESERVED or EXCLUSIVE; SQLite asks for PENDING only
    /// through EXCLUSIVE). A failed EXCLUSIVE may leave PENDING held, as in os_unix.c.
    func lock(_ level: Int32) -> Int32 {
        if lockLevel >= level { return SQLITE_OK }
        return vfs.attempt(IOError.lock) {
            do {
                try raiseLock(to: level)
                lockLevel = level
                return SQLITE_OK
            } catch Errno.wouldBlock {
                return SQLITE_BUSY
            }
        }
    }

    private func raiseLock(to level: Int32) throws {
        typealias Bytes = DatabaseLockBytes
        if level == SQLITE_LOCK_SHARED {
            try fileSystem.lockRange(fd, .shared, start: Bytes.pending, length: 1)
            let shared = Result { try fileSystem.lockRange(fd, .shared, start: Bytes.sharedFirst, length: Bytes.sharedSize) }
            try fileSystem.lockRange(fd, .unlock, start: Bytes.pending, length: 1)
            return try shared.get()
        }
        if level == SQLITE_LOCK_EXCLUSIVE && lockLevel == SQLITE_LOCK_RESERVED {
            try fileSystem.lockRange(fd, .exclusive, start: Bytes.pending, length: 1)
            lockLevel = SQLITE_LOCK_PENDING
        }
        if level == SQLITE_LOCK_RESERVED {
            try fileSystem.lockRange(fd, .exclusive, start: Bytes.reserved, length: 1)
        } else {
            try fileSystem.lockRange(fd, .exclusive, start: Bytes.sharedFirst, length: Bytes.sharedSize)
        }
    }

    /// `xUnlock`: down to SHARED (the shared range read-locked again, the pending and reserved bytes freed)
    /// or NONE (everything freed).
    func unlock(_ level: Int32) -> Int32 {
        if lockLevel <= level { return SQLITE_OK }
        typealias Bytes = DatabaseLockBytes
        return vfs.attempt(IOError.unlock) {
            if level == SQLITE_LOCK_SHARED {
                try fileSystem.lockRange(fd, .shared, start: Bytes.sharedFirst, length: Bytes.sharedSize)
                try fileSystem.lockRange(fd, .unlock, start: Bytes.pending, length: 2)
            } else {
                try fileSystem.lockRange(fd, .unlock, start: 0, length: 0)
            }
            lockLevel = level
            return SQLITE_OK
        }
    }

    /// `xCheckReservedLock`: whether any connection holds RESERVED or more. os_unix.c asks `F_GETLK`; the seam
    /// has only set-lock, so this tries a read lock on the reserved byte and lets it go (a writer taking
    /// RESERVED at that instant gets SQLITE_BUSY and retries). SQLite asks only when it finds a rollback
    /// journal, which the WAL database never has.
    func checkReservedLock(_ result: UnsafeMutablePointer<Int32>) -> Int32 {
        if lockLevel >= SQLITE_LOCK_RESERVED {
            result.pointee = 1
            return SQLITE_OK
        }
        return vfs.attempt(IOError.checkreservedlock) {
            do {
                try fileSystem.lockRange(fd, .shared, start: DatabaseLockBytes.reserved, length: 1)
                try fileSystem.lockRange(fd, .unlock, start: DatabaseLockBytes.reserved, length: 1)
                result.pointee = 0
            } catch Errno.wouldBlock {
                result.pointee = 1
            }
            return SQLITE_OK
        }
    }
}
