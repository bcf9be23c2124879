import XCTest
@testable import SimFS

/// Hard and symbolic links, path walking, realpath.
final class LinkAndPathTests: XCTestCase {
    func testHardLinks() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        try fs.write("/etc/a", "data")
        try fs.link("/etc/a", at: "/etc/b")
        XCTAssertEqual(try fs.stat("/etc/a").linkCount, 2)
        XCTAssertEqual(try fs.stat("/etc/a").inode, try fs.stat("/etc/b").inode)
        try fs.unlink("/etc/a")
        XCTAssertEqual(try fs.stat("/etc/b").linkCount, 1)
        XCTAssertEqual(try fs.text("/etc/b"), "data")
        XCTAssertErrno(.notPermitted, try fs.link("/etc", at: "/etc2"))
        XCTAssertErrno(.fileExists, try fs.link("/etc/b", at: "/etc/b"))
        XCTAssertErrno(.improperLink, try fs.link("/etc/b", at: "/tmp/b"))
        XCTAssertErrno(.noSuchFileOrDirectory, try fs.link("/etc/none", at: "/etc/c"))
    }

    func testSymlinks() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        try fs.write("/etc/target", "t")
        try fs.symlink("target", at: "/etc/rel")
        try fs.symlink("/etc/target", at: "/etc/abs")
        try fs.symlink("/etc/missing", at: "/etc/dangling")
        XCTAssertEqual(try fs.text("/etc/rel"), "t")
        XCTAssertEqual(try fs.text("/etc/abs"), "t")
        XCTAssertEqual(try fs.readlink("/etc/rel"), "target")
        XCTAssertEqual(try fs.lstat("/etc/rel").kind, .symbolicLink)
        XCTAssertEqual(try fs.lstat("/etc/rel").size, 6)
        XCTAssertEqual(try fs.stat("/etc/rel").kind, .regular)
        XCTAssertErrno(.noSuchFileOrDirectory, try fs.stat("/etc/dangling"))
        XCTAssertTrue(try fs.exists("/etc/dangling"))
        XCTAssertErrno(.invalidArgument, try fs.readlink("/etc/target"))
        XCTAssertErrno(.fileExists, try fs.symlink("x", at: "/etc/rel"))
        XCTAssertErrno(.tooManySymbolicLinkLevels, try fs.open("/etc/rel", [.read, .noFollow]))
        XCTAssertErrno(.fileExists, try fs.open("/etc/dangling", [.write, .create, .exclusive]))
        // O_CREAT through a dangling link creates its target.
        try fs.write("/etc/dangling", "made", options: [.write, .create])
        XCTAssertEqual(try fs.text("/etc/missing"), "made")
        // Directory symlinks in the middle of a path.
        try fs.symlink("/var", at: "/etc/v")
        try fs.write("/etc/v/f", "via")
        XCTAssertEqual(try fs.text("/var/f"), "via")
        XCTAssertEqual(try fs.realpath("/etc/v/f"), "/var/f")
    }

    func testSymlinkLoopsAreELOOP() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        try fs.symlink("/etc/b", at: "/etc/a")
        try fs.symlink("/etc/a", at: "/etc/b")
        XCTAssertErrno(.tooManySymbolicLinkLevels, try fs.stat("/etc/a"))
        // A chain of 40 links resolves; 41 is too many.
        try fs.write("/etc/end", "e")
        try fs.symlink("/etc/end", at: "/etc/l0")
        for i in 1...40 { try fs.symlink("/etc/l\(i - 1)", at: "/etc/l\(i)") }
        XCTAssertEqual(try fs.text("/etc/l39"), "e")
        XCTAssertErrno(.tooManySymbolicLinkLevels, try fs.stat("/etc/l40"))
    }

    func testRealpath() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        try fs.makeDirectories("/var/lib/app/x", permissions: FilePermissions(rawValue: 0o755))
        try fs.symlink("../lib/app", at: "/var/tmp/app")
        XCTAssertEqual(try fs.realpath("/var/tmp/app/x/../."), "/var/lib/app")
        XCTAssertEqual(try fs.realpath("/"), "/")
        XCTAssertEqual(try fs.realpath("/dev/shm"), "/dev/shm")
        XCTAssertErrno(.noSuchFileOrDirectory, try fs.realpath("/var/nothing"))
    }

    func testRelativePathsUseWorkingDirectory() throws {
        let (_, m) = makeWorld()
        try m.fileSystem.write("rel", "at root")
        XCTAssertEqual(try m.fileSystem.text("/rel"), "at root")
    }

    func testNameTooLong() throws {
        let (_, m) = makeWorld()
        XCTAssertErrno(.fileNameTooLong, try m.fileSystem.open("/etc/" + String(repeating: "n", count: 256), [.write, .create]))
    }

    func testTrailingSlashNeverFollowsLastLinkWhenChangingNames() throws {
        let (_, m) = makeWorld()
        let fs = m.fileSystem
        let mode = FilePermissions(rawValue: 0o755)
        try fs.mkdir("/var/real", permissions: mode)
        try fs.symlink("/var/real", at: "/var/link")
        try fs.symlink("/var/nowhere", at: "/var/dangling")
        XCTAssertErrno(.notDirectory, try fs.rmdir("/var/link/"))
        XCTAssertErrno(.notDirectory, try fs.unlink("/var/link/"))
        XCTAssertErrno(.fileExists, try fs.mkdir("/var/dangling/", permissions: mode))
        XCTAssertFalse(try fs.exists("/var/nowhere"))
        XCTAssertErrno(.noSuchFileOrDirectory, try fs.symlink("x", at: "/var/new/"))
        XCTAssertEqual(try fs.stat("/var/link/").kind, .directory)  // lookups do follow
        XCTAssertTrue(try fs.exists("/var/real"))
        try fs.mkdir("/var/made/", permissions: mode)
        XCTAssertEqual(try fs.stat("/var/made").kind, .directory)
    }
}
