import Glibc

/// The file-system identity of the calling thread: setfsuid(2) and setfsgid(2) act on one thread only (the
/// raw calls; glibc does not broadcast them), and a nonzero fsuid drops root's file capabilities until it is
/// 0 again, as for a process of that user. Glibc's module does not export them (GNU extensions).
enum ThreadIdentity {
    typealias SetID = @convention(c) (UInt32) -> Int32
    static let setfsuid = unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setfsuid")!, to: SetID.self)
    static let setfsgid = unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setfsgid")!, to: SetID.self)

    /// Runs `body` on this thread as uid:gid, then as root again (the test runs synchronously on one thread).
    static func asUser(_ uid: UInt32, _ gid: UInt32, _ body: () throws -> Void) throws {
        _ = setfsgid(gid)
        _ = setfsuid(uid)
        defer {
            _ = setfsuid(0)
            _ = setfsgid(0)
        }
        try body()
    }

    /// The process's supplementary groups (`getgroups(2)`), which a thread keeps under another fsuid.
    static func groups() -> [UInt32] {
        var groups = [gid_t](repeating: 0, count: 256)
        let count = getgroups(Int32(groups.count), &groups)
        return count > 0 ? Array(groups.prefix(Int(count))) : []
    }
}
