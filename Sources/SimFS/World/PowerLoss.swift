/// What a power loss did to the pending state.
public struct PowerLossOutcome: Hashable, Sendable {
    public var changesKept = 0
    public var changesDropped = 0
    public var filesKept = 0
    public var filesDropped = 0
    public var filesTorn = 0
}

/// What a power cut does to the pending state as a whole: drop all of it, keep all of it, or a seeded mix
/// (each change kept or dropped, each file's data old, new or torn). A crash-point sweep names the mode
/// (`bootsim sweep`); otherwise the loss seed draws it.
public enum PowerLossMode: Int, Hashable, Sendable {
    case dropAll = 0, keepAll = 1, mixed = 2
}

extension SimWorld {
    static let sectorSize = 512

    /// Something is pending that a power cut could lose: an entry change or unsynced file data. With
    /// nothing pending, every outcome of a cut is the same.
    public var hasPendingWrites: Bool {
        lock.withLock { !pending.isEmpty || inodes.values.contains { $0.dataDirty } }
    }

    /// Cuts the power: every process dies, and each pending change is kept, dropped or (file data) torn, as
    /// `seed` decides; then the machine boots.
    ///
    /// The model is a journaling file system's:
    /// - Directory entries: per directory, a prefix of its pending changes survives (a change dropped in a
    ///   directory drops every later change in that directory; a rename is one change in both directories,
    ///   so it is all or nothing). Names made durable by a directory fsync always survive.
    /// - Data, per file with unsynced writes: the durable (last fsynced) contents, the live contents, or a
    ///   tear: the length is the old one, the new one, or a 512-byte boundary between them, and each
    ///   512-byte sector is the old or the new one (a sector where both agree is the new one, so unsynced
    ///   appends tear only at sector boundaries).
    /// - Files left with no durable name vanish; tmpfs is wiped as at every boot.
    /// One of four modes is drawn first: drop everything, keep everything, or (twice as likely) mix; `mode`,
    /// when given, replaces the draw (the draw is still taken, so the rest of the stream is the same).
    /// `lossSeed` seeds the cut's own stream; runs draw it from their seed (`RunSeeds.powerLossSeed`, or the
    /// scheduler's stream for an injected cut; a sweep's from `RunSeeds.sweep`).
    @discardableResult
    public func powerLoss(seed lossSeed: UInt64, mode forced: PowerLossMode? = nil,
                          commandLine: String? = nil) -> PowerLossOutcome {
        lock.withLock {
            var outcome = PowerLossOutcome()
            var random = SplitMix64(seed: lossSeed)
            let drawn = random.below(4)
            let mode = forced?.rawValue ?? drawn
            killEveryone("power loss")
            var droppedDirectories: Set<UInt64> = []
            for change in pending {
                var keep = mode == 1 || (mode >= 2 && random.chance(0.5))
                if change.directories.contains(where: { droppedDirectories.contains($0) }) { keep = false }
                if keep {
                    applyDurably(change)
                    outcome.changesKept += 1
                } else {
                    droppedDirectories.formUnion(change.directories)
                    outcome.changesDropped += 1
                }
            }
            for id in inodes.keys.sorted() {
                guard let node = inodes[id], node.dataDirty else { continue }
                let choice = mode == 0 ? 0 : (mode == 1 ? 1 : random.below(3))
                switch choice {
                case 0:
                    outcome.filesDropped += 1
                case 1:
                    node.durableData = node.data
                    node.durableHole = node.hole
                    outcome.filesKept += 1
                default:
                    let old = node.durableData.count
                    node.durableData = tear(old: node.durableData, new: node.data, &random)
                    // The size came with the new contents or stayed the old file's.
                    let count = node.durableData.count
                    node.durableHole = count == node.data.count ? node.hole : (count == old ? node.durableHole : 0)
                    outcome.filesTorn += 1
                }
                node.dataDirty = false
            }
            restart(commandLine: commandLine)
            recordWorldEvent(.powerLoss, bootIDValue)
            return outcome
        }
    }

    func tear(old: [UInt8], new: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        let sector = Self.sectorSize
        let low = min(old.count, new.count)
        let high = max(old.count, new.count)
        var lengths = [old.count, new.count]
        var boundary = (low / sector + 1) * sector
        while boundary < high {
            lengths.append(boundary)
            boundary += sector
        }
        let length = lengths[random.below(lengths.count)]
        var result = [UInt8](repeating: 0, count: length)
        var start = 0
        while start < length {
            let end = min(start + sector, length)
            let useNew: Bool
            if start >= old.count {
                useNew = true
            } else if start >= new.count {
                useNew = false
            } else {
                let overlap = min(end, old.count, new.count)
                useNew = old[start..<overlap] == new[start..<overlap] || random.chance(0.5)
            }
            let source = useNew ? new : old
            for index in start..<min(end, source.count) { result[index] = source[index] }
            start = end
        }
        return result
    }
}
