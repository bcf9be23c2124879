import CSupport
import Glibc

/// Calls on an open descriptor.
extension Syscall {
    /// `openat(2)`. O_CLOEXEC is the caller's to add.
    static func openat(_ directory: Int32, _ path: String, _ flags: Int32, _ mode: mode_t) throws -> Int32 {
        try retryingOnInterrupt { Glibc.openat(directory, path, flags, mode) }
    }

    /// `openat2(2)` through CSupport. `mode` must be 0 unless `flags` has O_CREAT.
    ///
    /// With RESOLVE_IN_ROOT the kernel answers EAGAIN when a concurrent rename could have let `..` escape;
    /// openat2(2) says to retry, so it is retried a bounded number of times.
    static func openat2(_ directory: Int32, _ path: String, _ flags: Int32, _ mode: mode_t, resolve: UInt64)
        throws -> Int32
    {
        var attempts = 0
        while true {
            do {
                return try retryingOnInterrupt {
                    csupport_openat2(directory, path, UInt64(UInt32(bitPattern: flags)), UInt64(mode), resolve)
                }
            } catch Errno.resourceTemporarilyUnavailable where attempts < 64 {
                attempts += 1
            }
        }
    }

    /// `close(2)`; never retried (see the EINTR policy), an interrupted close counts as done.
    static func close(_ fd: Int32) throws {
        if Glibc.close(fd) == -1, errno != EINTR { throw Errno(rawValue: errno) }
    }

    /// `read(2)`.
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try retryingOnInterrupt { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// `pread(2)`.
    static func pread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, _ offset: Int64) throws -> Int {
        try retryingOnInterrupt { Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// `write(2)`.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws -> Int {
        try retryingOnInterrupt { Glibc.write(fd, bytes.baseAddress, bytes.count) }
    }

    /// `pwrite(2)`.
    static func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ offset: Int64) throws -> Int {
        try retryingOnInterrupt { Glibc.pwrite(fd, bytes.baseAddress, bytes.count, off_t(offset)) }
    }

    /// `fsync(2)`.
    static func fsync(_ fd: Int32) throws {
        _ = try retryingOnInterrupt { Glibc.fsync(fd) }
    }

    /// `fdatasync(2)`.
    static func fdatasync(_ fd: Int32) throws {
        _ = try retryingOnInterrupt { Glibc.fdatasync(fd) }
    }

    /// `ftruncate(2)`.
    static func ftruncate(_ fd: Int32, _ size: Int64) throws {
        _ = try retryingOnInterrupt { Glibc.ftruncate(fd, off_t(size)) }
    }

    /// `fchmod(2)`.
    static func fchmod(_ fd: Int32, _ mode: mode_t) throws {
        _ = try retryingOnInterrupt { Glibc.fchmod(fd, mode) }
    }

    /// `flock(2)`; a blocking lock interrupted by a signal is retried.
    static func flock(_ fd: Int32, _ operation: Int32) throws {
        // Through CSupport: in Swift the name `flock` means `struct flock`.
        _ = try retryingOnInterrupt { csupport_flock(fd, operation) }
    }

    /// `fcntl(F_OFD_SETLK)` through CSupport (Swift cannot call the variadic `fcntl`). It never waits, so
    /// EINTR cannot happen; a conflict (EAGAIN, or EACCES as POSIX also allows) is EWOULDBLOCK.
    static func setLock(_ fd: Int32, type: Int32, start: Int64, length: Int64) throws {
        do {
            _ = try once { csupport_ofd_setlk(fd, type, start, length) }
        } catch Errno.permissionDenied {
            throw Errno.wouldBlock
        }
    }

    /// `mmap(2)` of a file, shared and writable.
    static func mapShared(_ fd: Int32, offset: Int64, length: Int) throws -> UnsafeMutableRawPointer {
        RealWorldGuard.check("kernel (a system call)")
        let address = Glibc.mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off_t(offset))
        guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else { throw Errno(rawValue: errno) }
        return address
    }

    /// `munmap(2)`.
    static func unmap(_ address: UnsafeMutableRawPointer, length: Int) throws {
        _ = try once { Glibc.munmap(address, length) }
    }

    /// `fstatat(2)`; with `AT_EMPTY_PATH` and an empty path it is `fstat(2)` of `directory` itself.
    static func fstatat(_ directory: Int32, _ path: String, _ flags: Int32) throws -> stat {
        var status = stat()
        _ = try retryingOnInterrupt { Glibc.fstatat(directory, path, &status, flags) }
        return status
    }

    /// `fstat(2)`.
    static func fstat(_ fd: Int32) throws -> stat {
        var status = stat()
        _ = try retryingOnInterrupt { Glibc.fstat(fd, &status) }
        return status
    }
}
