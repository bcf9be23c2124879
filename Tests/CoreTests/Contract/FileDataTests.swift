import Core
import Testing

/// Reading and writing: offsets, O_APPEND, O_TRUNC, truncate, unlinked-but-open files, sync.
@Suite("FileSystem contract: file data")
struct FileDataTests {
    @Test("what is written is read back", arguments: ContractBackend.all)
    func roundTrip(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7) }
            let fd = try fs.open("/t/f", [.write, .create])
            try fs.writeAll(fd, bytes)
            #expect(try fs.fstat(fd).size == 5000)
            try fs.close(fd)
            #expect(try fs.readFile("/t/f") == bytes)
        }
    }

    @Test("read at the end of a file returns 0", arguments: ContractBackend.all)
    func readAtEnd(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "ab")
            let fd = try fs.open("/t/f", .read)
            defer { try? fs.close(fd) }
            #expect(try fs.read(fd, count: 10) == "ab")
            #expect(try fs.read(fd, count: 10) == "")
        }
    }

    @Test("two open descriptions have their own offsets", arguments: ContractBackend.all)
    func independentOffsets(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "abcdef")
            let first = try fs.open("/t/f", .read)
            let second = try fs.open("/t/f", .read)
            defer { try? fs.close(first); try? fs.close(second) }
            #expect(try fs.read(first, count: 2) == "ab")
            #expect(try fs.read(second, count: 3) == "abc")
            #expect(try fs.read(first, count: 2) == "cd")
        }
    }

    @Test("pread and pwrite do not move the file offset", arguments: ContractBackend.all)
    func positionalIO(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            let fd = try fs.open("/t/f", [.read, .write, .create])
            defer { try? fs.close(fd) }
            try fs.write(fd, "0123456789")
            try fs.pwrite(fd, "AB", at: 2)
            #expect(try fs.pread(fd, count: 4, at: 1) == Array("1AB4".utf8))
            try fs.write(fd, "!")
            #expect(try fs.text("/t/f") == "01AB456789!")
        }
    }

    @Test("pwrite past the end leaves a hole that reads as zeros", arguments: ContractBackend.all)
    func pwriteHole(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            let fd = try fs.open("/t/f", [.read, .write, .create])
            defer { try? fs.close(fd) }
            try fs.pwrite(fd, "x", at: 4)
            #expect(try fs.fstat(fd).size == 5)
            #expect(try fs.pread(fd, count: 10, at: 0) == [0, 0, 0, 0, UInt8(ascii: "x")])
        }
    }

    @Test("O_APPEND writes at the end, whatever the offset", arguments: ContractBackend.all)
    func append(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "abc")
            let fd = try fs.open("/t/f", [.read, .write, .append])
            defer { try? fs.close(fd) }
            #expect(try fs.read(fd, count: 1) == "a")
            try fs.write(fd, "def")
            #expect(try fs.text("/t/f") == "abcdef")
        }
    }

    @Test("two O_APPEND descriptions never overwrite each other", arguments: ContractBackend.all)
    func appendTwice(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            let first = try fs.open("/t/log", [.write, .create, .append])
            let second = try fs.open("/t/log", [.write, .append])
            defer { try? fs.close(first); try? fs.close(second) }
            try fs.write(first, "1")
            try fs.write(second, "2")
            try fs.write(first, "3")
            #expect(try fs.text("/t/log") == "123")
        }
    }

    @Test("O_TRUNC empties an existing file; O_CREAT alone keeps it", arguments: ContractBackend.all)
    func truncateOnOpen(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "content")
            try fs.close(try fs.open("/t/f", [.write, .create]))
            #expect(try fs.text("/t/f") == "content")
            try fs.close(try fs.open("/t/f", [.write, .truncate]))
            #expect(try fs.stat("/t/f").size == 0)
        }
    }

    @Test("truncate that extends a file reads zeros", arguments: ContractBackend.all)
    func truncateExtends(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "ab")
            try fs.truncate("/t/f", to: 6)
            #expect(try fs.readFile("/t/f") == [97, 98, 0, 0, 0, 0])
        }
    }

    @Test("ftruncate shrinks, and extending again reads zeros, not the old bytes", arguments: ContractBackend.all)
    func ftruncateShrinkThenGrow(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "abcdef")
            let fd = try fs.open("/t/f", .write)
            defer { try? fs.close(fd) }
            try fs.ftruncate(fd, to: 2)
            #expect(try fs.text("/t/f") == "ab")
            try fs.ftruncate(fd, to: 4)
            #expect(try fs.readFile("/t/f") == [97, 98, 0, 0])
        }
    }

    @Test("truncate through a symlink truncates the target; a negative size is EINVAL", arguments: ContractBackend.all)
    func truncateViaSymlink(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "abcdef")
            try fs.symlink("/t/f", at: "/t/l")
            try fs.truncate("/t/l", to: 3)
            #expect(try fs.text("/t/f") == "abc")
            #expect(throws: Errno.invalidArgument) { try fs.truncate("/t/f", to: -1) }
        }
    }

    @Test("a file unlinked while open stays readable and writable", arguments: ContractBackend.all)
    func unlinkedWhileOpen(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "still here")
            let fd = try fs.open("/t/f", .readWrite)
            defer { try? fs.close(fd) }
            try fs.unlink("/t/f")
            #expect(try fs.exists("/t/f") == false)
            #expect(try fs.fstat(fd).linkCount == 0)
            #expect(try fs.read(fd, count: 100) == "still here")
            try fs.pwrite(fd, "S", at: 0)
            #expect(try fs.pread(fd, count: 5, at: 0) == Array("Still".utf8))
        }
    }

    @Test("a name created again after unlink is a new file", arguments: ContractBackend.all)
    func recreateAfterUnlink(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "old")
            let fd = try fs.open("/t/f", .read)
            defer { try? fs.close(fd) }
            try fs.unlink("/t/f")
            try fs.put("/t/f", "new")
            #expect(try fs.read(fd, count: 10) == "old")
            #expect(try fs.text("/t/f") == "new")
            #expect(try fs.fstat(fd).inode != fs.stat("/t/f").inode)
        }
    }

    @Test("fsync and fdatasync succeed on a file and fsync on a directory", arguments: ContractBackend.all)
    func sync(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            let fd = try fs.open("/t/f", [.write, .create])
            try fs.write(fd, "x")
            try fs.fsync(fd)
            try fs.fdatasync(fd)
            try fs.close(fd)
            let directory = try fs.open("/t", [.read, .directory])
            try fs.fsync(directory)
            try fs.close(directory)
            #expect(try fs.text("/t/f") == "x")
        }
    }

    @Test("fstat of a descriptor matches stat of its path", arguments: ContractBackend.all)
    func fstatMatchesStat(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "12345")
            let fd = try fs.open("/t/f", .read)
            defer { try? fs.close(fd) }
            let byDescriptor = try fs.fstat(fd)
            let byPath = try fs.stat("/t/f")
            #expect(byDescriptor.inode == byPath.inode)
            #expect(byDescriptor.device == byPath.device)
            #expect(byDescriptor.size == 5)
            #expect(byDescriptor.kind == .regular)
        }
    }

    @Test("a new file is empty and readable with O_CREAT|O_EXCL", arguments: ContractBackend.all)
    func exclusiveCreate(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            let fd = try fs.open("/t/f", [.read, .write, .create, .exclusive])
            defer { try? fs.close(fd) }
            #expect(try fs.fstat(fd).size == 0)
            #expect(try fs.read(fd, count: 1) == "")
        }
    }
}
