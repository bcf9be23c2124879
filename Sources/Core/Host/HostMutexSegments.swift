import Glibc

/// Mutex segments as files (in `/dev/shm` on a real machine) under an optional root, like `HostFileSystem`.
public final class HostMutexSegments: MutexSegments {
    let files: HostFileSystem

    public init(root: String = "/") {
        files = HostFileSystem(root: root)
    }

    /// The root the segment paths are under.
    public var root: String { files.root }

    /// `open(O_CREAT|O_EXCL, 0600)`, `fchmod(0600)` whatever the umask, `ftruncate`, `mmap(MAP_SHARED)`;
    /// then every mutex is initialised and the header written, its magic last. A failure removes the file.
    public func create(_ path: String, mutexCount: Int, dataSize: Int) throws -> any MutexSegment {
        guard mutexCount >= 0, dataSize >= 0, mutexCount <= Int(Int32.max), dataSize <= Int(Int32.max) else {
            throw Errno.invalidArgument
        }
        let layout = MutexSegmentLayout(mutexCount: mutexCount, dataSize: dataSize)
        let fd = try files.openDescriptor(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
        defer { try? Syscall.close(fd) }
        do {
            try Syscall.fchmod(fd, 0o600)
            try Syscall.ftruncate(fd, Int64(layout.totalSize))
            let segment = try HostMutexSegment(path: path, fd: fd, layout: layout)
            try segment.initialiseMutexes()
            layout.writeHeader(to: segment.base)
            MutexSegmentLayout.writeMagic(to: segment.base)
            return segment
        } catch {
            try? files.unlink(path)
            throw error
        }
    }

    /// Opens, checks the layout (EBADMSG when it is not a segment of this layout) and maps the segment.
    public func open(_ path: String) throws -> any MutexSegment {
        let fd = try files.openDescriptor(path, O_RDWR)
        defer { try? Syscall.close(fd) }
        let size = try Syscall.fstat(fd).st_size
        let layout = try MutexSegmentLayout.read(from: fd, fileSize: Int(size))
        return try HostMutexSegment(path: path, fd: fd, layout: layout)
    }

    /// `unlink(2)` of the segment file, as `shm_unlink(3)` does.
    public func remove(_ path: String) throws {
        try files.unlink(path)
    }
}
