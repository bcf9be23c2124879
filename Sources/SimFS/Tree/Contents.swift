/// The bytes of a regular file: written bytes in memory, then a trailing hole of zeros that costs nothing,
/// as tmpfs keeps a sparse file.
///
/// Limits (docs/ARCHITECTURE.md, "POSIX parity"):
/// - The largest size is tmpfs's `MAX_LFS_FILESIZE`, 2^63-1: a write that starts there is EFBIG and one
///   that would reach past it is cut short (`generic_write_check_limits`); one whose end is not a 64-bit
///   offset at all is EINVAL first (`rw_verify_area`).
/// - Only the trailing hole is free. Bytes from 0 to the last one written are kept in memory, holes
///   among them too, and past `maxWrittenBytes` a write or `mmap` fails with ENOSPC, as a full tmpfs does.
extension SimWorld {
    static let maxFileSize = Int64.max
    /// What one file may hold in memory (from offset 0 to the end of its last write).
    static let maxWrittenBytes: Int64 = 1 << 30

    /// Copies what the file holds at `start` into `buffer`: bytes, then zeros from the hole. The count read.
    func readContents(_ node: Inode, into buffer: UnsafeMutableRawBufferPointer, at start: Int64) -> Int {
        let count = Int(min(Int64(buffer.count), max(0, node.size - start)))
        guard count > 0 else { return 0 }
        let written = Int(max(0, min(Int64(node.data.count) - start, Int64(count))))
        if written > 0 {
            node.data.withUnsafeBytes { bytes in
                buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + Int(start), byteCount: written)
            }
        }
        if written < count { (buffer.baseAddress! + written).initializeMemory(as: UInt8.self, repeating: 0, count: count - written) }
        return count
    }

    /// Writes `bytes` at `start`, growing the file; returns the count written (short at the maximum size).
    func writeContents(_ node: Inode, _ bytes: UnsafeRawBufferPointer, at start: Int64) throws -> Int {
        if bytes.isEmpty { return 0 }
        // `rw_verify_area`: an end past 2^63-1 is EINVAL before any size limit is looked at.
        if start > Int64.max - Int64(bytes.count) { throw Errno.invalidArgument }
        if start >= Self.maxFileSize { throw Errno.fileTooLarge }
        let count = Int(min(Int64(bytes.count), Self.maxFileSize - start))
        let end = start + Int64(count)
        if end > Int64(node.data.count) {
            if end > Self.maxWrittenBytes { throw Errno.noSpace }
            let size = node.size
            node.data.append(contentsOf: repeatElement(0, count: Int(end) - node.data.count))
            node.hole = max(0, size - end)
        }
        node.data.withUnsafeMutableBytes { target in
            (target.baseAddress! + Int(start)).copyMemory(from: bytes.baseAddress!, byteCount: count)
        }
        return count
    }

    /// Sets the size: cut (the bytes past it are gone) or extended with a hole.
    func resizeContents(_ node: Inode, to size: Int64) {
        if size < Int64(node.data.count) {
            node.data.removeSubrange(Int(size)...)
            node.hole = 0
        } else {
            node.hole = size - Int64(node.data.count)
        }
    }
}
