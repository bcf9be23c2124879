import Core
import CSQLite
import Synchronization

/// One connection's WAL index (`xShmMap`, `xShmLock`, `xShmBarrier`, `xShmUnmap`), as SQLite's unix VFS
/// keeps it (os_unix.c, `unixOpenSharedMemory` to `unixShmUnmap`), over the seam:
/// - The index is the file `DATABASE-shm` beside the database, mapped shared in 32 KiB regions
///   (`FileSystem.mapShared`): on the host the real file, in SimFS memory every process of the machine sees.
///   It is never synced: it is no part of the database, and SQLite rebuilds it from the WAL.
/// - Its 8 locks (write, checkpoint, recover, 5 readers) are byte-range locks on bytes 120–127 of that file,
///   shared or exclusive, and byte 128 is the dead-man switch: the first connection to find nobody else
///   holding it takes it exclusive and truncates the file, so whatever a crash or a power cut left there is
///   rebuilt from the WAL; then it, like every later one, holds it shared while it has the index open. These
///   are the bytes and locks of os_unix.c, so a real SQLite program sharing the database shares the index.
/// - Each connection opens the file on its own descriptor, so its locks are its own (open-file-description
///   locks): unlike os_unix.c it needs no table of the process's connections.
/// - No lock waits: a conflict is SQLITE_BUSY and SQLite retries, sleeping through `xSleep`. Every lock is a
///   FileSystem call, so in simulation a scheduling point.
final class WALIndex {
    let fd: Descriptor
    let path: String
    var regions: [UnsafeMutableRawPointer] = []
    var regionSize = 0
    /// The slots this connection holds shared and exclusive (bit n: slot n).
    var shared: UInt16 = 0
    var exclusive: UInt16 = 0

    init(fd: Descriptor, path: String) {
        self.fd = fd
        self.path = path
    }

    /// The first lock byte (`UNIX_SHM_BASE`) and the dead-man switch (`UNIX_SHM_DMS`).
    static let firstLockByte: Int64 = 120
    static let deadManSwitch: Int64 = 128
    /// What os_unix.c truncates a reset index to (less than a header, so visibly not one).
    static let resetSize: Int64 = 3
    static let pageSize: Int64 = 4096
}

extension VFSFile {
    /// `xShmMap`: region `region` of `size` bytes (`nil` when it does not exist yet and `extend` is false).
    func mapIndex(_ region: Int, size: Int, extend: Bool, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> Int32 {
        out.pointee = nil
        if index == nil {
            let opened = vfs.attempt(IOError.shmOpen) { try openIndex() }
            guard opened == SQLITE_OK else { return opened }
        }
        guard let index else { return IOError.shmOpen }
        return vfs.attempt(IOError.shmMap) {
            if index.regions.count <= region {
                index.regionSize = size
                let needed = Int64(region + 1) * Int64(size)
                let current = try fileSystem.fstat(index.fd).size
                if current < needed {
                    guard extend else { return SQLITE_OK }
                    // As os_unix.c: one byte at the end of every new page, so a full disk fails here, not as
                    // SIGBUS at the first store into the mapping.
                    let zero: UInt8 = 0
                    for page in (current / WALIndex.pageSize)..<(needed / WALIndex.pageSize) {
                        _ = try withUnsafeBytes(of: zero) {
                            try fileSystem.pwrite(index.fd, $0, at: page * WALIndex.pageSize + WALIndex.pageSize - 1)
                        }
                    }
                }
                while index.regions.count <= region {
                    let offset = Int64(index.regions.count) * Int64(size)
                    index.regions.append(try fileSystem.mapShared(index.fd, offset: offset, length: size))
                }
            }
            out.pointee = index.regions[region]
            return SQLITE_OK
        }
    }

    /// Opens `DATABASE-shm` and holds its dead-man switch shared, resetting the file first when no other
    /// connection has it (os_unix.c's `unixLockSharedMemory`, with try-locks where it asks `F_GETLK`: an
    /// exclusive switch means nobody else has the index open; a shared one that fails means someone is
    /// resetting it right now, and SQLite is told BUSY and tries again).
    private func openIndex() throws -> Int32 {
        let path = self.path + "-shm"
        let fd = try fileSystem.open(path, [.readWrite, .create], permissions: FilePermissions(rawValue: 0o600))
        do {
            do {
                try fileSystem.lockRange(fd, .exclusive, start: WALIndex.deadManSwitch, length: 1)
                try fileSystem.ftruncate(fd, to: WALIndex.resetSize)
            } catch Errno.wouldBlock {}
            try fileSystem.lockRange(fd, .shared, start: WALIndex.deadManSwitch, length: 1)
        } catch {
            try closeKeepingKill(fd)
            if case Errno.wouldBlock = error { return SQLITE_BUSY }
            throw error
        }
        index = WALIndex(fd: fd, path: path)
        return SQLITE_OK
    }

    /// Closes `fd` after a failure; only a kill (no Errno) is worth more than the failure itself.
    private func closeKeepingKill(_ fd: Descriptor) throws {
        do { try fileSystem.close(fd) } catch is Errno {}
    }

    /// `xShmLock`: `count` slots from `offset`, shared (one slot) or exclusive, taken or let go.
    func lockIndex(_ offset: Int32, count: Int32, flags: Int32) -> Int32 {
        guard let index else { return IOError.shmLock }
        let mask = UInt16(truncatingIfNeeded: (1 << (offset + count)) - (1 << offset))
        let start = WALIndex.firstLockByte + Int64(offset)
        return vfs.attempt(IOError.shmLock) {
            do {
                if flags & SQLITE_SHM_UNLOCK != 0 {
                    guard (index.shared | index.exclusive) & mask != 0 else { return SQLITE_OK }
                    try fileSystem.lockRange(index.fd, .unlock, start: start, length: Int64(count))
                    index.shared &= ~mask
                    index.exclusive &= ~mask
                } else if flags & SQLITE_SHM_SHARED != 0 {
                    guard index.shared & mask == 0 else { return SQLITE_OK }
                    try fileSystem.lockRange(index.fd, .shared, start: start, length: Int64(count))
                    index.shared |= mask
                } else {
                    try fileSystem.lockRange(index.fd, .exclusive, start: start, length: Int64(count))
                    index.exclusive |= mask
                }
                return SQLITE_OK
            } catch Errno.wouldBlock {
                return SQLITE_BUSY
            }
        }
    }

    /// `xShmBarrier`: loads and stores before it complete before any after it. Processes see each other's
    /// stores in the mapping only through it and the locks, as on any machine.
    func indexBarrier() {
        atomicMemoryFence(ordering: .sequentiallyConsistent)
    }

    /// `xShmUnmap`: this connection lets go of the index (its mappings, then its descriptor and with it its
    /// locks); with `delete`, which SQLite asks only of the last connection, the file goes too.
    func unmapIndex(delete: Bool) -> Int32 {
        guard let index else { return SQLITE_OK }
        self.index = nil
        return vfs.attempt(IOError.shmUnmap) {
            var failure: (any Error)?
            for region in index.regions {
                do { try fileSystem.unmapShared(region, length: index.regionSize) } catch { failure = failure ?? error }
            }
            if delete {
                do { try fileSystem.unlink(index.path) } catch Errno.noSuchFileOrDirectory {} catch { failure = failure ?? error }
            }
            do { try fileSystem.close(index.fd) } catch { failure = failure ?? error }
            if let failure { throw failure }
            return SQLITE_OK
        }
    }
}
