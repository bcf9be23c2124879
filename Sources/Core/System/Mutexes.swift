/// How a mutex was taken.
public enum MutexAcquisition: Hashable, Sendable {
    /// Taken normally.
    case acquired
    /// The previous owner died holding it (`EOWNERDEAD`). The caller now owns it and it has been made
    /// consistent again; whatever it protected may be half-updated.
    case ownerDied
}

/// A named segment of process-shared, robust mutexes plus a small shared data area: the substrate of the
/// SHM lock manager. On the real OS it is a file in `/dev/shm` mapped `MAP_SHARED`, holding
/// `pthread_mutex_t`s; in simulation it is an entry in the machine's lock table.
public protocol MutexSegment: AnyObject, Sendable {
    /// The path the segment was created or opened at.
    var path: String { get }
    /// The number of mutexes, fixed at creation.
    var mutexCount: Int { get }
    /// The size of the shared data area in bytes, fixed at creation.
    var dataSize: Int { get }

    /// Blocks until mutex `index` is taken (`pthread_mutex_lock`). EINVAL for an index out of range,
    /// EDEADLK when the caller already holds it.
    func lock(_ index: Int) throws -> MutexAcquisition
    /// `pthread_mutex_trylock`: nil when another owner holds it; EDEADLK when the caller already holds it.
    func tryLock(_ index: Int) throws -> MutexAcquisition?
    /// `pthread_mutex_unlock`; EPERM when the caller does not hold it.
    func unlock(_ index: Int) throws

    /// Reads the shared data area. Callers serialise access with one of the mutexes.
    func readData(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws
    /// Writes the shared data area.
    func writeData(at offset: Int, _ bytes: UnsafeRawBufferPointer) throws

    /// Unmaps the segment from this process. Mutexes it holds stay held.
    func close()
}

/// Creates, opens and removes mutex segments.
public protocol MutexSegments: AnyObject, Sendable {
    /// Creates a segment at `path` (mode 0600, `O_CREAT|O_EXCL`): EEXIST if one is there. The data area
    /// starts zeroed and every mutex unlocked.
    func create(_ path: String, mutexCount: Int, dataSize: Int) throws -> any MutexSegment
    /// Opens an existing segment: ENOENT if there is none, EBADMSG if the file is not a segment of this layout.
    func open(_ path: String) throws -> any MutexSegment
    /// Removes the segment's name (`shm_unlink`). Processes that have it open keep using it.
    func remove(_ path: String) throws
}
