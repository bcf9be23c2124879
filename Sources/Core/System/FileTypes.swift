@_exported import SystemPackage

/// An open file in one `FileSystem`. The number means nothing outside the file system that issued it.
public struct Descriptor: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public var description: String { "fd \(rawValue)" }
}

/// The flags of `open(2)` that Core uses. Access is `.read`, `.write` or both.
public struct OpenOptions: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let read = OpenOptions(rawValue: 1 << 0)
    public static let write = OpenOptions(rawValue: 1 << 1)
    public static let create = OpenOptions(rawValue: 1 << 2)      // O_CREAT
    public static let exclusive = OpenOptions(rawValue: 1 << 3)   // O_EXCL
    public static let truncate = OpenOptions(rawValue: 1 << 4)    // O_TRUNC
    public static let append = OpenOptions(rawValue: 1 << 5)      // O_APPEND
    public static let directory = OpenOptions(rawValue: 1 << 6)   // O_DIRECTORY
    public static let noFollow = OpenOptions(rawValue: 1 << 7)    // O_NOFOLLOW
    /// An open for `execve` (the kernel's `__FMODE_EXEC`): execute permission instead of read.
    public static let execute = OpenOptions(rawValue: 1 << 8)

    public static let readWrite: OpenOptions = [.read, .write]
}

/// What `access(2)` asks about: `R_OK`, `W_OK` and `X_OK`, with their values; none asks whether the file exists.
public struct AccessMode: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let execute = AccessMode(rawValue: 1)
    public static let write = AccessMode(rawValue: 2)
    public static let read = AccessMode(rawValue: 4)
}

/// The type bits of `st_mode`.
public enum FileKind: String, Hashable, Sendable {
    case regular, directory, symbolicLink, characterDevice, blockDevice, fifo, socket
}

/// A point in wall-clock time (`CLOCK_REALTIME`), as in `struct timespec`.
public struct WallTime: Comparable, Hashable, Sendable {
    public var seconds: Int64
    public var nanoseconds: Int64
    public init(seconds: Int64, nanoseconds: Int64 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }
    public static func < (a: WallTime, b: WallTime) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }
}

/// One time of `utimensat(2)`/`futimens(3)`: a given time, `UTIME_NOW` or `UTIME_OMIT`.
public enum TimeChange: Hashable, Sendable {
    case to(WallTime)
    case now
    case omit
}

/// What `stat(2)` reports.
public struct FileStatus: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var kind: FileKind
    public var permissions: FilePermissions
    public var linkCount: UInt64
    public var uid: UInt32
    public var gid: UInt32
    public var size: Int64
    public var accessTime: WallTime
    public var modificationTime: WallTime
    public var changeTime: WallTime
    /// `st_rdev`: the device a character or block node stands for (0 for every other kind).
    public var specialDevice: UInt64

    public init(
        device: UInt64, inode: UInt64, kind: FileKind, permissions: FilePermissions, linkCount: UInt64,
        uid: UInt32, gid: UInt32, size: Int64,
        accessTime: WallTime, modificationTime: WallTime, changeTime: WallTime, specialDevice: UInt64 = 0
    ) {
        self.specialDevice = specialDevice
        self.device = device
        self.inode = inode
        self.kind = kind
        self.permissions = permissions
        self.linkCount = linkCount
        self.uid = uid
        self.gid = gid
        self.size = size
        self.accessTime = accessTime
        self.modificationTime = modificationTime
        self.changeTime = changeTime
    }
}

/// One entry of a directory listing; `.` and `..` are never listed.
public struct DirectoryEntry: Hashable, Sendable {
    public var name: String
    public var inode: UInt64
    public var kind: FileKind
    public init(name: String, inode: UInt64, kind: FileKind) {
        self.name = name
        self.inode = inode
        self.kind = kind
    }
}

/// The operations of `flock(2)`.
public enum FileLockOperation: Hashable, Sendable {
    case shared, exclusive, unlock
}
