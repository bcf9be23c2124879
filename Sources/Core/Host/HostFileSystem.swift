import Glibc

/// The real file system behind `FileSystem`, optionally rooted at a directory prefix.
///
/// With root `/` every call is the plain syscall on the absolute path (the generator runs at every boot, so
/// this path stays short). With another root the file system behaves like a chroot there: parents are
/// resolved with `openat2(O_PATH, RESOLVE_IN_ROOT)` on a descriptor of the root, so `..` and absolute
/// symbolic links stay inside it, and the last component goes to the matching `*at` call. Tests use this
/// to work on a scratch directory as if it were `/`.
///
/// A root that cannot be opened makes every call throw the error that opening it gave.
///
/// With root `/`, `anchors` names directories that many calls will go under (the generator's output
/// directories): each is opened once, and a path below it is resolved from that descriptor, which saves the
/// kernel walking the whole absolute path every time. A directory that cannot be opened is not anchored. An
/// anchored directory that is later renamed or replaced keeps receiving the calls for its old path.
public final class HostFileSystem: FileSystem {
    /// The root as given to `init`.
    public let root: String
    let mode: Mode
    /// Open directories and their absolute paths (no trailing slash), longest first.
    let anchors: [Anchor]

    struct Anchor: Sendable {
        var path: String
        var descriptor: Int32
    }

    enum Mode: Sendable {
        /// Root is `/`: plain syscalls on absolute paths.
        case direct
        /// A descriptor of the root directory and its canonical path (to strip from `realpath`).
        case rooted(descriptor: Int32, prefix: String)
        /// The root could not be opened.
        case unusable(Errno)
    }

    public init(root: String = "/", anchors: [String] = []) {
        self.root = root
        if root.split(separator: "/").isEmpty {
            mode = .direct
            self.anchors = Self.open(anchors)
            return
        }
        self.anchors = []
        do {
            let fd = try Syscall.openat(AT_FDCWD, root, HostFlags.openPath | O_DIRECTORY | O_CLOEXEC, 0)
            do {
                let prefix = try Syscall.readlinkat(AT_FDCWD, "/proc/self/fd/\(fd)")
                mode = .rooted(descriptor: fd, prefix: prefix == "/" ? "" : prefix)
            } catch {
                try? Syscall.close(fd)
                throw error
            }
        } catch {
            mode = .unusable(error as? Errno ?? .invalidArgument)
        }
    }

    deinit {
        if case .rooted(let fd, _) = mode { try? Syscall.close(fd) }
        for anchor in anchors { try? Syscall.close(anchor.descriptor) }
    }

    private static func open(_ paths: [String]) -> [Anchor] {
        var anchors: [Anchor] = []
        for path in paths {
            var path = path
            while path.utf8.count > 1, path.utf8.last == UInt8(ascii: "/") { path.removeLast() }
            guard path.utf8.first == UInt8(ascii: "/"), path.utf8.count > 1,
                  !anchors.contains(where: { $0.path == path }),
                  let fd = try? Syscall.openat(AT_FDCWD, path, HostFlags.openPath | O_DIRECTORY | O_CLOEXEC, 0)
            else { continue }
            anchors.append(Anchor(path: path, descriptor: fd))
        }
        return anchors.sorted { $0.path.utf8.count > $1.path.utf8.count }
    }
}

// MARK: - Resolving paths

extension HostFileSystem {
    /// The options to resolve with under the root.
    static let resolveFlags = HostFlags.resolveInRoot | HostFlags.resolveNoMagicLinks

    /// `path` relative to the root: no leading slashes, `.` for the root itself. A trailing slash stays.
    static func relative(_ path: String) -> String {
        let trimmed = path.drop { $0 == "/" }
        return trimmed.isEmpty ? "." : String(trimmed)
    }

