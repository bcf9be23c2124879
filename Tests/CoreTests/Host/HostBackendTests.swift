import Core
import Glibc
import Testing

/// Host-only behaviour that the contract suite cannot see: the unrooted fast path, how roots are
/// opened and stripped, and the on-disk layout of mutex segments.
@Suite("Host backend")
struct HostBackendTests {
    /// A scratch directory on the real file system, removed afterwards.
    func withScratch(_ body: (String) throws -> Void) throws {
        let directory = try Scratch.makeDirectory()
        defer { Scratch.remove(directory) }
        try body(directory)
    }

    @Test("root '/' uses plain absolute paths, absolute symlinks included")
    func directMode() throws {
        try withScratch { scratch in
            let fs = HostFileSystem()
            try fs.put(scratch + "/f", "real")
            try fs.symlink(scratch + "/f", at: scratch + "/l")
            #expect(try fs.text(scratch + "/l") == "real")
            #expect(try fs.realpath(scratch + "/l") == scratch + "/f")
            try fs.rename(scratch + "/l", to: scratch + "/m", noReplace: true)
            #expect(try fs.names(scratch) == ["f", "m"])
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.realpath(scratch + "/missing") }
        }
    }

    @Test("a root reached through a symlink is stripped from realpath")
    func rootThroughSymlink() throws {
        try withScratch { scratch in
            let host = HostFileSystem()
            try host.mkdir(scratch + "/real", permissions: [.ownerReadWriteExecute])
            try host.symlink(scratch + "/real", at: scratch + "/alias")
            let fs = HostFileSystem(root: scratch + "/alias")
            try fs.mkdir("/d", permissions: [.ownerReadWriteExecute])
            #expect(try fs.realpath("/d/.") == "/d")
            #expect(try host.stat(scratch + "/real/d").kind == .directory)
        }
    }

    @Test("an absolute symlink under a root never reaches the real file of that name")
    func rootConfinesAbsoluteLinks() throws {
        try withScratch { scratch in
            let fs = HostFileSystem(root: scratch)
            try fs.symlink("/etc/hostname", at: "/l")
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.stat("/l") }
            try fs.mkdir("/etc", permissions: [.ownerReadWriteExecute])
            try fs.put("/l", "inside")
            #expect(try HostFileSystem().text(scratch + "/etc/hostname") == "inside")
        }
    }

    @Test("a root that cannot be opened makes every call throw its error")
    func unusableRoot() throws {
        let fs = HostFileSystem(root: "/nonexistent/podrt-root")
        #expect(throws: Errno.noSuchFileOrDirectory) { try fs.stat("/") }
        #expect(throws: Errno.noSuchFileOrDirectory) { try fs.mkdir("/d", permissions: [.ownerReadWriteExecute]) }
        #expect(throws: Errno.noSuchFileOrDirectory) { try fs.open("/f", [.write, .create]) }
        #expect(throws: Errno.noSuchFileOrDirectory) { try fs.realpath("/") }
    }

    @Test("a segment file starts with the magic and the layout version")
    func segmentHeader() throws {
        try withScratch { scratch in
            let segments = HostMutexSegments(root: scratch)
            let segment = try segments.create("/seg", mutexCount: 3, dataSize: 100)
            segment.close()
            let bytes = try HostFileSystem(root: scratch).readFile("/seg")
            #expect(Array(bytes[0..<8]) == Array("PODRTMTX".utf8))
            #expect(bytes[8] == 1)
            // header 64 + data 100 rounded up to 192, then 3 cache-line mutexes
            #expect(bytes.count == 192 + 3 * 64)
        }
    }

    @Test("a segment of another layout version is EBADMSG")
    func segmentVersionMismatch() throws {
        try withScratch { scratch in
            let segments = HostMutexSegments(root: scratch)
            try segments.create("/seg", mutexCount: 1, dataSize: 8).close()
            let fs = HostFileSystem(root: scratch)
            let fd = try fs.open("/seg", .write)
            try [UInt8(2)].withUnsafeBytes { _ = try fs.pwrite(fd, $0, at: 8) }
            try fs.close(fd)
            #expect(throws: Errno.badMessage) { try segments.open("/seg") }
        }
    }

    @Test("a truncated segment is EBADMSG")
    func segmentTruncated() throws {
        try withScratch { scratch in
            let segments = HostMutexSegments(root: scratch)
            try segments.create("/seg", mutexCount: 2, dataSize: 8).close()
            let fs = HostFileSystem(root: scratch)
            try fs.truncate("/seg", to: fs.stat("/seg").size - 1)
            #expect(throws: Errno.badMessage) { try segments.open("/seg") }
        }
    }

    @Test("a failed create leaves no file behind; negative sizes are EINVAL")
    func segmentCreateFailures() throws {
        try withScratch { scratch in
            let segments = HostMutexSegments(root: scratch)
            #expect(throws: Errno.noSuchFileOrDirectory) { try segments.create("/no/seg", mutexCount: 1, dataSize: 0) }
            #expect(throws: Errno.invalidArgument) { try segments.create("/seg", mutexCount: -1, dataSize: 0) }
            let left = try HostFileSystem(root: scratch).names("/")
            #expect(left == [])
        }
    }

    @Test("a closed segment refuses calls with EBADF")
    func segmentClosed() throws {
        try withScratch { scratch in
            let segment = try HostMutexSegments(root: scratch).create("/seg", mutexCount: 1, dataSize: 8)
            segment.close()
            segment.close()
            #expect(throws: Errno.badFileDescriptor) { try segment.lock(0) }
        }
    }

    @Test("getrandom gives distinct values")
    func random() {
        let random = HostRandom()
        let values = Set((0..<64).map { _ in random.next() })
        #expect(values.count == 64)
        #expect(random.next(below: 10) < 10)
    }

    @Test("Machine.host wires the host backends")
    func machine() throws {
        let machine = Machine.host()
        #expect(machine.fileSystem is HostFileSystem)
        #expect(machine.processes.currentProcess.rawValue == getpid())
        #expect(try machine.fileSystem.stat("/").kind == .directory)
    }
}
