import Glibc

/// The layout of a mutex segment file, checked by every process that opens one.
///
///     0   magic          UInt64  "PODRTMTX", written last at creation
///     8   layoutVersion  UInt32
///     12  headerSize     UInt32  64
///     16  mutexCount     UInt64
///     24  dataSize       UInt64
///     32  dataOffset     UInt64  64: the data area follows the header
///     40  mutexOffset    UInt64  after the data area, rounded up to a cache line
///     48  mutexStride    UInt64  sizeof(pthread_mutex_t) rounded up to a cache line
///     56  totalSize      UInt64  the file's size
///
/// The mutexes are `pthread_mutex_t`s, one per cache line, so their layout is that of this glibc.
struct MutexSegmentLayout: Equatable {
    static let magic: UInt64 = 0x5854_4D54_5244_4F50  // "PODRTMTX" little-endian
    static let version: UInt32 = 1
    static let headerSize = 64
    static let cacheLine = 64
    static let mutexStride = roundUp(MemoryLayout<pthread_mutex_t>.size, to: cacheLine)

    var mutexCount: Int
    var dataSize: Int

    var dataOffset: Int { Self.headerSize }
    var mutexOffset: Int { Self.roundUp(dataOffset + dataSize, to: Self.cacheLine) }
    var totalSize: Int { mutexOffset + mutexCount * Self.mutexStride }

    static func roundUp(_ value: Int, to multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }

    /// Writes every header field but the magic into `base`.
    func writeHeader(to base: UnsafeMutableRawPointer) {
        base.storeBytes(of: Self.version, toByteOffset: 8, as: UInt32.self)
        base.storeBytes(of: UInt32(Self.headerSize), toByteOffset: 12, as: UInt32.self)
        let fields = [mutexCount, dataSize, dataOffset, mutexOffset, Self.mutexStride, totalSize]
        for (index, field) in fields.enumerated() {
            base.storeBytes(of: UInt64(field), toByteOffset: 16 + 8 * index, as: UInt64.self)
        }
    }

    /// Writes the magic, which makes the segment valid to openers.
    static func writeMagic(to base: UnsafeMutableRawPointer) {
        base.storeBytes(of: magic, toByteOffset: 0, as: UInt64.self)
    }

    /// Reads and checks the header of a segment file of `fileSize` bytes. EBADMSG for anything that is not
    /// a complete segment of this layout (wrong magic, version, offsets, stride or size).
    static func read(from fd: Int32, fileSize: Int) throws -> MutexSegmentLayout {
        guard fileSize >= headerSize else { throw Errno.badMessage }
        var header = [UInt8](repeating: 0, count: headerSize)
        let count = try header.withUnsafeMutableBytes { try Syscall.pread(fd, $0, 0) }
        guard count == headerSize else { throw Errno.badMessage }
        return try header.withUnsafeBytes { bytes in
            func field(_ offset: Int) -> UInt64 { bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
            guard field(0) == magic,
                bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self) == version,
                bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self) == UInt32(headerSize),
                field(16) <= UInt64(Int32.max), field(24) <= UInt64(Int32.max)
            else { throw Errno.badMessage }
            let layout = MutexSegmentLayout(mutexCount: Int(field(16)), dataSize: Int(field(24)))
            guard field(32) == UInt64(layout.dataOffset), field(40) == UInt64(layout.mutexOffset),
                field(48) == UInt64(mutexStride), field(56) == UInt64(layout.totalSize),
                fileSize == layout.totalSize
            else { throw Errno.badMessage }
            return layout
        }
    }
}
