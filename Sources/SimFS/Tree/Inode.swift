/// The mount regions of the simulated machine. The number is also `st_dev`.
public enum Region: UInt8, CaseIterable, Hashable, Sendable {
    /// `/` and everything not below another region: survives reboots, subject to durability.
    case disk = 1
    /// `/run`: tmpfs, empty after every boot.
    case run = 2
    /// `/dev/shm`: tmpfs, where mutex segments live.
    case shm = 3
    /// `/tmp`: tmpfs.
    case tmp = 4
    /// `/proc`: read-only views of the current boot.
    case proc = 5

    /// Where the region is mounted; `nil` for the root disk.
    public var mountPoint: String? {
        switch self {
        case .disk: return nil
        case .run: return "/run"
        case .shm: return "/dev/shm"
        case .tmp: return "/tmp"
        case .proc: return "/proc"
        }
    }

    /// Only the disk has pending and durable state; tmpfs forgets everything at a reboot anyway.
    var isPersistent: Bool { self == .disk }
    var isTmpfs: Bool { self == .run || self == .shm || self == .tmp }
}

/// One file, directory or symbolic link. Mutated only under the world lock.
///
/// The live state is what processes see. For the disk region there is also the durable state: what a power
/// loss falls back to (`durableData`, `durableEntries`), see Durability.swift.
final class Inode {
    let id: UInt64
    let region: Region
    var kind: FileKind
    var permissions: UInt32
    var uid: UInt32 = 0
    var gid: UInt32 = 0
    /// Names in the live tree.
    var linkCount = 0
    var accessTime: WallTime
    var modificationTime: WallTime
    var changeTime: WallTime

    /// Contents of a regular file: `data`, then `hole` zero bytes that cost no memory (a sparse file's
    /// trailing hole, as `truncate` past the end makes).
    var data: [UInt8] = []
    var hole: Int64 = 0
    var durableData: [UInt8] = []
    var durableHole: Int64 = 0
    /// `st_rdev` of a character or block node.
    var specialDevice: UInt64 = 0
    /// Whether `data` differs from `durableData` in a way a power loss can see.
    var dataDirty = false

    /// Target of a symbolic link.
    var target = ""

    /// Children of a directory, by name.
    var entries: [String: UInt64] = [:]
    var durableEntries: [String: UInt64] = [:]
    /// The directory holding this one (a directory has exactly one name); the root is its own parent.
    var parent: UInt64 = 0
    /// This directory's name in `parent`.
    var name = ""

    /// The root or a region's root: never freed, never renamed or removed.
    var isMountRoot = false
    /// Open file descriptions referring to this inode (an unlinked open file stays readable).
    var openCount = 0
    /// Durable directory entries naming this inode.
    var durableLinks = 0
    /// Slots of pending entry changes naming this inode.
    var pendingLinks = 0

    init(id: UInt64, region: Region, kind: FileKind, permissions: UInt32, time: WallTime) {
        self.id = id
        self.region = region
        self.kind = kind
        self.permissions = permissions
        self.accessTime = time
        self.modificationTime = time
        self.changeTime = time
    }

    /// A deep copy for snapshots.
    func copy() -> Inode {
        let other = Inode(id: id, region: region, kind: kind, permissions: permissions, time: accessTime)
        other.uid = uid
        other.gid = gid
        other.linkCount = linkCount
        other.modificationTime = modificationTime
        other.changeTime = changeTime
        other.data = data
        other.hole = hole
        other.durableData = durableData
        other.durableHole = durableHole
        other.specialDevice = specialDevice
        other.dataDirty = dataDirty
        other.target = target
        other.entries = entries
        other.durableEntries = durableEntries
        other.parent = parent
        other.name = name
        other.openCount = openCount
        other.durableLinks = durableLinks
        other.pendingLinks = pendingLinks
        other.subdirectoryCount = subdirectoryCount
        other.isMountRoot = isMountRoot
        return other
    }

    var size: Int64 {
        switch kind {
        case .regular: return Int64(data.count) + hole
        case .symbolicLink: return Int64(target.utf8.count)
        case .directory: return 4096
        default: return 0
        }
    }

    func status() -> FileStatus {
        FileStatus(
            device: UInt64(region.rawValue), inode: id, kind: kind, permissions: FilePermissions(rawValue: permissions),
            linkCount: UInt64(kind == .directory ? 2 + subdirectoryCount : linkCount),
            uid: uid, gid: gid, size: size,
            accessTime: accessTime, modificationTime: modificationTime, changeTime: changeTime,
            specialDevice: specialDevice)
    }

    /// Kept by the tree as directories gain and lose subdirectories, for `st_nlink` of a directory.
    var subdirectoryCount = 0

    /// flock holders (open file descriptions); not part of snapshots.
    var exclusiveHolder: OpenFile?
    var sharedHolders: [OpenFile] = []
    /// Byte-range locks (RangeLocks.swift); not part of snapshots.
    var rangeLocks: [RangeLock] = []
}
