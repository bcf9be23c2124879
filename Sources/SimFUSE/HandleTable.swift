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
    /// The node each open file handle was opened on.
    private var nodeOfHandle: [UInt64: UInt64] = [:]
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

    mutating func attach(_ id: UInt64, to node: UInt64) {
        nodeOfHandle[id] = node
    }

    /// An open file to fstat `node` through: `preferred` if it is a file handle, else any open on `node`.
    func openFile(_ preferred: UInt64?, node: UInt64) -> (any FileSystem, Descriptor)? {
        if let preferred, case .file(let fs, let fd)? = handles[preferred] { return (fs, fd) }
        for (id, owner) in nodeOfHandle where owner == node {
            if case .file(let fs, let fd)? = handles[id] { return (fs, fd) }
        }
        return nil
    }

    /// Forgets `id` and closes what it held.
    mutating func close(_ id: UInt64) throws {
        nodeOfHandle[id] = nil
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
