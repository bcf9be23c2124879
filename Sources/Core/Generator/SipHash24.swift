/// SipHash-2-4 (Aumasson and Bernstein), as systemd's `siphash24()`: a 64-bit keyed hash of a byte string.
enum SipHash24 {
    static func hash(_ data: Bytes, key: Bytes) -> UInt64 {
        precondition(key.count == 16)
        let k0 = readLittleEndian(key, 0)
        let k1 = readLittleEndian(key, 8)
        var v0: UInt64 = 0x736f6d6570736575 ^ k0
        var v1: UInt64 = 0x646f72616e646f6d ^ k1
        var v2: UInt64 = 0x6c7967656e657261 ^ k0
        var v3: UInt64 = 0x7465646279746573 ^ k1

        func round() {
            v0 = v0 &+ v1; v1 = rotate(v1, 13); v1 ^= v0; v0 = rotate(v0, 32)
            v2 = v2 &+ v3; v3 = rotate(v3, 16); v3 ^= v2
            v0 = v0 &+ v3; v3 = rotate(v3, 21); v3 ^= v0
            v2 = v2 &+ v1; v1 = rotate(v1, 17); v1 ^= v2; v2 = rotate(v2, 32)
        }

        let whole = data.count / 8 * 8
        var offset = 0
        while offset < whole {
            let m = readLittleEndian(data, offset)
            v3 ^= m
            round(); round()
            v0 ^= m
            offset += 8
        }
        var last = UInt64(truncatingIfNeeded: data.count) << 56
        for index in 0..<(data.count - whole) {
            last |= UInt64(data[whole + index]) << (8 * UInt64(index))
        }
        v3 ^= last
        round(); round()
        v0 ^= last
        v2 ^= 0xff
        round(); round(); round(); round()
        return v0 ^ v1 ^ v2 ^ v3
    }

    private static func rotate(_ x: UInt64, _ b: UInt64) -> UInt64 { (x << b) | (x >> (64 - b)) }

    private static func readLittleEndian(_ bytes: Bytes, _ offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        return value
    }
}
