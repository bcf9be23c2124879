import CSQLite
import Core

/// One file SQLite opened through a `FileSystemVFS`; it lives behind the `sqlite3_file` header.
final class VFSFile {
    let owner: FileSystemVFS
    let fd: Descriptor
    let path: String
    let deleteOnClose: Bool
    /// A newly created journal: its first sync also syncs its directory (as SQLite's unix VFS does).
    var syncDirectory: Bool
    var level: Int32 = SQLITE_LOCK_NONE

    init(owner: FileSystemVFS, fd: Descriptor, path: String, deleteOnClose: Bool, syncDirectory: Bool) {
        self.owner = owner
        self.fd = fd
        self.path = path
        self.deleteOnClose = deleteOnClose
        self.syncDirectory = syncDirectory
    }

    var fs: any FileSystem { owner.machine.fileSystem }

    static func from(_ file: UnsafeMutablePointer<sqlite3_file>?) -> VFSFile {
        let slot = UnsafeMutableRawPointer(file!) + MemoryLayout<sqlite3_file>.stride
        return Unmanaged<VFSFile>.fromOpaque(slot.load(as: UnsafeMutableRawPointer.self)).takeUnretainedValue()
    }

    /// The io methods table, shared by every file (version 1: no WAL shared memory, no mmap).
    nonisolated(unsafe) static let methods: UnsafeMutablePointer<sqlite3_io_methods> = {
        let methods = UnsafeMutablePointer<sqlite3_io_methods>.allocate(capacity: 1)
        methods.initialize(to: sqlite3_io_methods())
        methods.pointee.iVersion = 1
        methods.pointee.xClose = { file in
            let slot = UnsafeMutableRawPointer(file!) + MemoryLayout<sqlite3_file>.stride
            let handle = Unmanaged<VFSFile>.fromOpaque(slot.load(as: UnsafeMutableRawPointer.self)).takeRetainedValue()
            handle.owner.locks.unlock(handle.path, ObjectIdentifier(handle), to: SQLITE_LOCK_NONE)
            var rc = SQLITE_OK
            do { try handle.fs.close(handle.fd) } catch { rc = handle.owner.code(error, FileSystemVFS.ioerr(16)) }
            if handle.deleteOnClose { try? handle.fs.unlink(handle.path) }
            return rc
        }
        methods.pointee.xRead = { file, buffer, amount, offset in
            let handle = VFSFile.from(file)
            let target = UnsafeMutableRawBufferPointer(start: buffer, count: Int(amount))
            do {
                var done = 0
                while done < target.count {
                    let count = try handle.fs.pread(handle.fd, into: UnsafeMutableRawBufferPointer(rebasing: target[done...]),
                                                    at: offset + Int64(done))
                    if count == 0 { break }
                    done += count
                }
                if done < target.count {
                    UnsafeMutableRawBufferPointer(rebasing: target[done...]).initializeMemory(as: UInt8.self, repeating: 0)
                    return FileSystemVFS.ioerr(2)  // SQLITE_IOERR_SHORT_READ
                }
                return SQLITE_OK
            } catch {
                return handle.owner.code(error, FileSystemVFS.ioerr(1))
            }
        }
        methods.pointee.xWrite = { file, buffer, amount, offset in
            let handle = VFSFile.from(file)
            let source = UnsafeRawBufferPointer(start: buffer, count: Int(amount))
            do {
                var done = 0
                while done < source.count {
                    done += try handle.fs.pwrite(handle.fd, UnsafeRawBufferPointer(rebasing: source[done...]),
                                                 at: offset + Int64(done))
                }
                return SQLITE_OK
            } catch {
                return handle.owner.code(error, FileSystemVFS.ioerr(3))
            }
        }
        methods.pointee.xTruncate = { file, size in
            let handle = VFSFile.from(file)
            do { try handle.fs.ftruncate(handle.fd, to: size); return SQLITE_OK }
            catch { return handle.owner.code(error, FileSystemVFS.ioerr(6)) }
        }
        methods.pointee.xSync = { file, flags in
            let handle = VFSFile.from(file)
            do {
                if flags & 0x10 != 0 { try handle.fs.fdatasync(handle.fd) } else { try handle.fs.fsync(handle.fd) }
                if handle.syncDirectory {
                    try handle.owner.syncDirectory(of: handle.path)
                    handle.syncDirectory = false
                }
                return SQLITE_OK
            } catch {
                return handle.owner.code(error, FileSystemVFS.ioerr(4))
            }
        }
        methods.pointee.xFileSize = { file, size in
            let handle = VFSFile.from(file)
            do { size?.pointee = try handle.fs.fstat(handle.fd).size; return SQLITE_OK }
            catch { return handle.owner.code(error, FileSystemVFS.ioerr(7)) }
        }
        methods.pointee.xLock = { file, wanted in
            let handle = VFSFile.from(file)
            guard wanted > handle.level else { return SQLITE_OK }
            let (level, busy) = handle.owner.locks.lock(handle.path, ObjectIdentifier(handle), from: handle.level, to: wanted)
            handle.level = level
            return busy ? SQLITE_BUSY : SQLITE_OK
        }
        methods.pointee.xUnlock = { file, wanted in
            let handle = VFSFile.from(file)
            guard wanted < handle.level else { return SQLITE_OK }
            handle.owner.locks.unlock(handle.path, ObjectIdentifier(handle), to: wanted)
            handle.level = wanted
            return SQLITE_OK
        }
        methods.pointee.xCheckReservedLock = { file, result in
            let handle = VFSFile.from(file)
            result?.pointee = handle.owner.locks.reservedHeld(handle.path) ? 1 : 0
            return SQLITE_OK
        }
        methods.pointee.xFileControl = { _, _, _ in SQLITE_NOTFOUND }
        methods.pointee.xSectorSize = { _ in 512 }
        methods.pointee.xDeviceCharacteristics = { _ in 0 }
        return methods
    }()
}
