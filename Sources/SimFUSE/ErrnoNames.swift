import Glibc

/// Errno names for `fault add --errno` and the op log.
public enum ErrnoNames {
    static let table: [(String, Int32)] = [
        ("EPERM", EPERM), ("ENOENT", ENOENT), ("EIO", EIO), ("EBADF", EBADF), ("EAGAIN", EAGAIN),
        ("ENOMEM", ENOMEM), ("EACCES", EACCES), ("EBUSY", EBUSY), ("EEXIST", EEXIST), ("EXDEV", EXDEV),
        ("ENOTDIR", ENOTDIR), ("EISDIR", EISDIR), ("EINVAL", EINVAL), ("EMFILE", EMFILE), ("EFBIG", EFBIG),
        ("ENOSPC", ENOSPC), ("EROFS", EROFS), ("EMLINK", EMLINK), ("ENAMETOOLONG", ENAMETOOLONG),
        ("ENOTEMPTY", ENOTEMPTY), ("ELOOP", ELOOP), ("ENOTSUP", ENOTSUP), ("EDQUOT", EDQUOT),
        ("ESTALE", ESTALE), ("EINTR", EINTR), ("ETIMEDOUT", ETIMEDOUT), ("ENOSYS", ENOSYS),
        ("EDEADLK", EDEADLK), ("ENXIO", ENXIO), ("EBADMSG", EBADMSG), ("ERANGE", ERANGE),
    ]

    /// `ENOSPC` → 28; also accepts a plain number. nil for an unknown name.
    public static func code(_ name: String) -> Int32? {
        if let number = Int32(name), number > 0 { return number }
        return table.first { $0.0 == name.uppercased() }?.1
    }

    public static func name(_ code: Int32) -> String {
        table.first { $0.1 == code }?.0 ?? "errno \(code)"
    }

    public static var known: String { table.map(\.0).joined(separator: " ") }
}
