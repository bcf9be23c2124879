import Core
import Testing

extension ContractBackend {
    /// Runs `body` in a fresh world and tears it down afterwards.
    func withWorld(_ body: (ContractWorld) throws -> Void) throws {
        let world = try makeWorld()
        defer { world.tearDown() }
        try body(world)
    }

    /// Runs `body` on the file system of a fresh world in which the empty directory `/t` exists.
    func withFS(_ body: (any FileSystem) throws -> Void) throws {
        try withWorld { world in
            try world.fs.mkdir("/t", permissions: [.ownerReadWriteExecute])
            try body(world.fs)
        }
    }
}

extension FileSystem {
    /// Creates or replaces `path` with `text` (mode 0644 before the umask).
    func put(_ path: String, _ text: String) throws {
        let fd = try open(path, [.write, .create, .truncate])
        defer { try? close(fd) }
        try writeAll(fd, Array(text.utf8))
    }

    /// The whole content of `path` as UTF-8 text.
    func text(_ path: String) throws -> String {
        String(decoding: try readFile(path), as: UTF8.self)
    }

    /// Reads up to `count` bytes at the file offset, as text.
    func read(_ fd: Descriptor, count: Int) throws -> String {
        var buffer = [UInt8](repeating: 0, count: count)
        let got = try buffer.withUnsafeMutableBytes { try read(fd, into: $0) }
        return String(decoding: buffer[0..<got], as: UTF8.self)
    }

    /// Reads up to `count` bytes at `offset` without moving the file offset.
    func pread(_ fd: Descriptor, count: Int, at offset: Int64) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let got = try buffer.withUnsafeMutableBytes { try pread(fd, into: $0, at: offset) }
        return Array(buffer[0..<got])
    }

    /// Writes `text` at the file offset; returns the byte count written.
    @discardableResult
    func write(_ fd: Descriptor, _ text: String) throws -> Int {
        try Array(text.utf8).withUnsafeBytes { try write(fd, $0) }
    }

    /// Writes `text` at `offset` without moving the file offset.
    @discardableResult
    func pwrite(_ fd: Descriptor, _ text: String, at offset: Int64) throws -> Int {
        try Array(text.utf8).withUnsafeBytes { try pwrite(fd, $0, at: offset) }
    }

    /// The sorted names in a directory.
    func names(_ path: String) throws -> [String] {
        try readdir(path).map(\.name).sorted()
    }
}
