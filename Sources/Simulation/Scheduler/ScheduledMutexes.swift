import Core
import Podrt

/// Mutex segments as the scheduler hands them out: a blocking `lock` becomes try-lock-and-park, and the
/// scheduler learns who holds what for its wait-for graph.
final class ScheduledMutexSegments: ScheduledSeam<any MutexSegments>, MutexSegments {

    func create(_ path: String, mutexCount: Int, dataSize: Int) throws -> any MutexSegment {
        ScheduledMutexSegment(try inner.create(path, mutexCount: mutexCount, dataSize: dataSize), self)
    }

    func open(_ path: String) throws -> any MutexSegment { ScheduledMutexSegment(try inner.open(path), self) }

    func remove(_ path: String) throws { try inner.remove(path) }
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
            if let acquisition = try inner.tryLock(index) {
                owner.scheduler.acquired(owner.process, key)
                return acquisition
            }
            try owner.scheduler.block(owner.process, on: key)
        }
    }

    func tryLock(_ index: Int) throws -> MutexAcquisition? {
        let result = try inner.tryLock(index)
        if result != nil { owner.scheduler.acquired(owner.process, .mutex(inner.path, index)) }
        return result
    }

    func unlock(_ index: Int) throws {
        try inner.unlock(index)
        owner.scheduler.released(owner.process, .mutex(inner.path, index))
    }

    func readData(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        try inner.readData(at: offset, into: buffer)
    }

    func writeData(at offset: Int, _ bytes: UnsafeRawBufferPointer) throws { try inner.writeData(at: offset, bytes) }

    func close() { inner.close() }
}


// ScheduledMutexSegment: used only by its process's thread.
extension ScheduledMutexSegment: @unchecked Sendable {}
