import Core
import Synchronization

/// Locks as files `<dir>/<id>` (podman's file manager): a file exists while its number is allocated, and
/// locking takes an exclusive `flock` on it, which the kernel drops when the holder dies.
public final class FileLockManager: LockManager {
    public let fileSystem: any FileSystem
    public let directory: String
    public var type: LockType { .file }
    public var capacity: UInt32? { nil }

    public init(fileSystem: any FileSystem, directory: String) throws {
        self.fileSystem = fileSystem
        self.directory = directory
        try fileSystem.makeDirectories(directory, permissions: FilePermissions(rawValue: 0o711))
    }

    private func path(_ id: UInt32) -> String { "\(directory)/\(id)" }

    public func allocated() throws -> [UInt32] {
        try fileSystem.readdir(directory).compactMap { UInt32($0.name) }.sorted()
    }

    public func allocate() throws -> UInt32 {
        while true {
            var candidate: UInt32 = 0
            for id in try allocated() {
                if id != candidate { break }
                candidate += 1
            }
            do {
                try allocateGiven(candidate)
                return candidate
            } catch LockError.alreadyAllocated {
                continue  // another process took it between the listing and the create
            }
        }
    }

    public func allocateGiven(_ id: UInt32) throws {
        do {
            let fd = try fileSystem.open(path(id), [.write, .create, .exclusive],
                                         permissions: FilePermissions(rawValue: 0o644))
            try fileSystem.close(fd)
        } catch Errno.fileExists {
            throw LockError.alreadyAllocated(id)
        }
    }

    public func retrieve(_ id: UInt32) throws -> any ObjectLock {
        FileObjectLock(id: id, path: path(id), fileSystem: fileSystem)
    }

    public func free(_ id: UInt32) throws {
        do { try fileSystem.unlink(path(id)) } catch Errno.noSuchFileOrDirectory { throw LockError.notAllocated(id) }
    }

    public func freeAll() throws {
        for id in try allocated() {
            do { try fileSystem.unlink(path(id)) } catch Errno.noSuchFileOrDirectory {}
        }
    }

    public func available() throws -> UInt32? { nil }

    public func locksHeld() throws -> [UInt32] {
        try allocated().filter { id in
            let fd: Descriptor
            do { fd = try fileSystem.open(path(id), .read) } catch Errno.noSuchFileOrDirectory { return false }
            defer { try? fileSystem.close(fd) }
            do {
                try fileSystem.flock(fd, .exclusive, wait: false)
                return false
            } catch Errno.wouldBlock {
                return true
            }
        }
    }
}

/// One file lock; holds the open file while locked.
final class FileObjectLock: ObjectLock {
    let id: UInt32
    let path: String
    let fileSystem: any FileSystem
    private let held = Mutex<Descriptor?>(nil)

    init(id: UInt32, path: String, fileSystem: any FileSystem) {
        self.id = id
        self.path = path
        self.fileSystem = fileSystem
    }

    func lock() throws -> MutexAcquisition {
        let fd: Descriptor
        do { fd = try fileSystem.open(path, .readWrite) } catch Errno.noSuchFileOrDirectory {
            throw LockError.notAllocated(id)
        }
        do {
            try fileSystem.flock(fd, .exclusive, wait: true)
        } catch {
            try? fileSystem.close(fd)
            throw error
        }
        held.withLock { $0 = fd }
        return .acquired
    }

    func unlock() throws {
        guard let fd = held.withLock({ value -> Descriptor? in defer { value = nil }; return value }) else {
            throw Errno.notPermitted
        }
        try fileSystem.close(fd)
    }
}
