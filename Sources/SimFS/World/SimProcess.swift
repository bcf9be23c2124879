/// One open file description (what `open` creates): offset, access mode and flock state.
final class OpenFile {
    let inode: Inode
    let path: String
    let readable: Bool
    let writable: Bool
    let append: Bool
    let owner: SimProcess
    var offset: Int64 = 0
    var lockMode: FileLockOperation = .unlock

    init(inode: Inode, path: String, readable: Bool, writable: Bool, append: Bool, owner: SimProcess) {
        self.inode = inode
        self.path = path
        self.readable = readable
        self.writable = writable
        self.append = append
        self.owner = owner
    }
}

/// A simulated process: pid, name, environment, descriptors, held mutexes. Mutated only under the world lock.
final class SimProcess {
    let pid: ProcessID
    let name: String
    let parent: ProcessID?
    let bootCount: UInt64
    var environment: [String: String]
    var cwd: String
    var umask: UInt32 = 0o022
    /// Who the process is to the file system (its fsuid, fsgid and supplementary groups): root by default.
    var credentials = Credentials.root
    /// The kernel drops set-id bits itself before it asks (a FUSE request's caller: `file_remove_privs`,
    /// `mode_strip_sgid`, chown's kill of the bits), so SimFS leaves those effects out. Permissions are
    /// still checked here (Permissions.swift), whether or not the kernel checked them too.
    var kernelDropsSetID = false
    /// Where the supplementary groups come from when `credentials.groups` does not have them yet (a FUSE
    /// caller's, read from /proc): fetched on the first check that needs them (`inGroup`).
    var groupSource: (() -> [UInt32])?
    var files: [OpenFile?] = []
    var heldMutexes: [MutexState] = []
    /// Shared mappings of files (Mappings.swift); they keep their memory alive while the process's code can
    /// still touch it, even after the process was killed.
    var mappings: [SharedMapping] = []
    var random: SplitMix64

    var killed = false
    var killReason = ""
    /// Fault rules never apply to this process (`SimWorld.exemptFromFaults`).
    var faultExempt = false
    /// Set when the process has ended (or was killed): how. A parent's `wait` returns it.
    var status: ExitStatus?
    var reaped = false

    init(pid: ProcessID, name: String, parent: ProcessID?, bootCount: UInt64, environment: [String: String],
         cwd: String, random: SplitMix64) {
        self.pid = pid
        self.name = name
        self.parent = parent
        self.bootCount = bootCount
        self.environment = environment
        self.cwd = cwd
        self.random = random
    }

    @inline(__always)
    func file(_ fd: Descriptor) -> OpenFile? {
        let index = Int(fd.rawValue)
        guard index >= 0 && index < files.count else { return nil }
        return files[index]
    }

    /// The lowest free descriptor from 3 (0–2 are the standard streams, which the simulation does not model).
    func install(_ file: OpenFile) -> Descriptor {
        var index = 3
        while index < files.count && files[index] != nil { index += 1 }
        if index >= files.count {
            files.append(contentsOf: repeatElement(nil, count: index + 1 - files.count))
        }
        files[index] = file
        return Descriptor(rawValue: Int32(index))
    }

    var isAlive: Bool { !killed && status == nil }

    /// `in_group_p`: the fsgid or a supplementary group (fetched from `groupSource` only when the fsgid
    /// does not match).
    func inGroup(_ gid: UInt32) -> Bool {
        if credentials.gid == gid { return true }
        if let source = groupSource {
            credentials.groups = source()
            groupSource = nil
        }
        return credentials.groups.contains(gid)
    }
}

// Processes are only touched under their world's lock.
extension SimProcess: @unchecked Sendable {}

/// A process's file-system identity, as Linux's `cred` (fsuid, fsgid, supplementary groups).
public struct Credentials: Hashable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    public var groups: [UInt32]

    public init(uid: UInt32, gid: UInt32, groups: [UInt32] = []) {
        self.uid = uid
        self.gid = gid
        self.groups = groups
    }

    public static let root = Credentials(uid: 0, gid: 0)

    /// Root stands for every capability here (CAP_CHOWN, CAP_FOWNER, CAP_FSETID, CAP_DAC_OVERRIDE).
    var isRoot: Bool { uid == 0 }
}
