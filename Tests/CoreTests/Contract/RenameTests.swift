import Core
import Testing

/// rename(2) and renameat2(RENAME_NOREPLACE).
@Suite("FileSystem contract: rename")
struct RenameTests {
    @Test("rename to a new name moves the file", arguments: ContractBackend.all)
    func toNewName(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/a", "a")
            let inode = try fs.stat("/t/a").inode
            try fs.rename("/t/a", to: "/t/b")
            #expect(try fs.names("/t") == ["b"])
            #expect(try fs.stat("/t/b").inode == inode)
        }
    }

    @Test("rename over a file replaces it atomically", arguments: ContractBackend.all)
    func overFile(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/new", "new")
            try fs.put("/t/old", "old")
            let inode = try fs.stat("/t/new").inode
            try fs.rename("/t/new", to: "/t/old")
            #expect(try fs.text("/t/old") == "new")
            #expect(try fs.stat("/t/old").inode == inode)
            #expect(try fs.names("/t") == ["old"])
        }
    }

    @Test("rename of a directory over an empty directory replaces it", arguments: ContractBackend.all)
    func overEmptyDirectory(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/a", permissions: [.ownerReadWriteExecute])
            try fs.put("/t/a/f", "x")
            try fs.mkdir("/t/b", permissions: [.ownerReadWriteExecute])
            try fs.rename("/t/a", to: "/t/b")
            #expect(try fs.names("/t") == ["b"])
            #expect(try fs.text("/t/b/f") == "x")
        }
    }

    @Test("rename of a directory over a non-empty directory is ENOTEMPTY", arguments: ContractBackend.all)
    func overNonEmptyDirectory(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/a", permissions: [.ownerReadWriteExecute])
            try fs.mkdir("/t/b", permissions: [.ownerReadWriteExecute])
            try fs.put("/t/b/f", "x")
            #expect(throws: Errno.directoryNotEmpty) { try fs.rename("/t/a", to: "/t/b") }
            #expect(try fs.names("/t") == ["a", "b"])
        }
    }

    @Test("rename of a file over a directory is EISDIR", arguments: ContractBackend.all)
    func fileOverDirectory(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            #expect(throws: Errno.isDirectory) { try fs.rename("/t/f", to: "/t/d") }
            #expect(try fs.stat("/t/d").kind == .directory)
        }
    }

    @Test("rename of a directory over a file is ENOTDIR", arguments: ContractBackend.all)
    func directoryOverFile(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            #expect(throws: Errno.notDirectory) { try fs.rename("/t/d", to: "/t/f") }
            #expect(try fs.text("/t/f") == "x")
        }
    }

    @Test("rename with noReplace onto an existing name is EEXIST and changes nothing", arguments: ContractBackend.all)
    func noReplaceExisting(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/a", "a")
            try fs.put("/t/b", "b")
            #expect(throws: Errno.fileExists) { try fs.rename("/t/a", to: "/t/b", noReplace: true) }
            #expect(try fs.text("/t/a") == "a")
            #expect(try fs.text("/t/b") == "b")
        }
    }

    @Test("rename with noReplace onto a free name moves the file", arguments: ContractBackend.all)
    func noReplaceFree(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/a", "a")
            try fs.rename("/t/a", to: "/t/b", noReplace: true)
            #expect(try fs.names("/t") == ["b"])
        }
    }

    @Test("rename between two names of one file does nothing", arguments: ContractBackend.all)
    func sameFile(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/a", "a")
            try fs.link("/t/a", at: "/t/b")
            try fs.rename("/t/a", to: "/t/b")
            #expect(try fs.names("/t") == ["a", "b"])
            #expect(try fs.stat("/t/a").linkCount == 2)
        }
    }

    @Test("rename of a directory into itself is EINVAL", arguments: ContractBackend.all)
    func intoItself(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            #expect(throws: Errno.invalidArgument) { try fs.rename("/t/d", to: "/t/d/sub") }
            #expect(try fs.names("/t/d") == [])
        }
    }

    @Test("rename of a subdirectory moves a link count from one parent to the other", arguments: ContractBackend.all)
    func parentLinkCounts(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.makeDirectories("/t/p/sub", permissions: [.ownerReadWriteExecute])
            try fs.mkdir("/t/q", permissions: [.ownerReadWriteExecute])
            #expect(try fs.stat("/t/p").linkCount == 3)
            try fs.rename("/t/p/sub", to: "/t/q/sub")
            #expect(try fs.stat("/t/p").linkCount == 2)
            #expect(try fs.stat("/t/q").linkCount == 3)
        }
    }

    @Test("rename of a symlink moves the link, not its target", arguments: ContractBackend.all)
    func symlink(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.symlink("f", at: "/t/l")
            try fs.rename("/t/l", to: "/t/m")
            #expect(try fs.names("/t") == ["f", "m"])
            #expect(try fs.readlink("/t/m") == "f")
        }
    }

    @Test("a descriptor open on a renamed file still reads it", arguments: ContractBackend.all)
    func openAcrossRename(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/a", "data")
            let fd = try fs.open("/t/a", .read)
            defer { try? fs.close(fd) }
            try fs.rename("/t/a", to: "/t/b")
            #expect(try fs.read(fd, count: 10) == "data")
        }
    }
}
