import Glibc
import Synchronization

/// One mapped mutex segment: a header, the data area, and robust, process-shared, error-checking
/// `pthread_mutex_t`s (so a relock is EDEADLK, an unlock by a non-owner EPERM, and an owner's death
/// EOWNERDEAD for the next locker).
public final class HostMutexSegment: MutexSegment {
    public let path: String
    public let mutexCount: Int
    public let dataSize: Int
    let base: UnsafeMutableRawPointer
    let layout: MutexSegmentLayout
    private let closed = Atomic<Bool>(false)

    /// `mmap(MAP_SHARED)` of the whole file behind `fd`.
    init(path: String, fd: Int32, layout: MutexSegmentLayout) throws {
        guard let address = mmap(nil, layout.totalSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0),
            address != MAP_FAILED
        else { throw Errno(rawValue: errno) }
        self.path = path
        self.mutexCount = layout.mutexCount
        self.dataSize = layout.dataSize
        self.base = address
        self.layout = layout
    }

    deinit { close() }

    /// `munmap(2)`; once only. Mutexes held stay held.
    public func close() {
        if closed.exchange(true, ordering: .acquiringAndReleasing) { return }
        munmap(base, layout.totalSize)
    }

    /// `pthread_mutex_init` of every mutex with PROCESS_SHARED, ROBUST and ERRORCHECK.
    func initialiseMutexes() throws {
        var attributes = pthread_mutexattr_t()
        try Syscall.checking(pthread_mutexattr_init(&attributes))
        defer { pthread_mutexattr_destroy(&attributes) }
        try Syscall.checking(pthread_mutexattr_setpshared(&attributes, Int32(PTHREAD_PROCESS_SHARED)))
        try Syscall.checking(pthread_mutexattr_setrobust(&attributes, Int32(PTHREAD_MUTEX_ROBUST)))
        try Syscall.checking(pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ERRORCHECK)))
        for index in 0..<mutexCount {
            try Syscall.checking(pthread_mutex_init(mutex(index), &attributes))
        }
    }

    func mutex(_ index: Int) -> UnsafeMutablePointer<pthread_mutex_t> {
        (base + layout.mutexOffset + index * MutexSegmentLayout.mutexStride)
            .assumingMemoryBound(to: pthread_mutex_t.self)
    }

    /// The mutex at `index`; EBADF after `close()`, EINVAL out of range.
    private func checkedMutex(_ index: Int) throws -> UnsafeMutablePointer<pthread_mutex_t> {
        if closed.load(ordering: .acquiring) { throw Errno.badFileDescriptor }
        guard index >= 0, index < mutexCount else { throw Errno.invalidArgument }
        return mutex(index)
    }

    /// `pthread_mutex_lock`; EOWNERDEAD is made consistent (`pthread_mutex_consistent`) and reported.
    public func lock(_ index: Int) throws -> MutexAcquisition {
        let mutex = try checkedMutex(index)
        return try acquisition(mutex, pthread_mutex_lock(mutex))!
    }

    /// `pthread_mutex_trylock`; EBUSY is nil.
    public func tryLock(_ index: Int) throws -> MutexAcquisition? {
        let mutex = try checkedMutex(index)
        return try acquisition(mutex, pthread_mutex_trylock(mutex))
    }

    private func acquisition(_ mutex: UnsafeMutablePointer<pthread_mutex_t>, _ result: Int32) throws
        -> MutexAcquisition?
    {
        switch result {
        case 0: return .acquired
        case EBUSY: return nil
        case EOWNERDEAD:
            try Syscall.checking(pthread_mutex_consistent(mutex))
            return .ownerDied
        default: throw Errno(rawValue: result)
        }
    }

    /// `pthread_mutex_unlock`; EPERM when the calling thread does not hold it.
    public func unlock(_ index: Int) throws {
        try Syscall.checking(pthread_mutex_unlock(try checkedMutex(index)))
    }

    public func readData(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        try checkData(offset, buffer.count)
        if buffer.count > 0 { buffer.baseAddress!.copyMemory(from: base + layout.dataOffset + offset, byteCount: buffer.count) }
    }

    public func writeData(at offset: Int, _ bytes: UnsafeRawBufferPointer) throws {
        try checkData(offset, bytes.count)
        if bytes.count > 0 { (base + layout.dataOffset + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
    }

    /// EBADF after `close()`; EINVAL for a range outside the data area.
    private func checkData(_ offset: Int, _ count: Int) throws {
        if closed.load(ordering: .acquiring) { throw Errno.badFileDescriptor }
        guard offset >= 0, count >= 0, offset <= dataSize - count else { throw Errno.invalidArgument }
    }
}

// The segment is shared memory by design: the mapping is fixed from init to close, the pthread mutexes do
// their own synchronisation, callers serialise data-area access with those mutexes (as the protocol says),
// and `closed` is atomic.
extension HostMutexSegment: @unchecked Sendable {}
