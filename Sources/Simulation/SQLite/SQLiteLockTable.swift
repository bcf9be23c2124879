import CSQLite

/// The SQLite lock levels of every database file of one simulated machine (what the kernel's fcntl locks
/// are for SQLite's unix VFS). Only the process holding the scheduler's baton touches it.
final class SQLiteLockTable {
    final class FileLocks {
        var shared: Set<ObjectIdentifier> = []
        var reserved: ObjectIdentifier?
        var pending: ObjectIdentifier?
        var exclusive: ObjectIdentifier?
    }

    private var files: [String: FileLocks] = [:]

    /// A reboot: no process holds anything.
    func reset() { files = [:] }

    private func locks(_ path: String) -> FileLocks {
        if let existing = files[path] { return existing }
        let created = FileLocks()
        files[path] = created
        return created
    }

    /// Raises `handle`'s level on `path` from `level` to `wanted`; returns the new level, or nil for SQLITE_BUSY
    /// (a failed EXCLUSIVE keeps PENDING, so new readers stay out, as in SQLite's unix VFS).
    func lock(_ path: String, _ handle: ObjectIdentifier, from level: Int32, to wanted: Int32) -> (Int32, busy: Bool) {
        let file = locks(path)
        func other(_ owner: ObjectIdentifier?) -> Bool { owner != nil && owner != handle }
        switch wanted {
        case SQLITE_LOCK_SHARED:
            if other(file.pending) || other(file.exclusive) { return (level, true) }
            file.shared.insert(handle)
            return (SQLITE_LOCK_SHARED, false)
        case SQLITE_LOCK_RESERVED:
            if other(file.reserved) || other(file.pending) || other(file.exclusive) { return (level, true) }
            file.reserved = handle
            return (SQLITE_LOCK_RESERVED, false)
        default:
            if other(file.pending) || other(file.exclusive) { return (level, true) }
            file.pending = handle
            if file.shared.contains(where: { $0 != handle }) { return (SQLITE_LOCK_PENDING, true) }
            file.exclusive = handle
            file.pending = nil
            return (SQLITE_LOCK_EXCLUSIVE, false)
        }
    }

    func unlock(_ path: String, _ handle: ObjectIdentifier, to level: Int32) {
        guard let file = files[path] else { return }
        if level <= SQLITE_LOCK_SHARED {
            if file.reserved == handle { file.reserved = nil }
            if file.pending == handle { file.pending = nil }
            if file.exclusive == handle { file.exclusive = nil }
        }
        if level == SQLITE_LOCK_NONE { file.shared.remove(handle) }
    }

    /// Whether any handle holds RESERVED or more (a hot journal is not hot while someone writes).
    func reservedHeld(_ path: String) -> Bool {
        guard let file = files[path] else { return false }
        return file.reserved != nil || file.pending != nil || file.exclusive != nil
    }
}

// SQLiteLockTable: touched only by the running simulated process.
extension SQLiteLockTable: @unchecked Sendable {}
