import Core
import Testing

/// mknod's node types, ownership, chown/lchown and their set-id rules (the suite runs as root).
@Suite("FileSystem contract: node types and owners")
struct NodeTypeAndOwnerTests {
    @Test("mknod makes regular files, FIFOs, sockets and devices with their rdev, minus umask 022",
          arguments: ContractBackend.all)
    func mknodKinds(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            let mode = FilePermissions(rawValue: 0o666)
            try fs.mknod("/t/r", kind: .regular, permissions: mode, device: 0)
            try fs.mknod("/t/p", kind: .fifo, permissions: mode, device: 0)
            try fs.mknod("/t/s", kind: .socket, permissions: mode, device: 0)
            try fs.mknod("/t/c", kind: .characterDevice, permissions: mode, device: 0x0103)  // 1:3, /dev/null
            try fs.mknod("/t/b", kind: .blockDevice, permissions: mode, device: 0x0700)  // 7:0, a loop device
            for (name, kind) in [("r", FileKind.regular), ("p", .fifo), ("s", .socket), ("c", .characterDevice),
                                 ("b", .blockDevice)] {
                let status = try fs.lstat("/t/" + name)
                #expect(status.kind == kind, "\(name)")
                #expect(status.permissions.rawValue == 0o644, "\(name)")
                #expect(status.size == 0, "\(name)")
                #expect(status.linkCount == 1, "\(name)")
            }
            #expect(try fs.lstat("/t/c").specialDevice == 0x0103)
            #expect(try fs.lstat("/t/b").specialDevice == 0x0700)
            #expect(try fs.lstat("/t/p").specialDevice == 0)
            #expect(try fs.names("/t") == ["b", "c", "p", "r", "s"])
            #expect(try fs.readdir("/t").first { $0.name == "p" }?.kind == .fifo)
            #expect(throws: Errno.fileExists) { try fs.mknod("/t/p", kind: .fifo, permissions: mode, device: 0) }
            #expect(throws: Errno.noSuchFileOrDirectory) {
                try fs.mknod("/t/none/p", kind: .fifo, permissions: mode, device: 0)
            }
            // A node is a name like any other: renamed, linked and removed.
            try fs.rename("/t/p", to: "/t/p2")
            try fs.link("/t/p2", at: "/t/p3")
            #expect(try fs.lstat("/t/p3").linkCount == 2)
            try fs.unlink("/t/p2")
            try fs.unlink("/t/p3")
            try fs.unlink("/t/c")
        }
    }

    @Test("a setgid directory gives its group to what is made in it, and its bit to subdirectories",
          arguments: ContractBackend.all)
    func setgidDirectory(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/d", permissions: FilePermissions(rawValue: 0o755))
            try fs.chown("/t/d", uid: 0, gid: 4321)
            try fs.chmod("/t/d", permissions: FilePermissions(rawValue: 0o2775))
            try fs.put("/t/d/f", "x")
            try fs.mkdir("/t/d/sub", permissions: FilePermissions(rawValue: 0o755))
            try fs.symlink("f", at: "/t/d/l")
            try fs.mknod("/t/d/p", kind: .fifo, permissions: FilePermissions(rawValue: 0o644), device: 0)
            for name in ["f", "sub", "l", "p"] { #expect(try fs.lstat("/t/d/" + name).gid == 4321, "\(name)") }
            #expect(try fs.stat("/t/d/sub").permissions.rawValue == 0o2755)
            #expect(try fs.stat("/t/d/f").permissions.rawValue == 0o644)
            try fs.put("/t/g", "outside")
            #expect(try fs.stat("/t/g").gid == 0)
        }
    }

    @Test("lchown changes a symbolic link's own owner, dangling or not; chown follows it",
          arguments: ContractBackend.all)
    func lchownOwnsTheLink(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.symlink("f", at: "/t/l")
            try fs.symlink("missing", at: "/t/dangling")
            try fs.lchown("/t/l", uid: 1001, gid: 1002)
            #expect(try fs.lstat("/t/l").uid == 1001)
            #expect(try fs.lstat("/t/l").gid == 1002)
            #expect(try fs.stat("/t/f").uid == 0)
            try fs.lchown("/t/dangling", uid: 1003, gid: UInt32.max)
            #expect(try fs.lstat("/t/dangling").uid == 1003)
            #expect(try fs.lstat("/t/dangling").gid == 0)
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.chown("/t/dangling", uid: 1, gid: 1) }
            try fs.chown("/t/l", uid: 1004, gid: UInt32.max)
            #expect(try fs.stat("/t/f").uid == 1004)
            #expect(try fs.lstat("/t/l").uid == 1001)
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.lchown("/t/none", uid: 1, gid: 1) }
        }
    }

    @Test("chown drops setuid, and setgid with group execute, on files, not on directories; -1 keeps an id",
          arguments: ContractBackend.all)
    func chownDropsSetID(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/a", "x")
            try fs.put("/t/b", "x")
            try fs.mkdir("/t/d", permissions: FilePermissions(rawValue: 0o755))
            try fs.chmod("/t/a", permissions: FilePermissions(rawValue: 0o6755))
            try fs.chmod("/t/b", permissions: FilePermissions(rawValue: 0o6745))
            try fs.chmod("/t/d", permissions: FilePermissions(rawValue: 0o6755))
            try fs.chown("/t/a", uid: UInt32.max, gid: UInt32.max)
            try fs.chown("/t/b", uid: 1001, gid: UInt32.max)
            try fs.chown("/t/d", uid: 1001, gid: 1001)
            #expect(try fs.stat("/t/a").permissions.rawValue == 0o755)
            #expect(try fs.stat("/t/b").permissions.rawValue == 0o2745)  // setgid without g+x is a lock mark
            #expect(try fs.stat("/t/b").uid == 1001)
            #expect(try fs.stat("/t/b").gid == 0)
            #expect(try fs.stat("/t/d").permissions.rawValue == 0o6755)
        }
    }
}
