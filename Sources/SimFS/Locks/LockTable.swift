/// One process-shared mutex in the lock table.
final class MutexState {
    var owner: SimProcess?
    /// The last owner died holding it: the next locker gets `.ownerDied`.
    var ownerDied = false
}

/// A mutex segment: tied to the inode of its file (in `/dev/shm` normally), with side storage for the
/// mutexes and the data area. It vanishes with the inode (at a reboot, as tmpfs is wiped).
final class SegmentState {
    let inode: UInt64
    let mutexes: [MutexState]
    var data: [UInt8]

    init(inode: UInt64, mutexCount: Int, dataSize: Int) {
        self.inode = inode
        self.mutexes = (0..<mutexCount).map { _ in MutexState() }
        self.data = [UInt8](repeating: 0, count: dataSize)
    }
}

// Segment handles of several processes share one state; it is only touched under the world lock.
extension SegmentState: @unchecked Sendable {}
