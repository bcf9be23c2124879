import Core
import SimFS

/// The state an explored schedule ends in, as one number: the live tree (names, kinds, permissions,
/// contents, symlink targets; not /proc), the data of every mutex segment in /dev/shm, and how each
/// process of the last group ended, taken in one pass over the world's inodes (`SimWorld.visitLiveTree`),
/// not through the harness's calls. Timestamps and inode numbers are left out: they follow how many calls
/// came before, not what the calls did (`Footprint` takes them as unobserved).
enum EndState {
    static func hash(_ world: SimWorld, _ processes: [any ProcessOutcome]) -> UInt64 {
        var hash = FNV()
        world.visitLiveTree(skipping: ["/proc"]) { entry in
            hash.mix(entry.path)
            hash.mix(entry.kind.rawValue)
            hash.mix(UInt64(entry.permissions))
            switch entry.kind {
            case .symbolicLink:
                hash.mix(entry.target)
            case .regular:
                hash.mix(bytes: entry.contents)
                if let data = entry.segmentData { hash.mix(bytes: data) }
            default:
                break
            }
        }
        for process in processes {
            hash.mix(process.killed ? 1 : 2)
            hash.mix(UInt64(UInt32(bitPattern: process.exitCode ?? -1)))
        }
        return hash.value
    }
}

/// FNV-1a, 64 bits, over words: a byte buffer is mixed eight bytes at a time (then its tail and its
/// length), which is what an end-state hash of every file of the machine spends its time on.
struct FNV {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x100_0000_01b3

    mutating func mix(_ word: UInt64) {
        value = (value ^ word) &* Self.prime
        value ^= value >> 29
    }

    mutating func mix(bytes: [UInt8]) {
        bytes.withUnsafeBytes { mix(raw: $0) }
    }

    mutating func mix(_ text: String) {
        var text = text
        text.withUTF8 { mix(raw: UnsafeRawBufferPointer($0)) }
    }

    mutating func mix(raw: UnsafeRawBufferPointer) {
        var offset = 0
        let count = raw.count
        while offset + 8 <= count {
            mix(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(raw[offset]) << shift
            shift += 8
            offset += 1
        }
        mix(tail)
        mix(UInt64(count))
    }
}
