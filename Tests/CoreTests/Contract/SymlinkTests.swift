import Core
import Testing

/// Symbolic links: relative and absolute targets (absolute ones resolve inside the machine's root),
/// dangling links, O_NOFOLLOW and loops.
@Suite("FileSystem contract: symbolic links")
struct SymlinkTests {
    @Test("a relative symlink resolves from its own directory", arguments: ContractBackend.all)
    func relative(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            try fs.put("/t/f", "top")
            try fs.symlink("../f", at: "/t/d/l")
            #expect(try fs.text("/t/d/l") == "top")
            #expect(try fs.readlink("/t/d/l") == "../f")
        }
    }

    @Test("an absolute symlink resolves from the machine's root", arguments: ContractBackend.all)
    func absolute(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "inside")
            try fs.symlink("/t/f", at: "/t/l")
            #expect(try fs.text("/t/l") == "inside")
            #expect(try fs.stat("/t/l").inode == fs.stat("/t/f").inode)
        }
    }

    @Test("an absolute symlink in the middle of a path resolves from the root", arguments: ContractBackend.all)
    func absoluteDirectoryLink(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            try fs.symlink("/t/d", at: "/t/ld")
            try fs.put("/t/ld/f", "via link")
            #expect(try fs.text("/t/d/f") == "via link")
            #expect(try fs.names("/t/ld") == ["f"])
        }
    }

    @Test("'..' and symlinks cannot climb above the root", arguments: ContractBackend.all)
    func cannotEscapeRoot(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.symlink("../../../../..", at: "/t/up")
            #expect(try fs.realpath("/t/up") == "/")
            #expect(try fs.stat("/t/up/t").inode == fs.stat("/t").inode)
            #expect(try fs.stat("/../../t").inode == fs.stat("/t").inode)
        }
    }

    @Test("a dangling symlink: lstat and readlink work, stat and open are ENOENT", arguments: ContractBackend.all)
    func dangling(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.symlink("/t/nothing", at: "/t/l")
            #expect(try fs.lstat("/t/l").kind == .symbolicLink)
            #expect(try fs.readlink("/t/l") == "/t/nothing")
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.stat("/t/l") }
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.open("/t/l", .read) }
            #expect(try fs.names("/t") == ["l"])
        }
    }

    @Test("O_CREAT through a dangling symlink creates its target", arguments: ContractBackend.all)
    func createThroughDangling(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.symlink("/t/target", at: "/t/l")
            try fs.put("/t/l", "made")
            #expect(try fs.text("/t/target") == "made")
            #expect(try fs.lstat("/t/l").kind == .symbolicLink)
        }
    }

    @Test("O_NOFOLLOW on a symlink is ELOOP; on a file it opens", arguments: ContractBackend.all)
    func noFollow(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.symlink("f", at: "/t/l")
            #expect(throws: Errno.tooManySymbolicLinkLevels) { try fs.open("/t/l", [.read, .noFollow]) }
            let fd = try fs.open("/t/f", [.read, .noFollow])
            try fs.close(fd)
        }
    }

    @Test("a symlink to itself is ELOOP", arguments: ContractBackend.all)
    func selfLoop(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.symlink("/t/l", at: "/t/l")
            #expect(throws: Errno.tooManySymbolicLinkLevels) { try fs.open("/t/l", .read) }
            #expect(throws: Errno.tooManySymbolicLinkLevels) { try fs.stat("/t/l") }
            #expect(try fs.lstat("/t/l").kind == .symbolicLink)
        }
    }

    @Test("two symlinks pointing at each other are ELOOP, also as a directory", arguments: ContractBackend.all)
    func cycle(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.symlink("b", at: "/t/a")
            try fs.symlink("a", at: "/t/b")
            #expect(throws: Errno.tooManySymbolicLinkLevels) { try fs.stat("/t/a") }
            #expect(throws: Errno.tooManySymbolicLinkLevels) { try fs.open("/t/b/x", [.write, .create]) }
            #expect(throws: Errno.tooManySymbolicLinkLevels) { try fs.realpath("/t/a") }
        }
    }

    @Test("a chain of 40 symlinks resolves; 41 are ELOOP", arguments: ContractBackend.all)
    func fortyHops(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "end")
            try fs.symlink("f", at: "/t/l0")
            for hop in 1...40 { try fs.symlink("l\(hop - 1)", at: "/t/l\(hop)") }
            #expect(try fs.text("/t/l39") == "end")  // 40 links followed
            #expect(throws: Errno.tooManySymbolicLinkLevels) { try fs.text("/t/l40") }
        }
    }

    @Test("stat follows a symlink; lstat describes the link (size = target length)", arguments: ContractBackend.all)
    func statVersusLstat(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "12345")
            try fs.symlink("/t/f", at: "/t/l")
            let followed = try fs.stat("/t/l")
            let link = try fs.lstat("/t/l")
            #expect(followed.kind == .regular)
            #expect(followed.size == 5)
            #expect(link.kind == .symbolicLink)
            #expect(link.size == Int64("/t/f".utf8.count))
            #expect(link.inode != followed.inode)
        }
    }

    @Test("unlink of a symlink removes the link, not its target", arguments: ContractBackend.all)
    func unlinkLink(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.symlink("f", at: "/t/l")
            try fs.unlink("/t/l")
            #expect(try fs.names("/t") == ["f"])
            #expect(try fs.text("/t/f") == "x")
        }
    }

    @Test("realpath resolves symlinks, '.' and '..'; a missing name is ENOENT", arguments: ContractBackend.all)
    func realpath(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.makeDirectories("/t/a/b", permissions: [.ownerReadWriteExecute])
            try fs.symlink("a/b", at: "/t/lb")
            try fs.put("/t/a/b/f", "x")
            #expect(try fs.realpath("/t/lb/f") == "/t/a/b/f")
            #expect(try fs.realpath("/t/./a/../lb/.") == "/t/a/b")
            #expect(try fs.realpath("/") == "/")
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.realpath("/t/lb/missing") }
        }
    }

    @Test("chmod through a symlink changes the target", arguments: ContractBackend.all)
    func chmodFollows(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.symlink("f", at: "/t/l")
            try fs.chmod("/t/l", permissions: FilePermissions(rawValue: 0o600))
            #expect(try fs.stat("/t/f").permissions.rawValue == 0o600)
            #expect(try fs.lstat("/t/l").kind == .symbolicLink)
        }
    }

    @Test("a hard link to a symlink links the symlink itself", arguments: ContractBackend.all)
    func linkToSymlink(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.symlink("f", at: "/t/l")
            try fs.link("/t/l", at: "/t/l2")
            #expect(try fs.lstat("/t/l2").kind == .symbolicLink)
            #expect(try fs.lstat("/t/l2").inode == fs.lstat("/t/l").inode)
            #expect(try fs.lstat("/t/l").linkCount == 2)
            #expect(try fs.stat("/t/f").linkCount == 1)
        }
    }
}
