/// `flock(2)` on open file descriptions. A wait is the scheduler's (see `SimWorld.block`).
extension SimWorld {
    func flockFile(_ file: OpenFile, _ operation: FileLockOperation, wait: Bool, for process: SimProcess) throws {
        let node = file.inode
        if operation == .unlock {
            unlockFlock(file)
            return
        }
        if file.lockMode == operation { return }
        // Linux converts by dropping the old lock first; a failed conversion leaves none.
        if file.lockMode != .unlock { unlockFlock(file) }
        let exclusive = operation == .exclusive
        func free() -> Bool {
            if let holder = node.exclusiveHolder, holder !== file { return false }
            if exclusive && node.sharedHolders.contains(where: { $0 !== file }) { return false }
            return true
        }
        if !free() {
            guard wait else { throw Errno.wouldBlock }
            try block(until: free)
        }
        if exclusive {
            node.exclusiveHolder = file
        } else {
            node.sharedHolders.append(file)
        }
        file.lockMode = operation
    }

    func unlockFlock(_ file: OpenFile) {
        let node = file.inode
        if node.exclusiveHolder === file { node.exclusiveHolder = nil }
        node.sharedHolders.removeAll { $0 === file }
        file.lockMode = .unlock
    }
}
