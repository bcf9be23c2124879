import CSQLite

/// An SQLite VFS registered while this object lives: its `sqlite3_vfs` and `sqlite3_io_methods` blocks and a
/// unique name. `pAppData` points at the owner (unretained: the owner keeps this object), and each file's
/// `sqlite3_file` block holds one pointer just after its header (`slot`).
package final class RegisteredVFS {
    package let name: String
    package let vfs: UnsafeMutablePointer<sqlite3_vfs>
    package let methods: UnsafeMutablePointer<sqlite3_io_methods>
    private let nameStorage: UnsafeMutablePointer<CChar>

    /// Fills the blocks (version 1, names copied as given); `install` sets the VFS's own calls. Nothing is
    /// registered before `register(owner:)`.
    package init(prefix: String, maxPathname: Int32, io: sqlite3_io_methods,
                 install: (UnsafeMutablePointer<sqlite3_vfs>) -> Void) {
        vfs = .allocate(capacity: 1)
        methods = .allocate(capacity: 1)
        name = "\(prefix)-\(UInt(bitPattern: vfs))"
        nameStorage = .allocate(capacity: name.utf8.count + 1)
        nameStorage.initialize(from: name.utf8CString.map { $0 }, count: name.utf8.count + 1)
        methods.initialize(to: io)
        vfs.initialize(to: sqlite3_vfs())
        vfs.pointee.iVersion = 1
        vfs.pointee.szOsFile = Int32(MemoryLayout<sqlite3_file>.stride + MemoryLayout<UnsafeRawPointer>.stride)
        vfs.pointee.mxPathname = maxPathname
        vfs.pointee.zName = UnsafePointer(nameStorage)
        vfs.pointee.xFullPathname = { _, name, size, out in
            let path = Array(String(cString: name!).utf8CString)
            guard path.count <= Int(size) else { return SQLITE_CANTOPEN }
            for (index, byte) in path.enumerated() { out![index] = byte }
            return SQLITE_OK
        }
        install(vfs)
    }

    /// Registers the VFS, with `owner` behind its `pAppData`.
    package func register(owner: AnyObject) {
        vfs.pointee.pAppData = Unmanaged.passUnretained(owner).toOpaque()
        sqlite3_vfs_register(vfs, 0)
    }

    deinit {
        if vfs.pointee.pAppData != nil { sqlite3_vfs_unregister(vfs) }
        vfs.deallocate()
        methods.deallocate()
        nameStorage.deallocate()
    }

    /// The owner a VFS call is for.
    package static func owner<Owner: AnyObject>(_ vfs: UnsafeMutablePointer<sqlite3_vfs>?, as _: Owner.Type) -> Owner {
        Unmanaged<Owner>.fromOpaque(vfs!.pointee.pAppData).takeUnretainedValue()
    }

    /// The pointer a file's `sqlite3_file` block holds after its header.
    package static func slot(_ file: UnsafeMutablePointer<sqlite3_file>) -> UnsafeMutablePointer<UnsafeRawPointer?> {
        (UnsafeMutableRawPointer(file) + MemoryLayout<sqlite3_file>.stride).assumingMemoryBound(to: UnsafeRawPointer?.self)
    }
}
