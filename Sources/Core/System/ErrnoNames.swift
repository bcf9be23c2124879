/// The errno names bootsim reads and prints: scenario `fault` lines, `bootsim ctl fault add --errno`, the op
/// logs of SimFS and of its FUSE mount. One table, so a name that parses also prints.
extension Errno {
    /// The names, in errno order (Linux numbering).
    static let nameTable: [(name: String, errno: Errno)] = [
        ("EPERM", .notPermitted), ("ENOENT", .noSuchFileOrDirectory), ("EINTR", .interrupted), ("EIO", .ioError),
        ("ENXIO", .noSuchAddressOrDevice), ("EBADF", .badFileDescriptor), ("EAGAIN", .resourceTemporarilyUnavailable),
        ("ENOMEM", .noMemory), ("EACCES", .permissionDenied), ("EBUSY", .resourceBusy), ("EEXIST", .fileExists),
        ("EXDEV", .improperLink), ("ENOTDIR", .notDirectory), ("EISDIR", .isDirectory), ("EINVAL", .invalidArgument),
        ("EMFILE", .tooManyOpenFiles), ("EFBIG", .fileTooLarge), ("ENOSPC", .noSpace), ("EROFS", .readOnlyFileSystem),
        ("EMLINK", .tooManyLinks), ("ERANGE", .outOfRange), ("EDEADLK", .deadlock), ("ENAMETOOLONG", .fileNameTooLong),
        ("ENOSYS", .noFunction), ("ENOTEMPTY", .directoryNotEmpty), ("ELOOP", .tooManySymbolicLinkLevels),
        ("EBADMSG", .badMessage), ("ENOTSUP", .notSupported), ("ETIMEDOUT", .timedOut), ("ESTALE", .staleNFSFileHandle),
        ("EDQUOT", .diskQuotaExceeded),
    ]

    /// `ENOSPC` (any case) → `.noSpace`; a plain positive number is taken as is. nil for an unknown name.
    public init?(name: String) {
        if let number = Int32(name), number > 0 {
            self.init(rawValue: number)
            return
        }
        let upper = name.uppercased()
        guard let found = Self.nameTable.first(where: { $0.name == upper }) else { return nil }
        self = found.errno
    }

    /// `ENOSPC`, or `errno N` for one the table does not name.
    public var name: String {
        Self.nameTable.first { $0.errno == self }?.name ?? "errno \(rawValue)"
    }

    /// Every name the table knows, space-separated, for error messages.
    public static var knownNames: String { nameTable.map(\.name).joined(separator: " ") }
}
