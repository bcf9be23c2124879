import Core

/// Reads a key file on the checked machine as systemd-cryptsetup 252 does (`read_full_file_full` with
/// `keyfile-offset=` and `keyfile-size=`): `size` bytes from `offset`, or everything from `offset` when
/// `size` is 0. The bytes are zeroed by `wipe()`; they are never printed.
struct KeyReader {
    /// systemd refuses bigger key files ("Key file … too large").
    static let limit = 8 * 1024 * 1024

    struct Key {
        var bytes: [UInt8]
        /// Fewer bytes than `keyfile-size=` asked for were there.
        var short: Bool
        var worldReadable: Bool

        mutating func wipe() {
            for index in bytes.indices { bytes[index] = 0 }
            bytes = []
        }
    }

    enum Failure: Error {
        case open(Errno)
        case notAFile(FileKind)
        case tooLarge
    }

    let fileSystem: any FileSystem

    func read(_ path: String, offset: UInt64, size: Int) throws(Failure) -> Key {
        let fd: Descriptor
        do { fd = try fileSystem.open(path, .read) } catch { throw .open(error as? Errno ?? .ioError) }
        defer { try? fileSystem.close(fd) }
        let status: FileStatus
        do { status = try fileSystem.fstat(fd) } catch { throw .open(error as? Errno ?? .ioError) }
        guard status.kind == .regular || status.kind == .blockDevice || status.kind == .characterDevice else {
            throw .notAFile(status.kind)
        }
        var wanted = size > 0 ? size : KeyReader.limit + 1
        if size == 0 && status.kind == .regular {
            wanted = min(wanted, max(0, Int(status.size) - Int(clamping: offset)))
        }
        var bytes = [UInt8](repeating: 0, count: wanted)
        var done = 0
        while done < wanted {
            let count: Int
            do {
                count = try bytes.withUnsafeMutableBytes {
                    try fileSystem.pread(
                        fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[done...]), at: Int64(offset) + Int64(done))
                }
            } catch {
                throw .open(error as? Errno ?? .ioError)
            }
            if count == 0 { break }
            done += count
        }
        if size == 0 && done > KeyReader.limit {
            for index in bytes.indices { bytes[index] = 0 }
            throw .tooLarge
        }
        for index in done..<bytes.count { bytes[index] = 0 }
        bytes.removeLast(bytes.count - done)
        let worldReadable = status.kind == .regular && status.permissions.rawValue & 0o005 != 0
        return Key(bytes: bytes, short: size > 0 && done < size, worldReadable: worldReadable)
    }
}