    /// Opens `path` with `openat2` (rooted) or `openat` (direct). O_CLOEXEC is always added.
    func openDescriptor(_ path: String, _ flags: Int32, _ permissions: mode_t = 0) throws -> Int32 {
        let flags = flags | O_CLOEXEC
        let permissions = flags & O_CREAT != 0 ? permissions : 0
        switch mode {
        case .direct:
            let (directory, name) = anchored(path)
            return try Syscall.openat(directory, name, flags, permissions)
        case .rooted(let root, _):
            return try Syscall.openat2(root, Self.relative(path), flags, permissions, resolve: Self.resolveFlags)
        case .unusable(let error):
            throw error
        }
    }

    /// Calls `body` with a directory descriptor and the name of `path`'s last component in it, which is not
    /// followed: the place for `mkdirat`, `unlinkat`, `renameat2`, `symlinkat`, `readlinkat`, `linkat` and
    /// `fstatat(AT_SYMLINK_NOFOLLOW)`.
    ///
    /// A last component `.` or `..` is passed as is to calls that change the tree (the kernel refuses those
    /// names before looking them up). For a `lookup` it is resolved first, inside the root, and passed as `.`.
    func withParent<Result>(_ path: String, lookup: Bool = false, _ body: (Int32, String) throws -> Result)
        throws -> Result
    {
        switch mode {
        case .direct:
            let (directory, name) = anchored(path)
            return try body(directory, name)
        case .unusable(let error):
            throw error
        case .rooted(let root, _):
            let components = path.split(separator: "/")
            guard let last = components.last else { return try body(root, ".") }
            if lookup, last == "." || last == ".." {
                let fd = try openDescriptor(path, HostFlags.openPath | O_DIRECTORY)
                defer { try? Syscall.close(fd) }
                return try body(fd, ".")
            }
            let name = path.hasSuffix("/") ? last + "/" : String(last)
            if components.count == 1 { return try body(root, name) }
            let parent = components.dropLast().joined(separator: "/")
            let fd = try Syscall.openat2(
                root, parent, HostFlags.openPath | O_DIRECTORY | O_CLOEXEC, 0, resolve: Self.resolveFlags)
            defer { try? Syscall.close(fd) }
            return try body(fd, name)
        }
    }

    /// Direct mode: the anchor `path` is strictly below and the rest of it, else `AT_FDCWD` and `path`.
    func anchored(_ path: String) -> (Int32, String) {
        let bytes = path.utf8
        for anchor in anchors {
            let prefix = anchor.path.utf8
            guard bytes.count > prefix.count + 1, bytes.starts(with: prefix) else { continue }
            var rest = bytes.index(bytes.startIndex, offsetBy: prefix.count)
            guard bytes[rest] == UInt8(ascii: "/") else { continue }
            while rest != bytes.endIndex, bytes[rest] == UInt8(ascii: "/") { rest = bytes.index(after: rest) }
            if rest == bytes.endIndex { continue }
            return (anchor.descriptor, String(path[rest...]))
        }
        return (AT_FDCWD, path)
    }

    /// What a call that follows symbolic links acts on: `directory` + `name` with `flags` for the `*at`
    /// calls, and `path` for calls that only take a path.
    struct FollowedTarget {
        var directory: Int32
        var name: String
        var flags: Int32
        var path: String
    }

    /// Calls `body` with `path` resolved, every symbolic link followed. Rooted, this is an `O_PATH`
    /// descriptor used through `AT_EMPTY_PATH` or `/proc/self/fd/N`.
    func withFollowed<Result>(_ path: String, _ body: (FollowedTarget) throws -> Result) throws -> Result {
        if case .direct = mode {
            let (directory, name) = anchored(path)
            return try body(FollowedTarget(directory: directory, name: name, flags: 0, path: path))
        }
        let fd = try openDescriptor(path, HostFlags.openPath)
        defer { try? Syscall.close(fd) }
        return try body(FollowedTarget(directory: fd, name: "", flags: HostFlags.emptyPath, path: "/proc/self/fd/\(fd)"))
    }
}
