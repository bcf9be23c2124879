import XCTest
@testable import SimFS

final class FileSystemSemanticsTests: XCTestCase {
    func testCreateWriteReadBack() throws {
        let (_, m) = makeWorld()
        try m.fileSystem.write("/etc/a", "hello")
        XCTAssertEqual(try m.fileSystem.text("/etc/a"), "hello")
        let status = try m.fileSystem.stat("/etc/a")
        XCTAssertEqual(status.kind, .regular)
        XCTAssertEqual(status.size, 5)
        XCTAssertEqual(status.linkCount, 1)
        XCTAssertEqual(status.permissions.rawValue, 0o644)
    }

    func testUmaskAppliesToCreateAndMkdir() throws {
        let (_, m) = makeWorld()
        let fd = try m.fileSystem.open("/etc/x", [.write, .create], permissions: FilePermissions(rawValue: 0o777))
        try m.fileSystem.close(fd)
        XCTAssertEqual(try m.fileSystem.stat("/etc/x").permissions.rawValue, 0o755)
        try m.fileSystem.mkdir("/etc/d", permissions: FilePermissions(rawValue: 0o777))
        XCTAssertEqual(try m.fileSystem.stat("/etc/d").permissions.rawValue, 0o755)
        try m.fileSystem.chmod("/etc/x", permissions: FilePermissions(rawValue: 0o600))
        XCTAssertEqual(try m.fileSystem.stat("/etc/x").permissions.rawValue, 0o600)
    }

