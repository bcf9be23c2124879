import CSQLite
import Core
import Glibc

/// An SQLite VFS over one process's `Machine`: files through the FileSystem protocol (so power loss reaches
/// the database and its journal), locks in the machine's `SQLiteLockTable`, time, sleep and randomness from
/// the simulated clock and seed. One registration per process, under a unique name.
final class FileSystemVFS {
    let machine: Machine
    let locks: SQLiteLockTable
    private(set) var name = ""
    private var vfs: UnsafeMutablePointer<sqlite3_vfs>?
    private var nameStorage: UnsafeMutablePointer<CChar>?
    var temporaryCounter = 0
    /// Set once a call saw `ProcessKilled`: SQLite only hears SQLITE_IOERR.
    var killed = false

    init(machine: Machine, locks: SQLiteLockTable) {
        self.machine = machine
        self.locks = locks
    }

    /// Registers the VFS with SQLite (not as the default).
    func register() {
        name = "bootsim-\(UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque()))"
        let storage = strdup(name)!
        nameStorage = storage
        let vfs = UnsafeMutablePointer<sqlite3_vfs>.allocate(capacity: 1)
        vfs.initialize(to: sqlite3_vfs())
        vfs.pointee.iVersion = 2
        vfs.pointee.szOsFile = Int32(MemoryLayout<sqlite3_file>.stride + MemoryLayout<UnsafeRawPointer>.stride)
        vfs.pointee.mxPathname = 1024
        vfs.pointee.zName = UnsafePointer(storage)
        vfs.pointee.pAppData = Unmanaged.passUnretained(self).toOpaque()
        vfs.pointee.xOpen = vfsOpen
        vfs.pointee.xDelete = vfsDelete
        vfs.pointee.xAccess = vfsAccess
        vfs.pointee.xFullPathname = vfsFullPathname
        vfs.pointee.xRandomness = vfsRandomness
        vfs.pointee.xSleep = vfsSleep
        vfs.pointee.xCurrentTime = vfsCurrentTime
        vfs.pointee.xGetLastError = { _, _, _ in 0 }
        vfs.pointee.xCurrentTimeInt64 = vfsCurrentTimeInt64
        self.vfs = vfs
        sqlite3_vfs_register(vfs, 0)
    }

    /// Unregisters; the object must stay alive until then.
    func unregister() {
        guard let vfs else { return }
        sqlite3_vfs_unregister(vfs)
        vfs.deallocate()
        free(nameStorage)
        self.vfs = nil
    }

    static func from(_ vfs: UnsafeMutablePointer<sqlite3_vfs>?) -> FileSystemVFS {
        Unmanaged<FileSystemVFS>.fromOpaque(vfs!.pointee.pAppData!).takeUnretainedValue()
    }

    /// The SQLite result for a failed protocol call.
    func code(_ error: any Error, _ fallback: Int32) -> Int32 {
        if error is ProcessKilled { killed = true }
        if let errno = error as? Errno, errno == .noSpace { return SQLITE_FULL }
        return fallback
    }

    static func ioerr(_ extended: Int32) -> Int32 { SQLITE_IOERR | (extended << 8) }

    func parentDirectory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// fsync of the directory holding `path`, so a created or removed name is durable.
    func syncDirectory(of path: String) throws {
        let fs = machine.fileSystem
        let fd = try fs.open(parentDirectory(path), [.read, .directory])
        defer { try? fs.close(fd) }
        try fs.fsync(fd)
    }
}

private func vfsOpen(_ vfs: UnsafeMutablePointer<sqlite3_vfs>?, _ zName: sqlite3_filename?,
                     _ file: UnsafeMutablePointer<sqlite3_file>?, _ flags: Int32,
                     _ outFlags: UnsafeMutablePointer<Int32>?) -> Int32 {
    let owner = FileSystemVFS.from(vfs)
    file!.pointee.pMethods = nil
    var path: String
    var deleteOnClose = flags & SQLITE_OPEN_DELETEONCLOSE != 0
    if let zName {
        path = String(cString: zName)
    } else {
        owner.temporaryCounter += 1
        path = "/tmp/.sqlite-temporary-\(owner.temporaryCounter)"
        deleteOnClose = true
    }
    var options: OpenOptions = flags & SQLITE_OPEN_READWRITE != 0 ? [.read, .write] : [.read]
    if flags & SQLITE_OPEN_CREATE != 0 { options.insert(.create) }
    if flags & SQLITE_OPEN_EXCLUSIVE != 0 { options.insert(.exclusive) }
    do {
        let fd = try owner.machine.fileSystem.open(path, options, permissions: FilePermissions(rawValue: 0o644))
        let journal = flags & (SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL | SQLITE_OPEN_WAL) != 0
        let handle = VFSFile(owner: owner, fd: fd, path: path, deleteOnClose: deleteOnClose,
                             syncDirectory: journal && options.contains(.create))
        let slot = UnsafeMutableRawPointer(file!) + MemoryLayout<sqlite3_file>.stride
        slot.storeBytes(of: Unmanaged.passRetained(handle).toOpaque(), as: UnsafeMutableRawPointer.self)
        file!.pointee.pMethods = UnsafePointer(VFSFile.methods)
        outFlags?.pointee = flags
        return SQLITE_OK
    } catch {
        return owner.code(error, SQLITE_CANTOPEN)
    }
}

