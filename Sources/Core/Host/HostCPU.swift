import CSupport
import Glibc

/// The CPUs this process may run on, and pinning to one of them.
public enum HostCPU {
    /// How many CPUs the affinity mask allows (1 when it cannot be read).
    public static var usable: Int { Int(csupport_usable_cpus()) }

    /// A CPU of the affinity mask other than the one this thread runs on now.
    public static var other: Int? {
        let cpu = csupport_other_cpu()
        return cpu < 0 ? nil : Int(cpu)
    }

    /// Restricts this process's thread, and the threads and processes it starts afterwards, to `cpu`.
    /// A CPU outside the affinity mask is refused with a message that says which ones are allowed.
    public static func pin(to cpu: Int) throws(HostCPUError) {
        guard csupport_may_use_cpu(Int32(clamping: cpu)) == 1 else {
            let allowed = (0..<1024).filter { csupport_may_use_cpu(Int32($0)) == 1 }.map(String.init)
            throw HostCPUError(
                message: "CPU \(cpu) is not one this process may run on (allowed: \(allowed.joined(separator: ", ")))")
        }
        guard csupport_pin_to_cpu(Int32(cpu)) == 0 else {
            throw HostCPUError(message: "cannot pin to CPU \(cpu): \(String(cString: strerror(errno)))")
        }
    }
}

public struct HostCPUError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