    func testOpenErrors() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        XCTAssertErrno(.noSuchFileOrDirectory, try fs.open("/etc/missing", .read))
        XCTAssertErrno(.noSuchFileOrDirectory, try fs.open("/nodir/x", [.write, .create]))
        try fs.write("/etc/f", "x")
        XCTAssertErrno(.fileExists, try fs.open("/etc/f", [.write, .create, .exclusive]))
        XCTAssertErrno(.notDirectory, try fs.open("/etc/f/x", .read))
        XCTAssertErrno(.notDirectory, try fs.open("/etc/f/", .read))
        XCTAssertErrno(.notDirectory, try fs.open("/etc/f", [.read, .directory]))
        XCTAssertErrno(.isDirectory, try fs.open("/etc", .write))
        XCTAssertErrno(.isDirectory, try fs.open("/etc", [.read, .create]))
        XCTAssertErrno(.isDirectory, try fs.open("/etc/new/", [.write, .create]))
        XCTAssertErrno(.noSuchFileOrDirectory, try fs.open("", .read))
        XCTAssertErrno(.badFileDescriptor, try fs.close(Descriptor(rawValue: 42)))
    }

    func testAccessModesOnDescriptors() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        try fs.write("/etc/f", "abc")
        let reader = try fs.open("/etc/f", .read)
        XCTAssertErrno(.badFileDescriptor, try fs.writeAll(reader, [1]))
        XCTAssertErrno(.invalidArgument, try fs.ftruncate(reader, to: 0))
        let writer = try fs.open("/etc/f", .write)
        var buffer = [UInt8](repeating: 0, count: 4)
        XCTAssertErrno(.badFileDescriptor, try buffer.withUnsafeMutableBytes { try fs.read(writer, into: $0) })
        let directory = try fs.open("/etc", [.read, .directory])
        XCTAssertErrno(.isDirectory, try buffer.withUnsafeMutableBytes { try fs.read(directory, into: $0) })
    }

    func testDescriptorsAreLowestFree() throws {
        let (_, m) = makeWorld()
        try m.fileSystem.write("/etc/f", "x")
        let a = try m.fileSystem.open("/etc/f", .read)
        let b = try m.fileSystem.open("/etc/f", .read)
        XCTAssertEqual(a.rawValue, 3)
        XCTAssertEqual(b.rawValue, 4)
        try m.fileSystem.close(a)
        XCTAssertEqual(try m.fileSystem.open("/etc/f", .read).rawValue, 3)
    }

    func testAppendAndPwriteAndPread() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        try fs.write("/etc/log", "one")
        let fd = try fs.open("/etc/log", [.write, .append])
        try fs.writeAll(fd, Array("two".utf8))
        XCTAssertEqual(try fs.text("/etc/log"), "onetwo")
        let rw = try fs.open("/etc/log", .readWrite)
        _ = try Array("XY".utf8).withUnsafeBytes { try fs.pwrite(rw, $0, at: 1) }
        XCTAssertEqual(try fs.text("/etc/log"), "oXYtwo")
        var buffer = [UInt8](repeating: 0, count: 3)
        XCTAssertEqual(try buffer.withUnsafeMutableBytes { try fs.pread(rw, into: $0, at: 3) }, 3)
        XCTAssertEqual(String(decoding: buffer, as: UTF8.self), "two")
        XCTAssertEqual(try buffer.withUnsafeMutableBytes { try fs.pread(rw, into: $0, at: 100) }, 0)
        XCTAssertErrno(.invalidArgument, try buffer.withUnsafeMutableBytes { try fs.pread(rw, into: $0, at: -1) })
    }

    func testWritePastEndLeavesZeroHole() throws {
        let (_, m) = makeWorld()
        let fd = try m.fileSystem.open("/etc/hole", [.readWrite, .create])
        _ = try [UInt8(7)].withUnsafeBytes { try m.fileSystem.pwrite(fd, $0, at: 4) }
        XCTAssertEqual(try m.fileSystem.readFile("/etc/hole"), [0, 0, 0, 0, 7])
    }

    func testTruncateExtendsWithZerosAndShrinks() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        try fs.write("/etc/t", "abc")
        try fs.truncate("/etc/t", to: 6)
        XCTAssertEqual(try fs.readFile("/etc/t"), Array("abc".utf8) + [0, 0, 0])
        try fs.truncate("/etc/t", to: 1)
        XCTAssertEqual(try fs.text("/etc/t"), "a")
        XCTAssertErrno(.isDirectory, try fs.truncate("/etc", to: 0))
        XCTAssertErrno(.invalidArgument, try fs.truncate("/etc/t", to: -1))
        try fs.write("/etc/t", "zz", options: [.write, .truncate])
        XCTAssertEqual(try fs.text("/etc/t"), "zz")
    }

    func testMkdirRmdirErrors() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        let mode = FilePermissions(rawValue: 0o755)
        try fs.mkdir("/var/d", permissions: mode)
        XCTAssertErrno(.fileExists, try fs.mkdir("/var/d", permissions: mode))
        XCTAssertErrno(.fileExists, try fs.mkdir("/", permissions: mode))
        XCTAssertErrno(.noSuchFileOrDirectory, try fs.mkdir("/var/no/d", permissions: mode))
        try fs.write("/var/d/f", "x")
        XCTAssertErrno(.directoryNotEmpty, try fs.rmdir("/var/d"))
        XCTAssertErrno(.notDirectory, try fs.rmdir("/var/d/f"))
        XCTAssertErrno(.invalidArgument, try fs.rmdir("/var/d/."))
        XCTAssertErrno(.resourceBusy, try fs.rmdir("/"))
        XCTAssertErrno(.resourceBusy, try fs.rmdir("/run"))
        XCTAssertErrno(.noSuchFileOrDirectory, try fs.rmdir("/var/none"))
        try fs.unlink("/var/d/f")
        try fs.rmdir("/var/d")
        XCTAssertFalse(try fs.exists("/var/d"))
    }

    func testUnlinkErrors() throws {
        let (_, m) = makeWorld()
        XCTAssertErrno(.isDirectory, try m.fileSystem.unlink("/etc"))
        XCTAssertErrno(.noSuchFileOrDirectory, try m.fileSystem.unlink("/etc/none"))
        try m.fileSystem.write("/etc/f", "x")
        XCTAssertErrno(.notDirectory, try m.fileSystem.unlink("/etc/f/"))
    }

    func testDirectoryLinkCounts() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        try fs.mkdir("/var/d", permissions: FilePermissions(rawValue: 0o755))
        XCTAssertEqual(try fs.stat("/var/d").linkCount, 2)
        try fs.mkdir("/var/d/e", permissions: FilePermissions(rawValue: 0o755))
        XCTAssertEqual(try fs.stat("/var/d").linkCount, 3)
    }

    func testUnlinkedOpenFileStaysReadable() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        try fs.write("/etc/gone", "still here")
        let fd = try fs.open("/etc/gone", .read)
        try fs.unlink("/etc/gone")
        XCTAssertFalse(try fs.exists("/etc/gone"))
        XCTAssertEqual(try fs.fstat(fd).linkCount, 0)
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = try buffer.withUnsafeMutableBytes { try fs.read(fd, into: $0) }
        XCTAssertEqual(String(decoding: buffer[..<count], as: UTF8.self), "still here")
        try fs.close(fd)
    }

    func testRenameRules() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        let mode = FilePermissions(rawValue: 0o755)
        try fs.write("/etc/a", "A")
        try fs.write("/etc/b", "B")
        try fs.rename("/etc/a", to: "/etc/b")
        XCTAssertEqual(try fs.text("/etc/b"), "A")
        XCTAssertFalse(try fs.exists("/etc/a"))
        try fs.write("/etc/c", "C")
        XCTAssertErrno(.fileExists, try fs.rename("/etc/c", to: "/etc/b", noReplace: true))
        try fs.rename("/etc/c", to: "/etc/d", noReplace: true)
        XCTAssertErrno(.noSuchFileOrDirectory, try fs.rename("/etc/none", to: "/etc/x"))
        XCTAssertErrno(.noSuchFileOrDirectory, try fs.rename("/etc/none", to: "/etc/b", noReplace: true))
        try fs.mkdir("/var/d1", permissions: mode)
        try fs.mkdir("/var/d2", permissions: mode)
        try fs.mkdir("/var/full", permissions: mode)
        try fs.write("/var/full/f", "f")
        try fs.rename("/var/d1", to: "/var/d2")  // over an empty directory
        XCTAssertFalse(try fs.exists("/var/d1"))
        XCTAssertErrno(.directoryNotEmpty, try fs.rename("/var/d2", to: "/var/full"))
        XCTAssertErrno(.notDirectory, try fs.rename("/var/d2", to: "/etc/b"))
        XCTAssertErrno(.isDirectory, try fs.rename("/etc/b", to: "/var/d2"))
        XCTAssertErrno(.invalidArgument, try fs.rename("/var/d2", to: "/var/d2/sub"))
        XCTAssertErrno(.improperLink, try fs.rename("/etc/b", to: "/tmp/b"))
        XCTAssertErrno(.improperLink, try fs.rename("/run/none", to: "/etc/x"))
        XCTAssertErrno(.resourceBusy, try fs.rename("/run", to: "/run2"))
        XCTAssertErrno(.notDirectory, try fs.rename("/etc/b", to: "/etc/z/"))
        // Renaming a name onto another name of the same file does nothing.
        try fs.link("/etc/b", at: "/etc/b2")
        try fs.rename("/etc/b", to: "/etc/b2")
        XCTAssertTrue(try fs.exists("/etc/b"))
        // A moved directory keeps its contents and its path follows.
        try fs.rename("/var/full", to: "/etc/moved")
        XCTAssertEqual(try fs.text("/etc/moved/f"), "f")
        XCTAssertEqual(try fs.realpath("/etc/moved"), "/etc/moved")
    }

    func testReaddirIsSeededNotSortedAndStable() throws {
        let names = (0..<20).map { "file\($0)" }
        func listing(seed: UInt64) throws -> [String] {
            let (_, m) = makeWorld(seed: seed)
            try m.fileSystem.mkdir("/var/d", permissions: FilePermissions(rawValue: 0o755))
            for name in names { try m.fileSystem.write("/var/d/" + name, name) }
            try m.fileSystem.unlink("/var/d/file3")
            return try m.fileSystem.readdir("/var/d").map(\.name)
        }
        let first = try listing(seed: 7)
        XCTAssertEqual(first, try listing(seed: 7))
        XCTAssertEqual(Set(first), Set(names).subtracting(["file3"]))
        XCTAssertNotEqual(first, first.sorted())
        XCTAssertNotEqual(first, try listing(seed: 8))
        let (_, m) = makeWorld()
        XCTAssertErrno(.notDirectory, try m.fileSystem.readdir("/proc/cmdline"))
    }

    func testTimestampsComeFromVirtualClock() throws {
        let (world, m) = makeWorld()
        let before = world.wallNow
        try m.fileSystem.write("/etc/t", "x")
        let status = try m.fileSystem.stat("/etc/t")
        XCTAssertGreaterThan(status.modificationTime, before)
        XCTAssertLessThanOrEqual(status.modificationTime, world.wallNow)
        try m.clock.sleep(until: m.clock.monotonicNow().advanced(byNanoseconds: 10_000_000_000))
        try m.fileSystem.write("/etc/t", "y")
        let later = try m.fileSystem.stat("/etc/t").modificationTime
        XCTAssertGreaterThanOrEqual(later.seconds - status.modificationTime.seconds, 10)
    }

    func testProcViews() throws {
        let (world, m) = makeWorld(commandLine: "root=/dev/sda1 luks.uuid=abc")
        let fs = m.fileSystem
        XCTAssertEqual(try fs.text("/proc/cmdline"), "root=/dev/sda1 luks.uuid=abc\n")
        let bootID = try fs.text("/proc/sys/kernel/random/boot_id")
        XCTAssertEqual(bootID.utf8.count, 37)
        XCTAssertEqual(bootID, world.bootID + "\n")
        XCTAssertEqual(bootID.dropLast().split(separator: "-").map(\.count), [8, 4, 4, 4, 12])
        XCTAssertErrno(.permissionDenied, try fs.open("/proc/sys/kernel/random/boot_id", .write))
        XCTAssertErrno(.permissionDenied, try fs.open("/proc/cmdline", .readWrite))
        XCTAssertErrno(.notPermitted, try fs.unlink("/proc/cmdline"))
        XCTAssertErrno(.noSuchFileOrDirectory, try fs.mkdir("/proc/x", permissions: FilePermissions(rawValue: 0o755)))
        XCTAssertErrno(.noSuchFileOrDirectory, try fs.open("/proc/new", [.write, .create]))
        XCTAssertEqual(try fs.stat("/proc/cmdline").permissions.rawValue, 0o444)
    }

    /// Found by running random calls against the kernel and SimFS side by side.

    func testOpenAndRenameErrorOrderMatchesLinux() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        let mode = FilePermissions(rawValue: 0o755)
        try fs.write("/var/f", "x")
        try fs.mkdir("/var/d", permissions: mode)
        try fs.symlink("f/x", at: "/var/l")
        XCTAssertErrno(.invalidArgument, try fs.open("/var/new", [.read, .create, .directory]))
        XCTAssertErrno(.isDirectory, try fs.open("/var/f/", [.write, .create]))
        XCTAssertErrno(.isDirectory, try fs.open("/var/f/", [.write, .create, .exclusive]))
        XCTAssertErrno(.isDirectory, try fs.open("/var/l/", [.write, .create]))  // the link is not followed
        XCTAssertErrno(.isDirectory, try fs.open("/var/.", [.read, .create]))
        XCTAssertErrno(.fileExists, try fs.open("/var/./", [.read, .create, .exclusive]))
        XCTAssertErrno(.isDirectory, try fs.open("/var/d", [.read, .truncate]))
        XCTAssertErrno(.notDirectory, try fs.open("/var/l", [.read, .noFollow, .directory]))
        try fs.write("/var/d/inner", "i")
        XCTAssertErrno(.invalidArgument, try fs.rename("/var/d", to: "/var/d/inner"))
        XCTAssertErrno(.directoryNotEmpty, try fs.rename("/var/d/inner", to: "/var/d"))
    }
}
