import Glibc

/// The calls on open descriptors. A `Descriptor` of the host is the kernel's file descriptor number.
extension HostFileSystem {
    public func open(_ path: String, _ options: OpenOptions, permissions: FilePermissions) throws -> Descriptor {
        let fd = try openDescriptor(path, Self.openFlags(options), permissions.rawValue)
        return Descriptor(rawValue: fd)
    }

    /// The `open(2)` flags for `options`.
    static func openFlags(_ options: OpenOptions) -> Int32 {
        var flags: Int32
        switch (options.contains(.read), options.contains(.write)) {
        case (_, false): flags = O_RDONLY
        case (false, true): flags = O_WRONLY
        case (true, true): flags = O_RDWR
        }
        if options.contains(.create) { flags |= O_CREAT }
        if options.contains(.exclusive) { flags |= O_EXCL }
        if options.contains(.truncate) { flags |= O_TRUNC }
        if options.contains(.append) { flags |= O_APPEND }
        if options.contains(.directory) { flags |= O_DIRECTORY }
        if options.contains(.noFollow) { flags |= O_NOFOLLOW }
        return flags
    }

    public func close(_ fd: Descriptor) throws {
        try Syscall.close(fd.rawValue)
    }

    public func read(_ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try Syscall.read(fd.rawValue, buffer)
    }

    public func pread(_ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        try Syscall.pread(fd.rawValue, buffer, offset)
    }

    public func write(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer) throws -> Int {
        try Syscall.write(fd.rawValue, bytes)
    }

    public func pwrite(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws -> Int {
        try Syscall.pwrite(fd.rawValue, bytes, offset)
    }

    public func fsync(_ fd: Descriptor) throws {
        try Syscall.fsync(fd.rawValue)
    }

    public func fdatasync(_ fd: Descriptor) throws {
        try Syscall.fdatasync(fd.rawValue)
    }

    public func ftruncate(_ fd: Descriptor, to size: Int64) throws {
        try Syscall.ftruncate(fd.rawValue, size)
    }

    public func setTimes(_ fd: Descriptor, access: TimeChange, modification: TimeChange) throws {
        let times = [access.timespec, modification.timespec]
        _ = try Syscall.retryingOnInterrupt { times.withUnsafeBufferPointer { futimens(fd.rawValue, $0.baseAddress) } }
    }

    public func fstat(_ fd: Descriptor) throws -> FileStatus {
        FileStatus(try Syscall.fstat(fd.rawValue))
    }

    public func flock(_ fd: Descriptor, _ operation: FileLockOperation, wait: Bool) throws {
        var flags: Int32
        switch operation {
        case .shared: flags = LOCK_SH
        case .exclusive: flags = LOCK_EX
        case .unlock: flags = LOCK_UN
        }
        if !wait { flags |= LOCK_NB }
        try Syscall.flock(fd.rawValue, flags)
    }

    public func lockRange(_ fd: Descriptor, _ operation: FileLockOperation, start: Int64, length: Int64) throws {
        let type: Int32
        switch operation {
        case .shared: type = 0
        case .exclusive: type = 1
        case .unlock: type = 2
        }
        try Syscall.setLock(fd.rawValue, type: type, start: start, length: length)
    }

    public func mapShared(_ fd: Descriptor, offset: Int64, length: Int) throws -> UnsafeMutableRawPointer {
        try Syscall.mapShared(fd.rawValue, offset: offset, length: length)
    }

    public func unmapShared(_ address: UnsafeMutableRawPointer, length: Int) throws {
        try Syscall.unmap(address, length: length)
    }
}
