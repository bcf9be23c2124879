import XCTest
@testable import SimFS

/// A fresh world and one process in it.
func makeWorld(seed: UInt64 = 1, commandLine: String = "quiet") -> (SimWorld, Machine) {
    let world = SimWorld(seed: seed, commandLine: commandLine)
    let pid = world.spawn(name: "test")
    return (world, world.machine(for: pid))
}

extension FileSystem {
    func write(_ path: String, _ text: String, sync: Bool = false, options: OpenOptions = [.write, .create, .truncate]) throws {
        let fd = try open(path, options)
        try writeAll(fd, Array(text.utf8))
        if sync { try fsync(fd) }
        try close(fd)
    }

    func text(_ path: String) throws -> String {
        String(decoding: try readFile(path), as: UTF8.self)
    }

    func fsyncDirectory(_ path: String) throws {
        let fd = try open(path, [.read, .directory])
        try fsync(fd)
        try close(fd)
    }
}

/// Asserts that `body` throws exactly `errno`.
func XCTAssertErrno<T>(_ errno: Errno, _ body: @autoclosure () throws -> T, file: StaticString = #filePath,
                       line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected \(errno), got success", file: file, line: line)
    } catch let error as Errno {
        XCTAssertEqual(error, errno, file: file, line: line)
    } catch {
        XCTFail("expected \(errno), got \(error)", file: file, line: line)
    }
}
