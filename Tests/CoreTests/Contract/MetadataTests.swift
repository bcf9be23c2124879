import Core
import Testing

/// Link counts, mode bits, ownership and directory listings.
@Suite("FileSystem contract: metadata and directories")
struct MetadataTests {
    @Test("a hard link shares the inode and raises the link count; unlink lowers it", arguments: ContractBackend.all)
    func hardLinkCounts(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/a", "x")
            #expect(try fs.stat("/t/a").linkCount == 1)
            try fs.link("/t/a", at: "/t/b")
            #expect(try fs.stat("/t/a").linkCount == 2)
            #expect(try fs.stat("/t/a").inode == fs.stat("/t/b").inode)
            try fs.unlink("/t/a")
            #expect(try fs.stat("/t/b").linkCount == 1)
            #expect(try fs.text("/t/b") == "x")
        }
    }

    @Test("a write through one hard link shows through the other", arguments: ContractBackend.all)
    func hardLinkSharesData(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/a", "one")
            try fs.link("/t/a", at: "/t/b")
            try fs.put("/t/b", "two")
            #expect(try fs.text("/t/a") == "two")
        }
    }

    @Test("a directory's link count is 2 plus its subdirectories", arguments: ContractBackend.all)
    func directoryLinkCount(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            #expect(try fs.stat("/t/d").linkCount == 2)
            try fs.mkdir("/t/d/a", permissions: [.ownerReadWriteExecute])
            try fs.mkdir("/t/d/b", permissions: [.ownerReadWriteExecute])
            try fs.put("/t/d/f", "files do not count")
            #expect(try fs.stat("/t/d").linkCount == 4)
            try fs.rmdir("/t/d/a")
            #expect(try fs.stat("/t/d").linkCount == 3)
        }
    }

    // Umask policy: the suite runs with umask 022 (see ContractWorld).
    @Test("a new file gets the requested mode minus umask 022", arguments: ContractBackend.all)
    func createMode(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.close(try fs.open("/t/f", [.write, .create], permissions: FilePermissions(rawValue: 0o666)))
            try fs.close(try fs.open("/t/g", [.write, .create], permissions: FilePermissions(rawValue: 0o640)))
            #expect(try fs.stat("/t/f").permissions.rawValue == 0o644)
            #expect(try fs.stat("/t/g").permissions.rawValue == 0o640)
        }
    }

    @Test("a new directory gets the requested mode minus umask 022", arguments: ContractBackend.all)
    func mkdirMode(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/d", permissions: FilePermissions(rawValue: 0o777))
            try fs.mkdir("/t/e", permissions: FilePermissions(rawValue: 0o700))
            #expect(try fs.stat("/t/d").permissions.rawValue == 0o755)
            #expect(try fs.stat("/t/e").permissions.rawValue == 0o700)
        }
    }

    @Test("O_CREAT on an existing file keeps its mode", arguments: ContractBackend.all)
    func createKeepsMode(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.close(try fs.open("/t/f", [.write, .create], permissions: FilePermissions(rawValue: 0o600)))
            try fs.close(try fs.open("/t/f", [.write, .create], permissions: FilePermissions(rawValue: 0o777)))
            #expect(try fs.stat("/t/f").permissions.rawValue == 0o600)
        }
    }

    @Test("chmod sets the mode bits exactly, umask aside, setuid and sticky included", arguments: ContractBackend.all)
    func chmodExact(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            try fs.chmod("/t/f", permissions: FilePermissions(rawValue: 0o4757))
            try fs.chmod("/t/d", permissions: FilePermissions(rawValue: 0o1777))
            #expect(try fs.stat("/t/f").permissions.rawValue == 0o4757)
            #expect(try fs.stat("/t/d").permissions.rawValue == 0o1777)
            try fs.chmod("/t/f", permissions: FilePermissions(rawValue: 0))
            #expect(try fs.stat("/t/f").permissions.rawValue == 0)
        }
    }

    @Test("chmod of a missing path is ENOENT", arguments: ContractBackend.all)
    func chmodMissing(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            #expect(throws: Errno.noSuchFileOrDirectory) {
                try fs.chmod("/t/missing", permissions: FilePermissions(rawValue: 0o600))
            }
        }
    }

    // Host: needs CAP_CHOWN; the suite runs as root in CI.
    @Test("chown sets the owner and group, following symlinks", arguments: ContractBackend.all)
    func chown(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.symlink("f", at: "/t/l")
            try fs.chown("/t/l", uid: 1234, gid: 5678)
            let status = try fs.stat("/t/f")
            #expect(status.uid == 1234)
            #expect(status.gid == 5678)
            #expect(try fs.lstat("/t/l").uid != 1234)
        }
    }

    @Test("stat reports the kinds of files, directories and symlinks", arguments: ContractBackend.all)
    func kinds(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.symlink("f", at: "/t/l")
            #expect(try fs.stat("/t").kind == .directory)
            #expect(try fs.stat("/t/f").kind == .regular)
            #expect(try fs.lstat("/t/l").kind == .symbolicLink)
            #expect(try fs.stat("/").kind == .directory)
        }
    }

    @Test("readdir lists every entry once, with kinds and inodes, never '.' or '..'", arguments: ContractBackend.all)
    func readdirEntries(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            try fs.symlink("nowhere", at: "/t/l")
            let entries = try fs.readdir("/t").sorted { $0.name < $1.name }
            #expect(entries.map(\.name) == ["d", "f", "l"])
            #expect(entries.map(\.kind) == [.directory, .regular, .symbolicLink])
            for entry in entries { #expect(entry.inode == (try fs.lstat("/t/" + entry.name).inode)) }
        }
    }

    @Test("readdir of an empty directory is empty", arguments: ContractBackend.all)
    func readdirEmpty(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            #expect(try fs.readdir("/t/d").isEmpty)
        }
    }

    @Test("readdir after unlink and rename shows the current names only", arguments: ContractBackend.all)
    func readdirAfterChanges(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            for name in ["a", "b", "c"] { try fs.put("/t/" + name, name) }
            try fs.unlink("/t/b")
            try fs.rename("/t/c", to: "/t/z")
            #expect(try fs.names("/t") == ["a", "z"])
        }
    }

    @Test("readdir of a missing directory is ENOENT; through a symlink it lists the target", arguments: ContractBackend.all)
    func readdirPaths(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            try fs.put("/t/d/f", "x")
            try fs.symlink("/t/d", at: "/t/l")
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.readdir("/t/missing") }
            #expect(try fs.names("/t/l") == ["f"])
        }
    }

    @Test("many entries are all listed", arguments: ContractBackend.all)
    func readdirMany(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            let names = (0..<300).map { "file-\($0)" }
            for name in names { try fs.close(try fs.open("/t/" + name, [.write, .create])) }
            #expect(try fs.names("/t") == names.sorted())
        }
    }

    @Test("a new directory holds nothing and rmdir removes it from its parent", arguments: ContractBackend.all)
    func mkdirRmdir(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            #expect(try fs.names("/t") == ["d"])
            try fs.rmdir("/t/d")
            #expect(try fs.names("/t") == [])
            #expect(try fs.stat("/t").linkCount == 2)
        }
    }

    @Test("mkdir -p (makeDirectories) makes missing parents and accepts existing ones", arguments: ContractBackend.all)
    func makeDirectories(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.makeDirectories("/t/a/b/c", permissions: [.ownerReadWriteExecute])
            try fs.makeDirectories("/t/a/b", permissions: [.ownerReadWriteExecute])
            #expect(try fs.stat("/t/a/b/c").kind == .directory)
            try fs.put("/t/file", "x")
            #expect(throws: Errno.notDirectory) {
                try fs.makeDirectories("/t/file", permissions: [.ownerReadWriteExecute])
            }
        }
    }
}
