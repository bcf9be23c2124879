import CSupport
import Glibc

/// Calls on a name relative to a directory descriptor (`AT_FDCWD` for plain absolute paths).
extension Syscall {
    /// `mkdirat(2)`.
    static func mkdirat(_ directory: Int32, _ name: String, _ mode: mode_t) throws {
        _ = try retryingOnInterrupt { Glibc.mkdirat(directory, name, mode) }
    }

    /// `unlinkat(2)`; `AT_REMOVEDIR` makes it `rmdir(2)`.
    static func unlinkat(_ directory: Int32, _ name: String, _ flags: Int32) throws {
        _ = try retryingOnInterrupt { Glibc.unlinkat(directory, name, flags) }
    }

    /// `renameat2(2)` through CSupport.
    static func renameat2(_ fromDirectory: Int32, _ from: String, _ toDirectory: Int32, _ to: String, _ flags: UInt32)
        throws
    {
        _ = try retryingOnInterrupt { csupport_renameat2(fromDirectory, from, toDirectory, to, flags) }
    }

    /// `symlinkat(2)`: creates `name` in `directory` holding `target`.
    static func symlinkat(_ target: String, _ directory: Int32, _ name: String) throws {
        _ = try retryingOnInterrupt { Glibc.symlinkat(target, directory, name) }
    }

    /// `readlinkat(2)`, growing the buffer until the whole target fits.
    static func readlinkat(_ directory: Int32, _ name: String) throws -> String {
        var capacity = 256
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let count = try retryingOnInterrupt { Glibc.readlinkat(directory, name, &buffer, capacity) }
            if count < capacity {
                let bytes = buffer[0..<count].map { UInt8(bitPattern: $0) }
                return String(decoding: bytes, as: UTF8.self)
            }
            capacity *= 4
        }
    }

    /// `linkat(2)`; without `AT_SYMLINK_FOLLOW` a symbolic link is linked itself, as `link(2)` does on Linux.
    static func linkat(_ fromDirectory: Int32, _ from: String, _ toDirectory: Int32, _ to: String, _ flags: Int32)
        throws
    {
        _ = try retryingOnInterrupt { Glibc.linkat(fromDirectory, from, toDirectory, to, flags) }
    }

    /// `fchmodat(2)` (always follows symbolic links on Linux).
    static func fchmodat(_ directory: Int32, _ name: String, _ mode: mode_t) throws {
        _ = try retryingOnInterrupt { Glibc.fchmodat(directory, name, mode, 0) }
    }

    /// `fchownat(2)`.
    static func fchownat(_ directory: Int32, _ name: String, _ uid: uid_t, _ gid: gid_t, _ flags: Int32) throws {
        _ = try retryingOnInterrupt { Glibc.fchownat(directory, name, uid, gid, flags) }
    }

    /// `truncate(2)`.
    static func truncate(_ path: String, _ size: Int64) throws {
        _ = try retryingOnInterrupt { Glibc.truncate(path, off_t(size)) }
    }

    /// `mknodat(2)`.
    static func mknodat(_ directory: Int32, _ name: String, _ mode: mode_t, _ device: dev_t) throws {
        _ = try retryingOnInterrupt { Glibc.mknodat(directory, name, mode, device) }
    }

    /// `utimensat(2)`; an empty `name` with `AT_EMPTY_PATH` names `directory` itself (futimens).
    static func utimensat(_ directory: Int32, _ name: String, _ times: [timespec], _ flags: Int32) throws {
        _ = try retryingOnInterrupt { times.withUnsafeBufferPointer { Glibc.utimensat(directory, name, $0.baseAddress, flags) } }
    }
}
