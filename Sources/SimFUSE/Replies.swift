import CFuse3
import Core
import Glibc

extension stat {
    /// `struct stat` for the kernel from a `FileStatus`; `st_ino` is the backend's inode number.
    init(_ status: FileStatus) {
        self.init()
        st_ino = UInt(status.inode)
        st_mode = status.kind.modeBits | mode_t(status.permissions.rawValue & 0o7777)
        st_nlink = UInt(status.linkCount)
        st_uid = status.uid
        st_gid = status.gid
        st_rdev = UInt(status.specialDevice)
        st_size = Int(status.size)
        st_blksize = 4096
        st_blocks = Int((status.size + 511) / 512)
        st_atim = timespec(tv_sec: Int(status.accessTime.seconds), tv_nsec: Int(status.accessTime.nanoseconds))
        st_mtim = timespec(tv_sec: Int(status.modificationTime.seconds),
                           tv_nsec: Int(status.modificationTime.nanoseconds))
        st_ctim = timespec(tv_sec: Int(status.changeTime.seconds), tv_nsec: Int(status.changeTime.nanoseconds))
    }
}

extension FileKind {
    /// The `S_IF*` bits.
    var modeBits: mode_t {
        switch self {
        case .regular: S_IFREG
        case .directory: S_IFDIR
        case .symbolicLink: S_IFLNK
        case .characterDevice: S_IFCHR
        case .blockDevice: S_IFBLK
        case .fifo: S_IFIFO
        case .socket: S_IFSOCK
        }
    }

    /// The kind of `S_IF*` bits (anything unknown is a regular file, as `mknod` with type 0 makes).
    init(modeBits: mode_t) {
        switch modeBits {
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symbolicLink
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        default: self = .regular
        }
    }

    /// The `DT_*` value for a directory entry's type (as `st_mode` bits, which is what libfuse wants).
    var direntMode: mode_t { modeBits }
}

extension Reply {
    /// Sends the reply with the matching `fuse_reply_*`.
    func send(_ req: fuse_req_t) {
        switch self {
        case .error(let code):
            fuse_reply_err(req, code)
        case .ok:
            fuse_reply_err(req, 0)
        case .entry(let node, var attributes, let uncached):
            var entry = simfuse_entry(node, &attributes, uncached ? 1 : 0)
            fuse_reply_entry(req, &entry)
        case .attributes(var attributes):
            simfuse_reply_attr(req, &attributes)
        case .link(let target):
            fuse_reply_readlink(req, target)
        case .opened(var info):
            simfuse_plain_open(&info)
            fuse_reply_open(req, &info)
        case .created(let node, var attributes, let uncached, var info):
            var entry = simfuse_entry(node, &attributes, uncached ? 1 : 0)
            simfuse_plain_open(&info)
            fuse_reply_create(req, &entry, &info)
        case .data(let bytes):
            bytes.withUnsafeBytes { buffer in
                _ = fuse_reply_buf(req, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), buffer.count)
            }
        case .written(let count):
            fuse_reply_write(req, count)
        case .statfs(var info):
            fuse_reply_statfs(req, &info)
        }
    }
}
