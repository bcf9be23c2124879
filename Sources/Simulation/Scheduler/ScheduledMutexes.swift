import Core
import Podrt

/// Mutex segments as the scheduler hands them out: a blocking `lock` becomes try-lock-and-park, and the
/// scheduler learns who holds what for its wait-for graph.
final class ScheduledMutexSegments: ScheduledSeam<any MutexSegments>, MutexSegments {

    func create(_ path: String, mutexCount: Int, dataSize: Int) throws -> any MutexSegment {
        touch(path)
        return ScheduledMutexSegment(try inner.create(path, mutexCount: mutexCount, dataSize: dataSize), self)
    }

    func open(_ path: String) throws -> any MutexSegment {
        touch(path)
        return ScheduledMutexSegment(try inner.open(path), self)
    }

    func remove(_ path: String) throws {
        touch(path)
        try inner.remove(path)
    }
}

final class ScheduledMutexSegment: MutexSegment {
    let inner: any MutexSegment
    let owner: ScheduledMutexSegments

    init(_ inner: any MutexSegment, _ owner: ScheduledMutexSegments) {
        self.inner = inner
        self.owner = owner
    }

    var path: String { inner.path }
    var mutexCount: Int { inner.mutexCount }
    var dataSize: Int { inner.dataSize }

    func lock(_ index: Int) throws -> MutexAcquisition {
        let key = WaitKey.mutex(inner.path, index)
        if owner.process.holds[key] != nil { throw Errno.deadlock }
        while true {
            owner.touch(inner.path + "/#\(index)")
            if let acquisition = try inner.tryLock(index) {
                owner.scheduler.acquired(owner.process, key)
                return acquisition
            }
            try owner.scheduler.block(owner.process, on: key)
        }
    }

    func tryLock(_ index: Int) throws -> MutexAcquisition? {
        owner.touch(inner.path + "/#\(index)")
        let result = try inner.tryLock(index)
        if result != nil { owner.scheduler.acquired(owner.process, .mutex(inner.path, index)) }
        return result
    }

    func unlock(_ index: Int) throws {
        owner.touch(inner.path + "/#\(index)")
        try inner.unlock(index)
        owner.scheduler.released(owner.process, .mutex(inner.path, index))
    }

    func readData(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        owner.touch(inner.path + "/#data")
        try inner.readData(at: offset, into: buffer)
    }

    func writeData(at offset: Int, _ bytes: UnsafeRawBufferPointer) throws {
        owner.touch(inner.path + "/#data")
        try inner.writeData(at: offset, bytes)
    }

    func close() {
        owner.touch(inner.path)
        inner.close()
    }
}


// ScheduledMutexSegment: used only by its process's thread.
extension ScheduledMutexSegment: @unchecked Sendable {}
