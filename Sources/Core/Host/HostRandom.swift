import CSupport
import Glibc

/// The kernel's randomness behind `RandomSource`.
public final class HostRandom: RandomSource {
    public init() {}

    /// `getrandom(2)` of 8 bytes, retried on EINTR. It blocks only before the kernel's pool is first
    /// initialised at boot; it cannot fail otherwise, so a failure is a crash.
    public func next() -> UInt64 {
        RealWorldGuard.check("randomness")
        var value: UInt64 = 0
        let count = try? withUnsafeMutableBytes(of: &value) { buffer in
            try Syscall.retryingOnInterrupt { csupport_getrandom(buffer.baseAddress, buffer.count, 0) }
        }
        precondition(count == 8, "getrandom(2) failed")
        return value
    }
}
