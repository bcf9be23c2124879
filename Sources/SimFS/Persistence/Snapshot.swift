/// A copy of a world's machine state: disk (durable and pending), tmpfs, clock, boot, fault rules, op log,
/// mutex segments. Processes are not part of it: restoring kills the current ones, and a mutex a process
/// held in the snapshot comes back owner-dead.
public struct SimSnapshot: @unchecked Sendable {
    // Immutable once made: restore copies out of it again.
    let image: WorldImage
}

/// The plain state behind a snapshot or a saved world.
final class WorldImage {
    var seed: UInt64 = 0
    var commandLine = ""
    var bootCount: UInt64 = 0
    var bootID = ""
    var inodes: [Inode] = []
    var nextInode: UInt64 = 1
    var rootID: UInt64 = 0
    var regionRoots: [Region: UInt64] = [:]
    var procFiles: (cmdline: UInt64, bootID: UInt64) = (0, 0)
    var pending: [EntryChange] = []
    var monotonic: UInt64 = 0
    var wallAtBoot: Int64 = 0
    var opCost: UInt64 = 0
    var faults: [ActiveFault] = []
    var nextFaultID = 1
    var faultRandom = SplitMix64(seed: 0)
    var log = OpLog()
    var segments: [SegmentImage] = []
    var nextPid: Int32 = SimWorld.firstPid
}

struct SegmentImage {
    var inode: UInt64
    var data: [UInt8]
    var ownerDied: [Bool]
}

extension SimWorld {
    /// Copies the machine state.
    public func snapshot() -> SimSnapshot {
        lock.withLock { SimSnapshot(image: makeImage()) }
    }

    /// Puts the machine back to `snapshot`. Every current process is killed first.
    public func restore(_ snapshot: SimSnapshot) {
        lock.withLock {
            killEveryone("restore")
            load(snapshot.image)
        }
    }

    func makeImage() -> WorldImage {
        let image = WorldImage()
        image.seed = seed
        image.commandLine = commandLineValue
        image.bootCount = bootCountValue
        image.bootID = bootIDValue
        image.inodes = inodes.keys.sorted().map { inodes[$0]!.copy() }
        for node in image.inodes { node.openCount = 0 }
        image.nextInode = nextInode
        image.rootID = rootID
        image.regionRoots = regionRoots
        image.procFiles = procFiles
        image.pending = pending
        image.monotonic = monotonic
        image.wallAtBoot = wallAtBoot
        image.opCost = opCostValue
        image.faults = faultRules
        image.nextFaultID = nextFaultID
        image.faultRandom = faultRandom
        image.log = log
        image.segments = segments.keys.sorted().map { id in
            let state = segments[id]!
            return SegmentImage(inode: id, data: state.data,
                                ownerDied: state.mutexes.map { $0.ownerDied || $0.owner != nil })
        }
        image.nextPid = nextPid
        return image
    }

    /// Replaces the state with a copy of `image` (lock held, processes already gone).
    func load(_ image: WorldImage) {
        commandLineValue = image.commandLine
        bootCountValue = image.bootCount
        bootIDValue = image.bootID
        inodes = [:]
        for node in image.inodes { inodes[node.id] = node.copy() }
        nextInode = image.nextInode
        rootID = image.rootID
        regionRoots = image.regionRoots
        for id in [rootID] + Array(regionRoots.values) { inodes[id]?.isMountRoot = true }
        procFiles = image.procFiles
        pending = image.pending
        monotonic = image.monotonic
        wallAtBoot = image.wallAtBoot
        opCostValue = image.opCost
        faultRules = image.faults
        nextFaultID = image.nextFaultID
        // A snapshot of another seed's world (a scenario's prefix, made once with seed 0) keeps this world's
        // own fault stream: every seed draws its own faults after the prefix.
        faultRandom = image.seed == seed ? image.faultRandom : SplitMix64(seed: seeds.faults)
        log = image.log
        segments = [:]
        mappedMemory = [:]
        for saved in image.segments where inodes[saved.inode] != nil {
            let state = SegmentState(inode: saved.inode, mutexCount: saved.ownerDied.count, dataSize: 0)
            state.data = saved.data
            for (mutex, died) in zip(state.mutexes, saved.ownerDied) { mutex.ownerDied = died }
            segments[saved.inode] = state
        }
        processes = [:]
        nextPid = image.nextPid
        // Files only open descriptors kept alive are gone with their processes.
        for node in Array(inodes.values) { freeIfUnreferenced(node) }
    }
}

extension SimSnapshot {
    /// Whether a power cut can end this snapshot and `other` only the same way: the same boot, pid counter and
    /// fault rules, the same pending entry changes, and the same disk inodes with the same durable entries,
    /// durable data and unsynced data (what `powerLoss` keeps, drops or tears; tmpfs is wiped either way). A
    /// crash-point sweep gives two such points one verdict (`bootsim sweep`).
    public func sameCut(as other: SimSnapshot) -> Bool {
        let a = image, b = other.image
        guard a.bootCount == b.bootCount, a.nextPid == b.nextPid, a.commandLine == b.commandLine,
              a.faults.count == b.faults.count, a.inodes.count == b.inodes.count, a.pending.count == b.pending.count
        else { return false }
        for (x, y) in zip(a.pending, b.pending) {
            guard x.directories == y.directories, x.slots.count == y.slots.count,
                  zip(x.slots, y.slots).allSatisfy({ $0.directory == $1.directory && $0.name == $1.name && $0.inode == $1.inode })
            else { return false }
        }
        for (x, y) in zip(a.inodes, b.inodes) {
            guard x.id == y.id else { return false }
            guard x.region == .disk else { continue }
            guard x.kind == y.kind, x.permissions == y.permissions, x.uid == y.uid, x.gid == y.gid, x.target == y.target,
                  x.dataDirty == y.dataDirty, x.durableEntries == y.durableEntries, x.durableData == y.durableData,
                  !x.dataDirty || x.data == y.data
            else { return false }
        }
        return true
    }
}
