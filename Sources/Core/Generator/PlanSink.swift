// Where the planner's entries go. The serial sink writes them in order once planning is done; the host's
// pipeline (Core/Host) starts writing while planning goes on, on more than one thread. Both give the same
// tree, the same messages in the same order and the same status.

/// Takes the entries the planner makes, in plan order, and writes them.
public protocol PlanSink: AnyObject {
    /// An entry the planner has made.
    func planned(_ entry: PlanEntry)
    /// Planning has ended: writes what is left; returns the writers' messages in plan order and whether any
    /// entry failed.
    func finish() -> (messages: [LogMessage], failed: Bool)
}

/// Writes every entry in plan order on the calling thread, after planning.
public final class SerialPlanSink: PlanSink {
    private var writer: PlanWriter
    private var plan = GeneratorPlan()

    public init(fileSystem: any FileSystem) { writer = PlanWriter(fileSystem: fileSystem) }

    public func planned(_ entry: PlanEntry) { plan.entries.append(entry) }

    public func finish() -> (messages: [LogMessage], failed: Bool) {
        let result = writer.apply(plan)
        plan.entries = []
        return result
    }
}

/// Which earlier entries an entry must wait for when entries are written side by side: the last earlier
/// entry that wrote each of its paths, and, for a directory with its own mode (a key device's mount point,
/// 0700), every earlier entry that wrote below it (it would have made the directory a plain 0755 one) and
/// the entry that made it. Fed in plan order as the planner makes entries; entries that wait for nothing
/// touch no path in common, so any interleaving gives the serial result.
public struct PlanDependencies {
    private var lastWriter: [BytesKey: Int] = [:]
    private var explicitDirectories: [Bytes] = []
    private var pathsOfEntry: [[Bytes]] = []

    public init() {}

    /// The next entry's waits: indices of earlier entries, ascending, without repeats.
    public mutating func add(_ entry: PlanEntry) -> [Int] {
        let index = pathsOfEntry.count
        var waits: [Int] = []
        var paths: [Bytes] = []
        paths.reserveCapacity(entry.operations.count)
        func written(_ key: Bytes) {
            if let other = lastWriter.updateValue(index, forKey: BytesKey(key)), other != index { waits.append(other) }
        }
        for operation in entry.operations {
            let path = operation.path
            if case .makeDirectory = operation, !explicitDirectories.contains(path) {
                explicitDirectories.append(path)
                for (earlier, earlierPaths) in pathsOfEntry.enumerated()
                where earlierPaths.contains(where: { Self.isBelow($0, path) }) {
                    waits.append(earlier)
                }
            }
            written(path)
            for directory in explicitDirectories where Self.isBelow(path, directory) { written(directory) }
            paths.append(path)
        }
        pathsOfEntry.append(paths)
        if waits.count > 1 { waits = Array(Set(waits)).sorted() }
        return waits
    }

    /// Whether `path` names something inside `directory`.
    static func isBelow(_ path: Bytes, _ directory: Bytes) -> Bool {
        var end = directory.count
        while end > 1 && directory[end - 1] == UInt8(ascii: "/") { end -= 1 }
        return path.count > end + 1 && path[end] == UInt8(ascii: "/") && path.starts(with: directory[..<end])
    }
}
