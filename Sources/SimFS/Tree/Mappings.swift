/// `mmap(MAP_SHARED)` of files: what SQLite's WAL index needs (its `-shm` file, mapped by every connection).
///
/// The memory of a mapped file is the machine's: every process that maps the same inode gets the same bytes,
/// as Linux's page cache gives them. It starts as the file's contents (zeros past the end) when nothing
/// maps the file yet, a truncation zeroes it past the new size (as Linux drops those pages), and it goes
/// when the last mapping does, or at a boot: it is never durable, like tmpfs data. SQLite never relies on
/// more: it rebuilds its index from the WAL whenever it is the first to open it.
///
/// Differences from Linux, which SQLite never meets (SimFSTests' MappingTests pin them down):
/// - `read`/`write` of a mapped file do not see the memory, nor the memory their writes.
/// - A mapping must lie within an earlier one of the same file or overlap none (SQLite maps whole, aligned
///   32 KiB regions); otherwise EINVAL.
/// - A process killed while it maps a file keeps its memory until its code, unwinding, unmaps it: under the
///   scheduler a killed process unwinds at once, before anyone else runs, so what it writes meanwhile is
///   what it would have written had its calls failed just before it died.
final class MappedMemory {
    var chunks: [MemoryChunk] = []
    /// Live mappings of live processes.
    var mappings = 0

    /// Zeroes everything from `offset` on.
    func zero(from offset: Int64) {
        for chunk in chunks where chunk.offset + Int64(chunk.length) > offset {
            let skip = Int(max(0, offset - chunk.offset))
            (chunk.base + skip).initializeMemory(as: UInt8.self, repeating: 0, count: chunk.length - skip)
        }
    }
}

/// One block of mapped memory: bytes `offset..<offset+length` of the file.
final class MemoryChunk {
    let offset: Int64
    let length: Int
    let base: UnsafeMutableRawPointer

    init(offset: Int64, length: Int, contents: [UInt8]) {
        self.offset = offset
        self.length = length
        base = .allocate(byteCount: length, alignment: 4096)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: length)
        let start = Int(min(offset, Int64(contents.count)))
        let count = min(length, contents.count - start)
        if count > 0 {
            contents.withUnsafeBytes { base.copyMemory(from: $0.baseAddress! + start, byteCount: count) }
        }
    }

    deinit { base.deallocate() }
}

/// One mapping of one process.
struct SharedMapping {
    let address: UnsafeMutableRawPointer
    let length: Int
    let chunk: MemoryChunk
    let inode: UInt64
    let path: String
    /// Counted in its file's `MappedMemory` (false once the process died).
    var attached = true
}

extension SimWorld {
    static let pageSize: Int64 = 4096

    func mapShared(_ file: OpenFile, offset: Int64, length: Int, for process: SimProcess) throws -> UnsafeMutableRawPointer {
        let node = file.inode
        // In Linux's order: the arguments, the access mode, then whether the file can be mapped at all.
        guard offset >= 0, offset % Self.pageSize == 0, length > 0 else { throw Errno.invalidArgument }
        guard file.readable, file.writable else { throw Errno.permissionDenied }
        guard node.kind == .regular else { throw Errno.operationNotSupportedByDevice }
        let end = offset + Int64(length)
        let memory = mappedMemory[node.id] ?? MappedMemory()
        let chunk: MemoryChunk
        if let found = memory.chunks.first(where: { $0.offset <= offset && end <= $0.offset + Int64($0.length) }) {
            chunk = found
        } else {
            if memory.chunks.contains(where: { $0.offset < end && offset < $0.offset + Int64($0.length) }) {
                throw Errno.invalidArgument
            }
            chunk = MemoryChunk(offset: offset, length: length, contents: node.data)
            memory.chunks.append(chunk)
        }
        mappedMemory[node.id] = memory
        memory.mappings += 1
        let address = chunk.base + Int(offset - chunk.offset)
        process.mappings.append(SharedMapping(address: address, length: length, chunk: chunk, inode: node.id,
                                              path: file.path))
        return address
    }

    /// The path a mapping of `process` was made through, for the op log ("" when there is none).
    func mappedPath(_ address: UnsafeMutableRawPointer, for process: SimProcess) -> String {
        lock.withLock { process.mappings.first { $0.address == address }?.path ?? "" }
    }

    func unmapShared(_ address: UnsafeMutableRawPointer, length: Int, for process: SimProcess) throws {
        guard let index = process.mappings.firstIndex(where: { $0.address == address && $0.length == length })
        else { throw Errno.invalidArgument }
        let mapping = process.mappings.remove(at: index)
        if mapping.attached { detach(mapping) }
    }

    /// A process died: its mappings stop counting (their memory stays until it unmaps, see `MappedMemory`).
    func detachMappings(of process: SimProcess) {
        for index in process.mappings.indices where process.mappings[index].attached {
            detach(process.mappings[index])
            process.mappings[index].attached = false
        }
    }

    private func detach(_ mapping: SharedMapping) {
        guard let memory = mappedMemory[mapping.inode], memory.chunks.contains(where: { $0 === mapping.chunk }) else { return }
        memory.mappings -= 1
        if memory.mappings == 0 { mappedMemory[mapping.inode] = nil }
    }
}
