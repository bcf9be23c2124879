/// Self-checks of the tree's bookkeeping, for tests and for a scheduler that wants to assert them.
extension SimWorld {
    /// Problems with the world's internal bookkeeping; empty when all is well. Checks that every entry
    /// names a live inode, link counts and durable link counts match the entries, directories know their
    /// parent, and the inode table holds nothing unreferenced.
    public func consistencyProblems() -> [String] {
        lock.withLock {
            var problems: [String] = []
            var names: [UInt64: Int] = [:]
            var durableNames: [UInt64: Int] = [:]
            var pendingNames: [UInt64: Int] = [:]
            var openFiles: [UInt64: Int] = [:]
            for (id, node) in inodes where node.kind == .directory {
                for (name, child) in node.entries {
                    guard let childNode = inodes[child] else {
                        problems.append("\(id)/\(name) names missing inode \(child)")
                        continue
                    }
                    names[child, default: 0] += 1
                    if childNode.kind == .directory && (childNode.parent != id || childNode.name != name) {
                        problems.append("directory \(child) at \(id)/\(name) thinks it is \(childNode.parent)/\(childNode.name)")
                    }
                }
                for (name, child) in node.durableEntries {
                    if inodes[child] == nil { problems.append("durable \(id)/\(name) names missing inode \(child)") }
                    durableNames[child, default: 0] += 1
                }
            }
            for change in pending {
                for slot in change.slots where slot.inode != 0 {
                    if inodes[slot.inode] == nil { problems.append("pending change names missing inode \(slot.inode)") }
                    pendingNames[slot.inode, default: 0] += 1
                }
            }
            for process in processes.values {
                for case let file? in process.files { openFiles[file.inode.id, default: 0] += 1 }
            }
            for (id, node) in inodes {
                let expectedLinks = node.isMountRoot && id == rootID ? 1 : names[id, default: 0]
                if node.linkCount != expectedLinks {
                    problems.append("inode \(id) link count \(node.linkCount), names \(expectedLinks)")
                }
                if node.region == .disk && !node.isMountRoot && node.durableLinks != durableNames[id, default: 0] {
                    problems.append("inode \(id) durable links \(node.durableLinks), durable names \(durableNames[id, default: 0])")
                }
                if node.pendingLinks != pendingNames[id, default: 0] {
                    problems.append("inode \(id) pending links \(node.pendingLinks), pending slots \(pendingNames[id, default: 0])")
                }
                if node.openCount < openFiles[id, default: 0] {
                    problems.append("inode \(id) open count \(node.openCount) below \(openFiles[id, default: 0])")
                }
                if !node.isMountRoot && node.linkCount == 0 && node.openCount == 0 && node.durableLinks == 0
                    && node.pendingLinks == 0 {
                    problems.append("inode \(id) is unreferenced but not freed")
                }
            }
            return problems.sorted()
        }
    }
}
