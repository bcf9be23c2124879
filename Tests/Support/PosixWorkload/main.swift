// posix-workload ROOT SEED COUNT: a seeded run of COUNT random file operations under ROOT (an empty
// directory), each made as root or as one of two users (uid:gid 1001:1001, 1002:1002, no supplementary
// groups) by switching the fsuid and fsgid before it, as `setpriv --reuid/--regid --clear-groups` would.
// Prints one line per operation (its result, and the kind, mode, owner, size and links of what it named)
// and the whole tree at the end, so two file systems can be compared line by line (SimFUSETests'
// PosixParityTests: the FUSE mount against tmpfs). Times appear only where an operation set them.
import Glibc

func fail(_ message: String) -> Never {
    let bytes = Array((message + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

/// setfsuid(2) and setfsgid(2), which Glibc's module does not export (they are GNU extensions).
typealias SetID = @convention(c) (UInt32) -> Int32
let setfsuid = unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setfsuid")!, to: SetID.self)
let setfsgid = unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setfsgid")!, to: SetID.self)

guard CommandLine.arguments.count == 4, let seed = UInt64(CommandLine.arguments[2]),
      let count = Int(CommandLine.arguments[3]) else {
    fail("usage: posix-workload ROOT SEED COUNT")
    exit(2)
}
let root = CommandLine.arguments[1]
guard chdir(root) == 0 else {
    fail("posix-workload: cannot enter \(root): \(String(cString: strerror(errno)))")
}
_ = setgroups(0, nil)
umask(0o022)

/// SplitMix64, so that a seed gives the same run everywhere.
struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

let users: [UInt32] = [0, 1001, 1002]
let directories = [".", "d0", "d1", "d0/e"]
let names = ["a", "b", "c", "d0", "d1", "e", "l"]
let fileModes: [mode_t] = [0o600, 0o644, 0o666, 0o755, 0o4755, 0o2755, 0o2745, 0o777]
let directoryModes: [mode_t] = [0o700, 0o755, 0o777, 0o1777, 0o2775, 0o2777]
let owners: [UInt32] = [UInt32.max, 0, 1001, 1002]
let sizes: [Int64] = [0, 10, 5000, 1 << 40, 999_999_999_999_999]

/// The kind, mode, owner, size and link count of `path` (not following a last link), or its errno.
func describe(_ path: String) -> String {
    var status = stat()
    guard lstat(path, &status) == 0 else { return "\(path)=\(errnoName(errno))" }
    let kind: String
    switch status.st_mode & S_IFMT {
    case S_IFDIR: kind = "dir"
    case S_IFLNK: kind = "link"
    case S_IFREG: kind = "file"
    case S_IFIFO: kind = "fifo"
    case S_IFSOCK: kind = "sock"
    case S_IFCHR: kind = "chr:\(status.st_rdev)"
    default: kind = "other"
    }
    // A directory's size is the file system's own business (4096 on SimFS, entries × 20 on tmpfs).
    let size = status.st_mode & S_IFMT == S_IFDIR ? "-" : String(status.st_size)
    return "\(path)=\(kind) \(String(status.st_mode & 0o7777, radix: 8)) \(status.st_uid):\(status.st_gid) \(size) n\(status.st_nlink)"
}

func errnoName(_ code: Int32) -> String {
    switch code {
    case EPERM: return "EPERM"
    case ENOENT: return "ENOENT"
    case EACCES: return "EACCES"
    case EEXIST: return "EEXIST"
    case ENOTDIR: return "ENOTDIR"
    case EISDIR: return "EISDIR"
    case EINVAL: return "EINVAL"
    case ENOTEMPTY: return "ENOTEMPTY"
    case EXDEV: return "EXDEV"
    case EFBIG: return "EFBIG"
    case ENOSPC: return "ENOSPC"
    case ELOOP: return "ELOOP"
    case EBUSY: return "EBUSY"
    case ETXTBSY: return "ETXTBSY"
    case ENXIO: return "ENXIO"
    case ESPIPE: return "ESPIPE"
    default: return "errno \(code)"
    }
}

func result(_ value: Int) -> String { value >= 0 ? "ok" : errnoName(errno) }

struct Workload {
    var random: Random

    mutating func path() -> String {
        let directory = random.pick(directories)
        let name = random.pick(names)
        return directory == "." ? name : directory + "/" + name
    }

    /// One operation as `uid`; returns its line.
    mutating func operate(_ uid: UInt32) -> String {
        let a = path()
        let b = path()
        switch random.below(17) {
        case 0:
            let mode = random.pick(fileModes)
            let fd = open(a, O_WRONLY | O_CREAT | O_EXCL, mode)
            let line = "create \(a) \(String(mode, radix: 8)) \(result(Int(fd)))"
            if fd >= 0 { close(fd) }
            return line + " " + describe(a)
        case 1:
            let mode = random.pick(directoryModes)
            return "mkdir \(a) \(String(mode, radix: 8)) \(result(Int(mkdir(a, mode)))) " + describe(a)
        case 2: return "unlink \(a) \(result(Int(unlink(a))))"
        case 3: return "rmdir \(a) \(result(Int(rmdir(a))))"
        case 4: return "rename \(a) \(b) \(result(Int(rename(a, b)))) " + describe(b)
        case 5: return "link \(a) \(b) \(result(Int(link(a, b)))) " + describe(b)
        case 6:
            let target = random.pick(["a", "../a", "missing", "d0"])
            return "symlink \(target) \(a) \(result(Int(symlink(target, a)))) " + describe(a)
        case 7:
            let mode = random.pick(fileModes + directoryModes)
            return "chmod \(a) \(String(mode, radix: 8)) \(result(Int(chmod(a, mode)))) " + describe(a)
        case 8, 9:
            let owner = random.pick(owners)
            let group = random.pick(owners)
            let follow = random.below(2) == 0
            let code = follow ? chown(a, owner, group) : lchown(a, owner, group)
            return "\(follow ? "chown" : "lchown") \(a) \(Int32(bitPattern: owner)):\(Int32(bitPattern: group)) \(result(Int(code))) "
                + describe(a)
        case 10:
            let size = random.pick(sizes)
            return "truncate \(a) \(size) \(result(Int(truncate(a, off_t(size))))) " + describe(a)
        case 11:
            let append = random.below(2) == 0
            let fd = open(a, O_WRONLY | O_NONBLOCK | (append ? O_APPEND : 0))  // a FIFO without reader: ENXIO
            guard fd >= 0 else { return "write \(a) \(errnoName(errno))" }
            defer { close(fd) }
            var before = stat()
            if append && fstat(fd, &before) == 0 && before.st_size > 1 << 30 {
                // SimFS keeps the bytes up to the last one written in memory, at most 1 GiB of them: past
                // that it says ENOSPC where tmpfs allocates one page (a documented difference).
                return "write \(a) skipped: an append past 1 GiB"
            }
            let bytes = [UInt8](repeating: UInt8(random.below(256)), count: 1 + random.below(300))
            let offset = off_t(random.pick([0, 7, 4096, 1 << 20]))
            let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, offset) }
            return "write \(a) \(bytes.count)@\(offset) \(written >= 0 ? "ok \(written)" : errnoName(errno)) " + describe(a)
        case 12:
            let fd = open(a, O_RDONLY | O_NONBLOCK)
            guard fd >= 0 else { return "read \(a) \(errnoName(errno))" }
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 64)
            let offset = off_t(random.pick([0, 5, 4000, (1 << 40) - 10]))
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            let sum = buffer.prefix(max(0, got)).reduce(0) { $0 &+ Int($1) }
            return "read \(a) @\(offset) \(got >= 0 ? "ok \(got) sum \(sum)" : errnoName(errno))"
        case 13:
            let choices: [Int] = [Int((1 << 30) - 1), Int((1 << 30) - 2), 123_456_789]  // UTIME_NOW, UTIME_OMIT, a time
            let atime = random.pick(choices)
            let mtime = random.pick(choices)
            var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: atime), timespec(tv_sec: 1_100_000_000, tv_nsec: mtime)]
            let flags = random.below(2) == 0 ? 0 : AT_SYMLINK_NOFOLLOW
            let code = utimensat(AT_FDCWD, a, &times, flags)
            var line = "utimensat \(a) \(atime) \(mtime) \(flags) \(result(Int(code)))"
            var status = stat()
            if code == 0, (flags == 0 ? stat(a, &status) : lstat(a, &status)) == 0 {
                // Only explicit times are comparable across file systems.
                if atime == 123_456_789 { line += " atime \(status.st_atim.tv_sec).\(status.st_atim.tv_nsec)" }
                if mtime == 123_456_789 { line += " mtime \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)" }
            }
            return line
        case 14:
            let kinds: [(String, mode_t, dev_t)] = [("fifo", S_IFIFO, 0), ("sock", S_IFSOCK, 0), ("chr", S_IFCHR, 0x0103),
                                                    ("reg", S_IFREG, 0)]
            let (name, kind, device) = random.pick(kinds)
            let mode = kind | random.pick(fileModes)
            return "mknod \(a) \(name) \(result(Int(mknod(a, mode, device)))) " + describe(a)
        case 15:
            return "open-trunc \(a) " + { () -> String in
                let fd = open(a, O_WRONLY | O_TRUNC | O_NONBLOCK)
                if fd >= 0 { close(fd); return "ok " + describe(a) }
                return errnoName(errno)
            }()
        default:
            return "stat " + describe(a)
        }
    }


}

var workload = Workload(random: Random(state: seed))
for index in 0..<count {
    let uid = workload.random.pick(users)
    _ = setfsgid(uid)
    _ = setfsuid(uid)
    let line = workload.operate(uid)
    _ = setfsuid(0)
    _ = setfsgid(0)
    print("\(index) u\(uid) \(line)")
}

/// The whole tree, sorted, as root.
func walk(_ directory: String) {
    guard let stream = opendir(directory) else { return }
    var children: [String] = []
    while let entry = readdir(stream) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) {
            String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
        }
        if name != "." && name != ".." { children.append(directory == "." ? name : directory + "/" + name) }
    }
    closedir(stream)
    for child in children.sorted() {
        print("tree " + describe(child))
        var status = stat()
        if lstat(child, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR { walk(child) }
    }
}
walk(".")
