/// `fcntl(F_OFD_SETLK)` byte-range locks, owned by open file descriptions as Linux's OFD locks are. They
/// never wait (SQLite's locks do not: it retries through its busy handler, whose sleeps are the scheduler's),
/// so a conflict is EWOULDBLOCK at once. Every call is a scheduling point like any other FileSystem call.
/// They are kept beside the inode, not in snapshots, and go with the processes at a reboot.
struct RangeLock {
    let owner: OpenFile
    var start: Int64
    /// One past the last byte; `Int64.max` for a lock to the end of any file (length 0).
    var end: Int64
    var exclusive: Bool
}

extension SimWorld {
    func lockRange(_ file: OpenFile, _ operation: FileLockOperation, start: Int64, length: Int64) throws {
        let node = file.inode
        guard start >= 0, length >= 0 else { throw Errno.invalidArgument }
        let (sum, overflow) = start.addingReportingOverflow(length)
        if overflow { throw Errno.overflow }
        let end = length == 0 ? Int64.max : sum
        switch operation {
        case .shared: guard file.readable else { throw Errno.badFileDescriptor }
        case .exclusive: guard file.writable else { throw Errno.badFileDescriptor }
        case .unlock: break
        }
        if operation != .unlock {
            let exclusive = operation == .exclusive
            for lock in node.rangeLocks where lock.owner !== file && lock.start < end && start < lock.end {
                if exclusive || lock.exclusive { throw Errno.wouldBlock }
            }
        }
        // The description's own locks over the range give way to the new one (POSIX replaces, splitting).
        var kept: [RangeLock] = []
        kept.reserveCapacity(node.rangeLocks.count + 2)
        for lock in node.rangeLocks {
            guard lock.owner === file, lock.start < end, start < lock.end else {
                kept.append(lock)
                continue
            }
            if lock.start < start { kept.append(RangeLock(owner: file, start: lock.start, end: start, exclusive: lock.exclusive)) }
            if end < lock.end { kept.append(RangeLock(owner: file, start: end, end: lock.end, exclusive: lock.exclusive)) }
        }
        if operation != .unlock {
            kept.append(RangeLock(owner: file, start: start, end: end, exclusive: operation == .exclusive))
        }
        node.rangeLocks = kept
    }

    /// The description is gone: its range locks go with it.
    func unlockRanges(_ file: OpenFile) {
        file.inode.rangeLocks.removeAll { $0.owner === file }
    }
}
