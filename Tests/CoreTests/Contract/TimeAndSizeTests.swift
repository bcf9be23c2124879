import Core
import Testing

/// utimensat/futimens, which calls change ctime and mtime, and sparse files. A time is first set far in
/// the past, so that "changed" never depends on the clock's granularity.
@Suite("FileSystem contract: times and sizes")
struct TimeAndSizeTests {
    static let past = WallTime(seconds: 1_000_000_000, nanoseconds: 123_456_789)
    static let other = WallTime(seconds: 1_100_000_000, nanoseconds: 987_654_321)

    /// Sets every time of `path` (not following a link) to `past`: utimensat sets atime and mtime, and
    /// ctime becomes "now", so ctime is compared with `before` instead.
    func age(_ fs: any FileSystem, _ path: String) throws {
        try fs.setTimes(path, access: .to(Self.past), modification: .to(Self.past), follow: false)
    }

    @Test("utimensat sets times with nanoseconds; UTIME_OMIT keeps one, UTIME_NOW takes the clock",
          arguments: ContractBackend.all)
    func explicitTimes(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            let before = try fs.stat("/t/f")
            try fs.setTimes("/t/f", access: .to(Self.past), modification: .to(Self.other), follow: true)
            var status = try fs.stat("/t/f")
            #expect(status.accessTime == Self.past)
            #expect(status.modificationTime == Self.other)
            #expect(status.changeTime > before.changeTime)
            try fs.setTimes("/t/f", access: .omit, modification: .to(Self.past), follow: true)
            status = try fs.stat("/t/f")
            #expect(status.accessTime == Self.past)
            #expect(status.modificationTime == Self.past)
            try fs.setTimes("/t/f", access: .now, modification: .omit, follow: true)
            status = try fs.stat("/t/f")
            #expect(status.accessTime > Self.other)
            #expect(status.modificationTime == Self.past)
            let fd = try fs.open("/t/f", .read)
            defer { try? fs.close(fd) }
            try fs.setTimes(fd, access: .omit, modification: .to(Self.other))
            #expect(try fs.fstat(fd).modificationTime == Self.other)
            #expect(throws: Errno.noSuchFileOrDirectory) {
                try fs.setTimes("/t/none", access: .now, modification: .now, follow: true)
            }
        }
    }

    @Test("utimensat without following sets a symbolic link's own times", arguments: ContractBackend.all)
    func linkTimes(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.symlink("f", at: "/t/l")
            try fs.setTimes("/t/l", access: .to(Self.past), modification: .to(Self.other), follow: false)
            #expect(try fs.lstat("/t/l").modificationTime == Self.other)
            #expect(try fs.stat("/t/f").modificationTime != Self.other)
            try fs.setTimes("/t/l", access: .omit, modification: .to(Self.past), follow: true)
            #expect(try fs.stat("/t/f").modificationTime == Self.past)
            #expect(try fs.lstat("/t/l").modificationTime == Self.other)
        }
    }

    @Test("write, truncate and O_TRUNC change mtime and ctime; chmod, chown, link and rename only ctime",
          arguments: ContractBackend.all)
    func ownTimes(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            func check(_ what: String, mtime: Bool, _ change: () throws -> Void) throws {
                try age(fs, "/t/f")
                let before = try fs.stat("/t/f").changeTime
                try change()
                let after = try fs.stat("/t/f")
                #expect((after.modificationTime != Self.past) == mtime, "mtime after \(what)")
                #expect(after.changeTime > before, "ctime after \(what)")
                #expect(after.accessTime == Self.past, "atime after \(what)")
            }
            try check("write", mtime: true) {
                let fd = try fs.open("/t/f", .write)
                try fs.write(fd, "more")
                try fs.close(fd)
            }
            try check("truncate", mtime: true) { try fs.truncate("/t/f", to: 1) }
            try check("ftruncate", mtime: true) {
                let fd = try fs.open("/t/f", .write)
                try fs.ftruncate(fd, to: 3)
                try fs.close(fd)
            }
            try check("O_TRUNC", mtime: true) { try fs.close(try fs.open("/t/f", [.write, .truncate])) }
            try check("O_TRUNC of an empty file", mtime: true) { try fs.close(try fs.open("/t/f", [.write, .truncate])) }
            try check("chmod", mtime: false) { try fs.chmod("/t/f", permissions: FilePermissions(rawValue: 0o600)) }
            try check("chown", mtime: false) { try fs.chown("/t/f", uid: 1001, gid: 1001) }
            try check("link", mtime: false) { try fs.link("/t/f", at: "/t/g") }
            try check("unlink of another name", mtime: false) { try fs.unlink("/t/g") }
            try check("rename", mtime: false) {
                try fs.rename("/t/f", to: "/t/h")
                try fs.rename("/t/h", to: "/t/f")
            }
        }
    }

    @Test("a new or removed name changes its directory's mtime and ctime; a replaced file's ctime changes",
          arguments: ContractBackend.all)
    func directoryTimes(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            try fs.put("/t/d/a", "a")
            try fs.put("/t/d/b", "b")
            try fs.link("/t/d/b", at: "/t/keep")
            let steps: [(String, () throws -> Void)] = [
                ("create", { try fs.put("/t/d/c", "c") }),
                ("mkdir", { try fs.mkdir("/t/d/e", permissions: [.ownerReadWriteExecute]) }),
                ("rmdir", { try fs.rmdir("/t/d/e") }),
                ("symlink", { try fs.symlink("a", at: "/t/d/l") }),
                ("unlink", { try fs.unlink("/t/d/l") }),
                ("mknod", { try fs.mknod("/t/d/p", kind: .fifo, permissions: [.ownerReadWrite], device: 0) }),
                ("rename over", { try fs.rename("/t/d/a", to: "/t/d/b") }),
            ]
            for (what, step) in steps {
                try age(fs, "/t/d")
                try age(fs, "/t/keep")
                let before = try fs.stat("/t/keep").changeTime
                try step()
                let after = try fs.stat("/t/d")
                #expect(after.modificationTime != Self.past, "directory mtime after \(what)")
                if what == "rename over" {
                    #expect(try fs.stat("/t/keep").changeTime > before, "replaced file's ctime")
                    #expect(try fs.text("/t/keep") == "b")
                }
            }
        }
    }

    @Test("a truncate far past the end makes a sparse file that reads as zeros", arguments: ContractBackend.all)
    func sparseFile(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            let huge: Int64 = 1 << 40  // 1 TiB: within ext4's 16 TiB, nothing a test machine could allocate
            try fs.put("/t/f", "head")
            try fs.truncate("/t/f", to: huge)
            #expect(try fs.stat("/t/f").size == huge)
            let fd = try fs.open("/t/f", .readWrite)
            defer { try? fs.close(fd) }
            #expect(try fs.pread(fd, count: 8, at: 0) == Array("head".utf8) + [0, 0, 0, 0])
            #expect(try fs.pread(fd, count: 8, at: huge - 4) == [0, 0, 0, 0])
            #expect(try fs.pread(fd, count: 8, at: huge + 10) == [])
            #expect(try fs.pread(fd, count: 4, at: huge / 2) == [0, 0, 0, 0])
            try fs.pwrite(fd, "mid", at: 1 << 20)
            #expect(try fs.pread(fd, count: 5, at: (1 << 20) - 1) == [0] + Array("mid".utf8) + [0])
            #expect(try fs.fstat(fd).size == huge)
            try fs.ftruncate(fd, to: 2)
            #expect(try fs.text("/t/f") == "he")
            try fs.ftruncate(fd, to: 5)
            #expect(try fs.readFile("/t/f") == Array("he".utf8) + [0, 0, 0])
            #expect(throws: Errno.invalidArgument) { try fs.pwrite(fd, "x", at: Int64.max) }  // the end overflows
            #expect(throws: Errno.invalidArgument) { try fs.ftruncate(fd, to: -1) }
        }
    }
}
