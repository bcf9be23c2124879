import Core

/// Open files and directories by the `fh` the kernel holds. Handles are numbered from 1 and never reused,
/// so a handle from before a reboot is simply unknown afterwards (EIO).
struct HandleTable {
    enum Handle {
        /// A file opened in `fs` (the view of the process that opened it).
        case file(fs: any FileSystem, fd: Descriptor)
        /// A directory: its listing, taken at opendir, and a descriptor opened on the first fsyncdir.
        case directory(fs: any FileSystem, path: String, entries: [DirectoryEntry], fd: Descriptor?)
    }

    private(set) var handles: [UInt64: Handle] = [:]
    private var nextID: UInt64 = 1

    mutating func add(_ handle: Handle) -> UInt64 {
        let id = nextID
        nextID += 1
        handles[id] = handle
        return id
    }

    subscript(id: UInt64) -> Handle? {
        get { handles[id] }
        set { handles[id] = newValue }
    }

    /// Forgets `id` and closes what it held.
    mutating func close(_ id: UInt64) throws {
        guard let handle = handles.removeValue(forKey: id) else { return }
        switch handle {
        case .file(let fs, let fd): try fs.close(fd)
        case .directory(let fs, _, _, let fd): if let fd { try fs.close(fd) }
        }
    }

    /// A reboot: the descriptors belong to the old boot. They are closed, best effort, and forgotten.
    mutating func reset() {
        for id in Array(handles.keys) { try? close(id) }
    }

    var count: Int { handles.count }
}
