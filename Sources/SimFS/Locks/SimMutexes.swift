/// `MutexSegments` for one simulated process. A segment is a file in SimFS (normally in `/dev/shm`, so it
/// vanishes at a reboot) created `O_EXCL` with mode 0600; the mutexes and the data area are side storage
/// keyed by the file's inode.
final class SimMutexSegments: ProcessSeam, MutexSegments {

    func create(_ path: String, mutexCount: Int, dataSize: Int) throws -> any MutexSegment {
        let state = try world.perform(process, .segmentCreate, path) { () throws -> SegmentState in
            if mutexCount <= 0 || dataSize < 0 { throw Errno.invalidArgument }
            let fd = try world.openFile(path, [.readWrite, .create, .exclusive],
                                        permissions: FilePermissions(rawValue: 0o600), for: process)
            let file = process.file(fd)!
            try world.truncateFile(file.inode, to: Int64(dataSize), always: true, by: process)
            let state = SegmentState(inode: file.inode.id, mutexCount: mutexCount, dataSize: dataSize)
            world.segments[file.inode.id] = state
            world.closeFile(fd, for: process)
            return state
        }
        return SimMutexSegment(world: world, process: process, state: state, path: path)
    }

    func open(_ path: String) throws -> any MutexSegment {
        let state = try world.perform(process, .segmentOpen, path) { () throws -> SegmentState in
            let node = try world.existing(path, follow: true, for: process)
            if node.kind == .directory { throw Errno.isDirectory }
            guard let state = world.segments[node.id] else { throw Errno.badMessage }
            return state
        }
        return SimMutexSegment(world: world, process: process, state: state, path: path)
    }

    func remove(_ path: String) throws {
        try world.perform(process, .segmentRemove, path) {
            try world.unlinkFile(path, for: process)
        }
    }
}

/// One process's handle on a mutex segment.
final class SimMutexSegment: MutexSegment {
    let world: SimWorld
    let process: SimProcess
    let state: SegmentState
    let path: String
    let mutexCount: Int
    let dataSize: Int

    init(world: SimWorld, process: SimProcess, state: SegmentState, path: String) {
        self.world = world
        self.process = process
        self.state = state
        self.path = path
        self.mutexCount = state.mutexes.count
        self.dataSize = state.data.count
    }

    private func mutex(_ index: Int) throws -> MutexState {
        guard index >= 0 && index < mutexCount else { throw Errno.invalidArgument }
        return state.mutexes[index]
    }

    func lock(_ index: Int) throws -> MutexAcquisition {
        try world.perform(process, .mutexLock, path, "\(index)") {
            let mutex = try self.mutex(index)
            if mutex.owner === process { throw Errno.deadlock }
            try world.block { mutex.owner == nil }
            return take(mutex)
        }
    }

    func tryLock(_ index: Int) throws -> MutexAcquisition? {
        try world.perform(process, .mutexTryLock, path, "\(index)") {
            let mutex = try self.mutex(index)
            // glibc's robust error-checking mutexes answer a relock by the owner with EDEADLK, try or not.
            if mutex.owner === process { throw Errno.deadlock }
            guard mutex.owner == nil else { return nil }
            return take(mutex)
        }
    }

    private func take(_ mutex: MutexState) -> MutexAcquisition {
        mutex.owner = process
        process.heldMutexes.append(mutex)
        if mutex.ownerDied {
            mutex.ownerDied = false
            return .ownerDied
        }
        return .acquired
    }

    func unlock(_ index: Int) throws {
        try world.perform(process, .mutexUnlock, path, "\(index)") {
            let mutex = try self.mutex(index)
            guard mutex.owner === process else { throw Errno.notPermitted }
            mutex.owner = nil
            process.heldMutexes.removeAll { $0 === mutex }
        }
    }

    func readData(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        try world.perform(process, .segmentRead, path) {
            guard offset >= 0, offset + buffer.count <= dataSize else { throw Errno.invalidArgument }
            if buffer.count == 0 { return }
            state.data.withUnsafeBytes { bytes in
                buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: buffer.count)
            }
        }
    }

    func writeData(at offset: Int, _ bytes: UnsafeRawBufferPointer) throws {
        try world.perform(process, .segmentWrite, path) {
            guard offset >= 0, offset + bytes.count <= dataSize else { throw Errno.invalidArgument }
            if bytes.count == 0 { return }
            state.data.withUnsafeMutableBytes { target in
                (target.baseAddress! + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            }
        }
    }

    func close() {
        _ = try? world.perform(process, .segmentClose, path) {}
    }
}