private func vfsDelete(_ vfs: UnsafeMutablePointer<sqlite3_vfs>?, _ zName: UnsafePointer<CChar>?, _ syncDir: Int32) -> Int32 {
    let owner = FileSystemVFS.from(vfs)
    let path = String(cString: zName!)
    do {
        try owner.machine.fileSystem.unlink(path)
        if syncDir != 0 { try owner.syncDirectory(of: path) }
        return SQLITE_OK
    } catch Errno.noSuchFileOrDirectory {
        return FileSystemVFS.ioerr(23)  // SQLITE_IOERR_DELETE_NOENT
    } catch {
        return owner.code(error, FileSystemVFS.ioerr(10))
    }
}

private func vfsAccess(_ vfs: UnsafeMutablePointer<sqlite3_vfs>?, _ zName: UnsafePointer<CChar>?, _ flags: Int32,
                       _ result: UnsafeMutablePointer<Int32>?) -> Int32 {
    let owner = FileSystemVFS.from(vfs)
    do {
        let status = try owner.machine.fileSystem.stat(String(cString: zName!))
        result?.pointee = (flags == SQLITE_ACCESS_EXISTS && status.kind == .regular && status.size == 0) ? 0 : 1
        return SQLITE_OK
    } catch Errno.noSuchFileOrDirectory {
        result?.pointee = 0
        return SQLITE_OK
    } catch {
        return owner.code(error, FileSystemVFS.ioerr(13))
    }
}

private func vfsFullPathname(_ vfs: UnsafeMutablePointer<sqlite3_vfs>?, _ zName: UnsafePointer<CChar>?, _ size: Int32,
                             _ out: UnsafeMutablePointer<CChar>?) -> Int32 {
    let length = strlen(zName!)
    guard length + 1 <= Int(size) else { return SQLITE_CANTOPEN }
    memcpy(out!, zName!, length + 1)
    return SQLITE_OK
}

private func vfsRandomness(_ vfs: UnsafeMutablePointer<sqlite3_vfs>?, _ count: Int32, _ out: UnsafeMutablePointer<CChar>?) -> Int32 {
    let owner = FileSystemVFS.from(vfs)
    var index = 0
    while index < Int(count) {
        var value = owner.machine.random.next()
        for _ in 0..<8 where index < Int(count) {
            out![index] = CChar(truncatingIfNeeded: value)
            value >>= 8
            index += 1
        }
    }
    return count
}

private func vfsSleep(_ vfs: UnsafeMutablePointer<sqlite3_vfs>?, _ microseconds: Int32) -> Int32 {
    let owner = FileSystemVFS.from(vfs)
    let clock = owner.machine.clock
    do {
        try clock.sleep(until: clock.monotonicNow().advanced(byNanoseconds: UInt64(max(microseconds, 0)) * 1000))
    } catch {
        _ = owner.code(error, 0)
    }
    return microseconds
}

private func vfsCurrentTimeInt64(_ vfs: UnsafeMutablePointer<sqlite3_vfs>?, _ out: UnsafeMutablePointer<sqlite3_int64>?) -> Int32 {
    let now = FileSystemVFS.from(vfs).machine.clock.wallNow()
    out?.pointee = 210_866_760_000_000 + now.seconds * 1000 + now.nanoseconds / 1_000_000
    return SQLITE_OK
}

private func vfsCurrentTime(_ vfs: UnsafeMutablePointer<sqlite3_vfs>?, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    var milliseconds: sqlite3_int64 = 0
    _ = vfsCurrentTimeInt64(vfs, &milliseconds)
    out?.pointee = Double(milliseconds) / 86_400_000
    return SQLITE_OK
}

// FileSystemVFS: used only by its process's thread.
extension FileSystemVFS: @unchecked Sendable {}
