import Core
import Testing

/// Each error a path call can give, with its exact errno.
@Suite("FileSystem contract: errors")
struct FileSystemErrorTests {
    @Test("open of a missing file is ENOENT", arguments: ContractBackend.all)
    func openMissing(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.open("/t/missing", .read) }
        }
    }

    @Test("open with create under a missing parent is ENOENT", arguments: ContractBackend.all)
    func createUnderMissingParent(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.open("/t/no/f", [.write, .create]) }
        }
    }

    @Test("mkdir with a missing parent is ENOENT", arguments: ContractBackend.all)
    func mkdirMissingParent(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            #expect(throws: Errno.noSuchFileOrDirectory) {
                try fs.mkdir("/t/no/d", permissions: [.ownerReadWriteExecute])
            }
            let made = try fs.exists("/t/no")
            #expect(!made)
        }
    }

    @Test("stat, lstat, unlink, rmdir, readlink and rename of a missing name are ENOENT", arguments: ContractBackend.all)
    func missingNames(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.stat("/t/m") }
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.lstat("/t/m") }
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.unlink("/t/m") }
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.rmdir("/t/m") }
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.readlink("/t/m") }
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.rename("/t/m", to: "/t/n") }
        }
    }

    @Test("mkdir over a file or a directory is EEXIST", arguments: ContractBackend.all)
    func mkdirExisting(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            #expect(throws: Errno.fileExists) { try fs.mkdir("/t/f", permissions: [.ownerReadWriteExecute]) }
            #expect(throws: Errno.fileExists) { try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute]) }
        }
    }

    @Test("O_CREAT|O_EXCL on an existing file is EEXIST and leaves it alone", arguments: ContractBackend.all)
    func exclusiveExisting(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "keep")
            #expect(throws: Errno.fileExists) { try fs.open("/t/f", [.write, .create, .exclusive, .truncate]) }
            #expect(try fs.text("/t/f") == "keep")
        }
    }

    @Test("O_CREAT|O_EXCL on a dangling symlink is EEXIST and creates nothing", arguments: ContractBackend.all)
    func exclusiveDanglingSymlink(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.symlink("/t/target", at: "/t/l")
            #expect(throws: Errno.fileExists) { try fs.open("/t/l", [.write, .create, .exclusive]) }
            #expect(try fs.exists("/t/target") == false)
        }
    }

    @Test("symlink and link onto an existing name are EEXIST", arguments: ContractBackend.all)
    func linkOntoExisting(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/a", "a")
            try fs.put("/t/b", "b")
            #expect(throws: Errno.fileExists) { try fs.symlink("/t/a", at: "/t/b") }
            #expect(throws: Errno.fileExists) { try fs.link("/t/a", at: "/t/b") }
            #expect(try fs.text("/t/b") == "b")
        }
    }

    @Test("a file used as a directory in a path is ENOTDIR", arguments: ContractBackend.all)
    func fileAsDirectory(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            #expect(throws: Errno.notDirectory) { try fs.open("/t/f/x", .read) }
            #expect(throws: Errno.notDirectory) { try fs.stat("/t/f/x") }
            #expect(throws: Errno.notDirectory) { try fs.mkdir("/t/f/d", permissions: [.ownerReadWriteExecute]) }
        }
    }

    @Test("rmdir of a file, readdir of a file and O_DIRECTORY on a file are ENOTDIR", arguments: ContractBackend.all)
    func directoryCallsOnFile(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            #expect(throws: Errno.notDirectory) { try fs.rmdir("/t/f") }
            #expect(throws: Errno.notDirectory) { try fs.readdir("/t/f") }
            #expect(throws: Errno.notDirectory) { try fs.open("/t/f", [.read, .directory]) }
        }
    }

    @Test("opening a directory for writing is EISDIR", arguments: ContractBackend.all)
    func writeDirectory(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            #expect(throws: Errno.isDirectory) { try fs.open("/t", .write) }
            #expect(throws: Errno.isDirectory) { try fs.open("/t", [.write, .create]) }
        }
    }

    @Test("unlink and truncate of a directory are EISDIR", arguments: ContractBackend.all)
    func unlinkDirectory(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            #expect(throws: Errno.isDirectory) { try fs.unlink("/t/d") }
            #expect(throws: Errno.isDirectory) { try fs.truncate("/t/d", to: 0) }
            #expect(try fs.stat("/t/d").kind == .directory)
        }
    }

    @Test("rmdir of a non-empty directory is ENOTEMPTY", arguments: ContractBackend.all)
    func rmdirNonEmpty(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            try fs.put("/t/d/f", "x")
            #expect(throws: Errno.directoryNotEmpty) { try fs.rmdir("/t/d") }
            try fs.unlink("/t/d/f")
            try fs.rmdir("/t/d")
            #expect(try fs.exists("/t/d") == false)
        }
    }

    @Test("readlink of a file that is not a symlink is EINVAL", arguments: ContractBackend.all)
    func readlinkOfFile(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            #expect(throws: Errno.invalidArgument) { try fs.readlink("/t/f") }
        }
    }

    @Test("a hard link to a directory is EPERM", arguments: ContractBackend.all)
    func linkDirectory(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.mkdir("/t/d", permissions: [.ownerReadWriteExecute])
            #expect(throws: Errno.notPermitted) { try fs.link("/t/d", at: "/t/e") }
        }
    }

    @Test("wrong access modes on a descriptor are EBADF; a closed descriptor is EBADF", arguments: ContractBackend.all)
    func badDescriptors(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "abc")
            let reader = try fs.open("/t/f", .read)
            #expect(throws: Errno.badFileDescriptor) { try fs.write(reader, "x") }
            let writer = try fs.open("/t/f", .write)
            #expect(throws: Errno.badFileDescriptor) { try fs.read(writer, count: 1) }
            try fs.close(reader)
            try fs.close(writer)
            // A descriptor number that was never handed out.
            let neverOpened = Descriptor(rawValue: 999_999)
            #expect(throws: Errno.badFileDescriptor) { try fs.read(neverOpened, count: 1) }
            #expect(throws: Errno.badFileDescriptor) { try fs.close(neverOpened) }
            // A real process shares descriptor numbers with the tests running beside this one, which may
            // already have been given the number just closed; a simulated process has its own table.
            if !backend.runsRealPrograms {
                #expect(throws: Errno.badFileDescriptor) { try fs.read(reader, count: 1) }
                #expect(throws: Errno.badFileDescriptor) { try fs.close(writer) }
            }
        }
    }

    @Test("renaming across file systems (mount regions) is EXDEV, and so is a hard link", arguments: ContractBackend.all)
    func crossDevice(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            let fs = world.fs
            guard let other = try world.secondFileSystem() else {
                try Test.cancel("\(backend.name) has no second file system here (a tmpfs mount needs root)")
            }
            try fs.mkdir("/t", permissions: [.ownerReadWriteExecute])
            try fs.put("/t/f", "x")
            #expect(try fs.stat(other).device != fs.stat("/t").device)
            #expect(throws: Errno.improperLink) { try fs.rename("/t/f", to: other + "/f") }
            #expect(throws: Errno.improperLink) { try fs.link("/t/f", at: other + "/f") }
            #expect(try fs.text("/t/f") == "x")
            #expect(try fs.exists(other + "/f") == false)
        }
    }
}
