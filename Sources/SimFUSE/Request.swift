import CFuse3
import Glibc
import SimFS

/// One FUSE request, copied out of libfuse's buffer so that it can be held (paused) and answered later.
enum Operation {
    case lookup(parent: UInt64, name: String)
    case getattr(node: UInt64, handle: UInt64?)
    case setattr(node: UInt64, attributes: stat, fields: Int32, handle: UInt64?)
    case readlink(node: UInt64)
    case symlink(target: String, parent: UInt64, name: String)
    case mknod(parent: UInt64, name: String, mode: UInt32, device: UInt64)
    case mkdir(parent: UInt64, name: String, mode: UInt32)
    case unlink(parent: UInt64, name: String)
    case rmdir(parent: UInt64, name: String)
    case rename(parent: UInt64, name: String, newParent: UInt64, newName: String, flags: UInt32)
    case link(node: UInt64, newParent: UInt64, newName: String)
    case open(node: UInt64, info: fuse_file_info)
    case create(parent: UInt64, name: String, mode: UInt32, info: fuse_file_info)
    case read(node: UInt64, size: Int, offset: Int64, handle: UInt64)
    case write(node: UInt64, data: [UInt8], offset: Int64, handle: UInt64)
    case flush(node: UInt64, handle: UInt64)
    case release(node: UInt64, handle: UInt64)
    case fsync(node: UInt64, dataOnly: Bool, handle: UInt64)
    case opendir(node: UInt64, info: fuse_file_info)
    case readdir(node: UInt64, size: Int, offset: Int64, handle: UInt64)
    case releasedir(node: UInt64, handle: UInt64)
    case fsyncdir(node: UInt64, dataOnly: Bool, handle: UInt64)
    case statfs(node: UInt64)
    case access(node: UInt64, mask: Int32)

    /// The op fault rules and the op log name this request by.
    var op: SimOp {
        switch self {
        case .lookup: .lookup
        case .getattr: .getattr
        case .setattr: .setattr
        case .readlink: .readlink
        case .symlink: .symlink
        case .mknod: .mknod
        case .mkdir: .mkdir
        case .unlink: .unlink
        case .rmdir: .rmdir
        case .rename: .rename
        case .link: .link
        case .open: .open
        case .create: .create
        case .read: .read
        case .write: .write
        case .flush: .flush
        case .release: .release
        case .fsync: .fsync
        case .opendir: .opendir
        case .readdir: .readdir
        case .releasedir: .releasedir
        case .fsyncdir: .fsyncdir
        case .statfs: .statfs
        case .access: .access
        }
    }

    /// Every op a request can have, for `fault-add`.
    static let ops: Set<SimOp> = [
        .lookup, .getattr, .setattr, .readlink, .symlink, .mknod, .mkdir, .unlink, .rmdir, .rename, .link, .open,
        .create, .read, .write, .flush, .release, .fsync, .opendir, .readdir, .releasedir, .fsyncdir, .statfs,
        .access,
    ]
}

/// A request with its libfuse handle and the process that made it.
struct PendingRequest {
    let request: fuse_req_t
    let caller: Caller
    let operation: Operation
}

/// The answer to a request.
enum Reply {
    case error(Int32)
    /// `uncached`: the kernel must not keep the name (see `FUSEServer.keepsNames`).
    case entry(node: UInt64, attributes: stat, uncached: Bool)
    case attributes(stat)
    case link(String)
    case opened(fuse_file_info)
    case created(node: UInt64, attributes: stat, uncached: Bool, info: fuse_file_info)
    case data([UInt8])
    case written(Int)
    case statfs(statvfs)
    /// For release/releasedir/flush-like calls with nothing to say.
    case ok
}
