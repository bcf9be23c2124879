import Glibc

extension FileStatus {
    /// Converts what `stat(2)` filled in.
    init(_ status: stat) {
        self.init(
            device: UInt64(status.st_dev), inode: UInt64(status.st_ino),
            kind: FileKind(mode: status.st_mode),
            permissions: FilePermissions(rawValue: status.st_mode & 0o7777),
            linkCount: UInt64(status.st_nlink), uid: status.st_uid, gid: status.st_gid,
            size: Int64(status.st_size),
            accessTime: WallTime(status.st_atim), modificationTime: WallTime(status.st_mtim),
            changeTime: WallTime(status.st_ctim), specialDevice: UInt64(status.st_rdev))
    }
}

extension FileKind {
    /// The kind named by the `S_IFMT` bits of `st_mode`.
    init(mode: mode_t) {
        switch mode & 0o170000 {
        case 0o040000: self = .directory
        case 0o120000: self = .symbolicLink
        case 0o020000: self = .characterDevice
        case 0o060000: self = .blockDevice
        case 0o010000: self = .fifo
        case 0o140000: self = .socket
        default: self = .regular
        }
    }

    /// The kind named by a `d_type` of `readdir(3)`; nil for `DT_UNKNOWN`.
    init?(directoryEntryType type: UInt8) {
        switch Int(type) {
        case Int(DT_REG): self = .regular
        case Int(DT_DIR): self = .directory
        case Int(DT_LNK): self = .symbolicLink
        case Int(DT_CHR): self = .characterDevice
        case Int(DT_BLK): self = .blockDevice
        case Int(DT_FIFO): self = .fifo
        case Int(DT_SOCK): self = .socket
        default: return nil
        }
    }
}

extension WallTime {
    init(_ time: timespec) {
        self.init(seconds: Int64(time.tv_sec), nanoseconds: Int64(time.tv_nsec))
    }
}

extension TimeChange {
    /// The `timespec` of `utimensat(2)` for this change.
    var timespec: Glibc.timespec {
        switch self {
        case .to(let time): return Glibc.timespec(tv_sec: Int(time.seconds), tv_nsec: Int(time.nanoseconds))
        case .now: return Glibc.timespec(tv_sec: 0, tv_nsec: Int((1 << 30) - 1))  // UTIME_NOW
        case .omit: return Glibc.timespec(tv_sec: 0, tv_nsec: Int((1 << 30) - 2))  // UTIME_OMIT
        }
    }
}

extension FileKind {
    /// The `S_IFMT` bits of this kind.
    var hostModeBits: mode_t {
        switch self {
        case .regular: return 0o100000
        case .directory: return 0o040000
        case .symbolicLink: return 0o120000
        case .characterDevice: return 0o020000
        case .blockDevice: return 0o060000
        case .fifo: return 0o010000
        case .socket: return 0o140000
        }
    }
}
