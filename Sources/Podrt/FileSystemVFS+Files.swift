import Core
import CSQLite

/// One file SQLite opened through `FileSystemVFS`. SQLite's `sqlite3_file` block holds a pointer to it just
/// after the `pMethods` header.
final class VFSFile {
    unowned let vfs: FileSystemVFS
    let fd: Descriptor
    let path: String
    let deleteOnClose: Bool
    /// A new file's (or a journal's) directory entry is made durable at its first sync.
    var needsParentSync: Bool
    var lockLevel: Int32 = SQLITE_LOCK_NONE
    /// The WAL index, from the first `xShmMap` to `xShmUnmap` (the main database only).
    var index: WALIndex?

    init(vfs: FileSystemVFS, fd: Descriptor, path: String, deleteOnClose: Bool, created: Bool) {
        self.vfs = vfs
        self.fd = fd
        self.path = path
        self.deleteOnClose = deleteOnClose
        needsParentSync = created
    }

    var fileSystem: any FileSystem { vfs.machine.fileSystem }

    static func from(_ file: UnsafeMutablePointer<sqlite3_file>?) -> VFSFile {
        Unmanaged<VFSFile>.fromOpaque(RegisteredVFS.slot(file!).pointee!).takeUnretainedValue()
    }
}

extension FileSystemVFS {
    func open(_ name: String?, _ file: UnsafeMutablePointer<sqlite3_file>, _ flags: Int32,
              _ outFlags: UnsafeMutablePointer<Int32>?) -> Int32 {
        file.pointee.pMethods = nil
        let path = name ?? "/tmp/podrt-sqlite-\(String(machine.random.next(), radix: 16))"
        var options: OpenOptions = flags & SQLITE_OPEN_READWRITE != 0 ? .readWrite : .read
        if flags & SQLITE_OPEN_CREATE != 0 { options.insert(.create) }
        if flags & SQLITE_OPEN_EXCLUSIVE != 0 { options.insert(.exclusive) }
        return attempt(SQLITE_CANTOPEN) {
            let existed = try machine.fileSystem.exists(path)
            let fd = try machine.fileSystem.open(path, options, permissions: FilePermissions(rawValue: 0o600))
            // As os_unix.c's unixOpen (`syncDir`): a journal or WAL opened to be created, whether or not it
            // already exists, has its directory synced at its first sync. One left by a process killed before
            // that sync is otherwise never made durable, and a power cut that drops it while the database's
            // pages are half written leaves a malformed database (found by `bootsim selftest` as I6).
            let journal = flags & (SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL | SQLITE_OPEN_WAL) != 0
            let handle = VFSFile(vfs: self, fd: fd, path: path,
                                 deleteOnClose: name == nil || flags & SQLITE_OPEN_DELETEONCLOSE != 0,
                                 created: !existed || (journal && flags & SQLITE_OPEN_CREATE != 0))
            if injectedBugs.contains(.databaseWithoutDirectorySync) { handle.needsParentSync = false }  // BugInjection: no directory fsync
            RegisteredVFS.slot(file).pointee = UnsafeRawPointer(Unmanaged.passRetained(handle).toOpaque())
            file.pointee.pMethods = UnsafePointer(methods)
            outFlags?.pointee = flags
            return SQLITE_OK
        }
    }

    static func ioMethods() -> sqlite3_io_methods {
        var io = sqlite3_io_methods()
        io.iVersion = 2  // with the shared-memory calls WAL needs
        io.xClose = { file in
            let handle = VFSFile.from(file)
            Unmanaged.passUnretained(handle).release()
            _ = handle.unmapIndex(delete: false)  // SQLite unmaps first; this is for its error paths
            return handle.vfs.attempt(IOError.close) {
                try handle.fileSystem.close(handle.fd)
                if handle.deleteOnClose { try? handle.fileSystem.unlink(handle.path) }
                return SQLITE_OK
            }
        }
        io.xRead = { file, buffer, amount, offset in
            let handle = VFSFile.from(file)
            return handle.vfs.attempt(IOError.read) {
                let target = UnsafeMutableRawBufferPointer(start: buffer, count: Int(amount))
                var done = 0
                while done < target.count {
                    let count = try handle.fileSystem.pread(handle.fd, into: UnsafeMutableRawBufferPointer(rebasing: target[done...]),
                                                            at: offset + Int64(done))
                    if count == 0 { break }
                    done += count
                }
                guard done == target.count else {
                    UnsafeMutableRawBufferPointer(rebasing: target[done...]).initializeMemory(as: UInt8.self, repeating: 0)
                    return IOError.shortRead
                }
                return SQLITE_OK
            }
        }
        io.xWrite = { file, buffer, amount, offset in
            let handle = VFSFile.from(file)
            return handle.vfs.attempt(IOError.write) {
                let source = UnsafeRawBufferPointer(start: buffer, count: Int(amount))
                var done = 0
                while done < source.count {
                    let count = try handle.fileSystem.pwrite(handle.fd, UnsafeRawBufferPointer(rebasing: source[done...]),
                                                             at: offset + Int64(done))
                    guard count > 0 else { return IOError.write }
                    done += count
                }
                return SQLITE_OK
            }
        }
        io.xTruncate = { file, size in
            let handle = VFSFile.from(file)
            return handle.vfs.attempt(IOError.truncate) {
                try handle.fileSystem.ftruncate(handle.fd, to: size)
                return SQLITE_OK
            }
        }
        io.xSync = { file, _ in
            let handle = VFSFile.from(file)
            return handle.vfs.attempt(IOError.fsync) {
                try handle.fileSystem.fsync(handle.fd)
                if handle.needsParentSync {
                    try handle.vfs.syncParent(of: handle.path)
                    handle.needsParentSync = false
                }
                return SQLITE_OK
            }
        }
        io.xFileSize = { file, size in
            let handle = VFSFile.from(file)
            return handle.vfs.attempt(IOError.fstat) {
                size!.pointee = try handle.fileSystem.fstat(handle.fd).size
                return SQLITE_OK
            }
        }
        io.xLock = { file, level in VFSFile.from(file).lock(level) }
        io.xUnlock = { file, level in VFSFile.from(file).unlock(level) }
        io.xCheckReservedLock = { file, result in VFSFile.from(file).checkReservedLock(result!) }
        io.xFileControl = { _, _, _ in SQLITE_NOTFOUND }
        io.xSectorSize = { _ in 512 }
        // As SQLite's unix VFS says of Linux file systems: a write never changes bytes outside its range,
        // even when the power fails (SimFS tears whole 512-byte sectors, old or new), so WAL frames need no
        // padding to a sector.
        io.xDeviceCharacteristics = { _ in SQLITE_IOCAP_POWERSAFE_OVERWRITE }
        io.xShmMap = { file, region, size, extend, out in
            VFSFile.from(file).mapIndex(Int(region), size: Int(size), extend: extend != 0,
                                        UnsafeMutableRawPointer(out!).assumingMemoryBound(to: UnsafeMutableRawPointer?.self))
        }
        io.xShmLock = { file, offset, count, flags in VFSFile.from(file).lockIndex(offset, count: count, flags: flags) }
        io.xShmBarrier = { file in VFSFile.from(file).indexBarrier() }
        io.xShmUnmap = { file, delete in VFSFile.from(file).unmapIndex(delete: delete != 0) }
        return io
    }
}
