/// One directory slot an entry change sets: `name` in `directory` now names `inode` (0: removed).
struct EntrySlot {
    var directory: UInt64
    var name: String
    var inode: UInt64
}

/// One indivisible change of directory entries on the disk: a create, unlink, mkdir, rmdir, link, symlink,
/// or a rename (which sets two slots at once). `directories` are every directory whose log it belongs to:
/// the slots' directories, plus a removed or moved directory itself.
struct EntryChange {
    var slots: [EntrySlot]
    var directories: [UInt64]
}

// The durability model (disk region only; tmpfs and /proc have none).
//
// Every inode has live and durable contents, every directory live and durable entries. The live state is
// what processes see; the durable state is what a power loss falls back to.
// - Data: `write`, `pwrite`, `truncate` change live data only. `fsync`/`fdatasync` of the file make its
//   data durable. Mode and owner changes are durable at once (a simplification).
// - Entries: each namespace call appends one `EntryChange` to `pending`. Each directory thus has an
//   ordered log of changes; a rename belongs to the logs of both its directories (and of the moved directory).
//   `fsync` of a directory makes durable every pending change in its log, plus, transitively, every earlier
//   change in the log of any directory those changes touch, so each directory's durable entries are always
//   a prefix of its log. `fsync` of a file does not make its name durable (POSIX; ext4 would).
// - A clean reboot makes everything durable. A power loss keeps, per directory, a prefix of the log (see
//   PowerLoss.swift): that is what a journaling file system can show, where a rename is one transaction.
// - An inode with no durable name after a power loss vanishes.
extension SimWorld {
    /// Sets a live directory entry, keeping link counts and directory parents right. No durability record.
    func setEntry(_ directory: Inode, _ name: String, to node: Inode?) {
        if let old = directory.entries[name] {
            let oldNode = inode(old)
            oldNode.linkCount -= 1
            if oldNode.kind == .directory { directory.subdirectoryCount -= 1 }
        }
        if let node {
            directory.entries[name] = node.id
            node.linkCount += 1
            if node.kind == .directory {
                directory.subdirectoryCount += 1
                node.parent = directory.id
                node.name = name
            }
        } else {
            directory.entries[name] = nil
        }
    }

    /// Records one entry change if it is on the disk.
    func recordChange(_ slots: [EntrySlot], alsoDirectories extra: [UInt64] = []) {
        guard let first = slots.first, inode(first.directory).region.isPersistent else { return }
        var directories: [UInt64] = []
        for slot in slots where !directories.contains(slot.directory) { directories.append(slot.directory) }
        for id in extra where !directories.contains(id) { directories.append(id) }
        for slot in slots where slot.inode != 0 { inode(slot.inode).pendingLinks += 1 }
        pending.append(EntryChange(slots: slots, directories: directories))
    }

    /// `fsync` of a directory: its pending changes and the earlier ones they depend on become durable.
    func commitEntries(of directory: Inode) {
        guard directory.region.isPersistent, !pending.isEmpty else { return }
        var involved: Set<UInt64> = [directory.id]
        var selected = [Bool](repeating: false, count: pending.count)
        var any = false
        for index in pending.indices.reversed() {
            let change = pending[index]
            if change.directories.contains(where: { involved.contains($0) }) {
                selected[index] = true
                any = true
                for id in change.directories { involved.insert(id) }
            }
        }
        guard any else { return }
        var remaining: [EntryChange] = []
        remaining.reserveCapacity(pending.count)
        var applied: [EntryChange] = []
        for (index, change) in pending.enumerated() {
            if selected[index] { applied.append(change) } else { remaining.append(change) }
        }
        pending = remaining
        for change in applied { applyDurably(change) }
        for change in applied { for slot in change.slots { releaseSlotReferences(slot) } }
    }

    /// Makes everything durable, as a clean shutdown does.
    func commitEverything() {
        let all = pending
        pending = []
        for change in all { applyDurably(change) }
        for change in all { for slot in change.slots { releaseSlotReferences(slot) } }
        for node in inodes.values where node.dataDirty {
            node.durableData = node.data
            node.durableHole = node.hole
            node.dataDirty = false
        }
    }

    /// Writes one change into the durable entries. Pending references are released by the caller.
    func applyDurably(_ change: EntryChange) {
        for slot in change.slots {
            guard let directory = inodes[slot.directory] else { continue }
            let old = directory.durableEntries[slot.name]
            if slot.inode != 0, let node = inodes[slot.inode] {
                directory.durableEntries[slot.name] = slot.inode
                node.durableLinks += 1
            } else {
                directory.durableEntries[slot.name] = nil
            }
            if let old, let oldNode = inodes[old] {
                oldNode.durableLinks -= 1
                freeIfUnreferenced(oldNode)
            }
        }
    }

    /// Drops the pending reference of a slot that was applied or dropped, and frees what is now unreferenced.
    func releaseSlotReferences(_ slot: EntrySlot) {
        if slot.inode != 0, let node = inodes[slot.inode] {
            node.pendingLinks -= 1
            freeIfUnreferenced(node)
        }
    }

    /// `fsync` of a regular file: its data becomes durable.
    func commitData(of node: Inode) {
        if node.dataDirty {
            node.durableData = node.data
            node.durableHole = node.hole
            node.dataDirty = false
        }
    }

    /// Frees an inode nothing refers to any more: no live name, no open file, no durable name, no pending change.
    func freeIfUnreferenced(_ node: Inode) {
        guard node.linkCount == 0, node.openCount == 0, node.durableLinks == 0, node.pendingLinks == 0,
              !node.isMountRoot, inodes[node.id] != nil else { return }
        inodes[node.id] = nil
        segments[node.id] = nil
        for child in node.durableEntries.values {
            if let childNode = inodes[child] {
                childNode.durableLinks -= 1
                freeIfUnreferenced(childNode)
            }
        }
    }
}
