/// One of `count` deterministic shares of every scenario's seeds (`bootsim run --shard K/N`): seed index `i`
/// (seed `first + i`) belongs to shard `i mod N + 1`. K counts from 1, as Playwright's and Jest's `--shard`
/// do; a 0-based index such as Kubernetes' `JOB_COMPLETION_INDEX` is passed as `$((INDEX + 1))/N`. Every
/// seed is in exactly one shard, whatever the machine, so shards run apart and merged give one run's result.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    /// 1...count.
    public let index: Int
    public let count: Int

    /// The whole run: `1/1`.
    public static let all = Shard(validIndex: 1, count: 1)

    /// Why a `--shard` value was refused, in words for the command line.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses `K/N`; refuses anything else with a message that says what is wanted.
    public init(parsing text: String) throws(Problem) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw Problem(description: "--shard wants K/N, shard K of N with 1 <= K <= N (for example 2/4), not '\(text)'")
        }
        try self.init(index: index, count: count)
    }

    public init(index: Int, count: Int) throws(Problem) {
        guard count >= 1 else { throw Problem(description: "--shard \(index)/\(count): N, the number of shards, must be at least 1") }
        guard index >= 1 else {
            throw Problem(description: "--shard \(index)/\(count): K counts from 1 (1/\(count) to \(count)/\(count)); "
                + "from a 0-based index such as JOB_COMPLETION_INDEX pass $((INDEX + 1))/\(count)")
        }
        guard index <= count else { throw Problem(description: "--shard \(index)/\(count): K must be at most N (\(count))") }
        self.init(validIndex: index, count: count)
    }

    private init(validIndex: Int, count: Int) {
        index = validIndex
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }

    /// How many of `total` seeds are this shard's.
    public func seedCount(total: Int) -> Int { max(0, (total - index + count) / count) }

    /// This shard's seeds of `first`, `first + 1`, … (`total` seeds), in order.
    public func seeds(first: UInt64, total: Int) -> [UInt64] {
        stride(from: index - 1, to: total, by: count).map { first &+ UInt64($0) }
    }
}
