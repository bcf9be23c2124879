// Applying a plan in several lanes at once. Nearly all of a large run is the kernel creating files; on tmpfs
// that scales with CPUs as long as the lanes do not touch the same names. Entries that share a written path
// (a key device's drop-in, a link, a directory with its own mode) stay in one lane, in plan order, so the
// result is the serial one whatever the interleaving: same tree, same messages in the same order.
//
// Core starts no threads: the caller passes `run`, which calls every closure once and returns when all have
// returned (threads on the host; in order, or in any order, in tests and the simulated world).

extension PlanWriter {
    /// Runs every lane's closure and returns when all are done.
    public typealias LaneRunner = ([@Sendable () -> Void]) -> Void

    /// Below this many entries one lane is faster than starting threads.
    public static let minimumEntriesPerLane = 16

    /// Applies `plan` in up to `lanes` lanes through `run`; the same result as `apply(_:)`.
    public static func apply(_ plan: GeneratorPlan, fileSystem: any FileSystem, lanes: Int,
                             run: LaneRunner) -> (messages: [LogMessage], failed: Bool) {
        let count = min(lanes, plan.entries.count / minimumEntriesPerLane)
        let assignment = count > 1 ? PlanLanes.assign(plan.entries, lanes: count) : []
        guard assignment.count > 1 else {
            var writer = PlanWriter(fileSystem: fileSystem)
            return writer.apply(plan)
        }
        let results = assignment.map { _ in LaneResult() }
        let entries = plan.entries
        run(assignment.enumerated().map { lane, indices in
            let result = results[lane]
            return {
                var writer = PlanWriter(fileSystem: fileSystem, lane: lane + 1)
                for index in indices {
                    var messages: [LogMessage] = []
                    let succeeded = writer.apply(entries[index], messages: &messages)
                    result.entries.append((index, messages, succeeded))
                }
            }
        })
        var byEntry = [(messages: [LogMessage], succeeded: Bool)?](repeating: nil, count: entries.count)
        for result in results {
            for (index, messages, succeeded) in result.entries { byEntry[index] = (messages, succeeded) }
        }
        var messages: [LogMessage] = []
        var failed = false
        for outcome in byEntry {
            // A lane that did not run (a broken runner) is a failure, not silence.
            guard let outcome else {
                messages.append(LogMessage(.error, "Failed to write units: an entry was not written."))
                failed = true
                continue
            }
            messages += outcome.messages
            if !outcome.succeeded { failed = true }
        }
        return (messages, failed)
    }
}

/// One lane's outcome, filled by that lane alone and read after `run` returns.
final class LaneResult: @unchecked Sendable {
    var entries: [(index: Int, messages: [LogMessage], succeeded: Bool)] = []
}

enum PlanLanes {
    /// Entry indices per lane: entries that share a key are in the same lane, in plan order; lanes are
    /// balanced by operation count. Fewer lanes come back when the entries cannot be split.
    static func assign(_ entries: [PlanEntry], lanes: Int) -> [[Int]] {
        var groups = UnionFind(count: entries.count)
        var owner: [BytesKey: Int] = [:]
        owner.reserveCapacity(entries.count * 6)
        let explicitDirectories = explicitDirectoryPaths(entries)
        for (index, entry) in entries.enumerated() {
            for operation in entry.operations {
                for key in keys(operation, explicitDirectories) {
                    if let other = owner.updateValue(index, forKey: key) { groups.union(other, index) }
                }
            }
        }
        // Groups in the order of their first entry, each placed on the lightest lane so far.
        var laneOfGroup: [Int: Int] = [:]
        var weight = [Int](repeating: 0, count: lanes)
        var assignment = [[Int]](repeating: [], count: lanes)
        var groupWeight = [Int](repeating: 0, count: entries.count)
        for (index, entry) in entries.enumerated() { groupWeight[groups.find(index)] += entry.operations.count + 1 }
        for index in entries.indices {
            let group = groups.find(index)
            let lane: Int
            if let known = laneOfGroup[group] {
                lane = known
            } else {
                lane = weight.indices.min { weight[$0] < weight[$1] }!
                laneOfGroup[group] = lane
                weight[lane] += groupWeight[group]
            }
            assignment[lane].append(index)
        }
        return assignment.filter { !$0.isEmpty }
    }

    /// Directories made with their own mode (a key device's mount point, 0700).
    private static func explicitDirectoryPaths(_ entries: [PlanEntry]) -> Set<BytesKey> {
        var paths: Set<BytesKey> = []
        for entry in entries {
            for case .makeDirectory(let path, _, _) in entry.operations { paths.insert(BytesKey(path)) }
        }
        return paths
    }

    /// What an operation must not share with another lane: the path it writes, and any directory with its own
    /// mode that it would otherwise create as a plain parent.
    private static func keys(_ operation: PlanOperation, _ explicitDirectories: Set<BytesKey>) -> [BytesKey] {
        let path = operation.path
        var keys = [BytesKey(path)]
        if explicitDirectories.isEmpty { return keys }
        var end = path.endIndex
        while let slash = path[..<end].lastIndex(of: UInt8(ascii: "/")), slash > path.startIndex {
            let parent = BytesKey(Bytes(path[..<slash]))
            if explicitDirectories.contains(parent) { keys.append(parent) }
            end = slash
        }
        return keys
    }
}

/// Disjoint sets over 0..<count, with path halving.
struct UnionFind {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    mutating func find(_ element: Int) -> Int {
        var element = element
        while parent[element] != element {
            parent[element] = parent[parent[element]]
            element = parent[element]
        }
        return element
    }

    /// Joins the two sets; the smaller index becomes the root, so a group is named by its first entry.
    mutating func union(_ a: Int, _ b: Int) {
        let (ra, rb) = (find(a), find(b))
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
}
