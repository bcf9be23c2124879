/// What one `bootsim run` found, or several merged (`bootsim merge`): the input of the JSON and JUnit reports.
/// The schema, field by field, is in docs/reports.md.
public struct RunReport: Hashable, Sendable {
    /// The version of the JSON layout (`formatVersion`); a reader refuses others.
    public static let formatVersion: Int64 = 1
    /// How many seeds per scenario get their trace hash recorded: the first seeds run.
    public static let sampleSize = 5

    public var bootsimVersion: String
    /// `simulation`, or `fuse` for `run --fuse`.
    public var mode: String
    /// The flags that change what a seed does; reports merge only when they are equal.
    public var options: Options
    /// The seeds asked for, before sharding: `first` … `first + count - 1`.
    public var firstSeed: UInt64
    public var seedCount: Int
    /// N of `--shard K/N` (1 without it).
    public var shardCount: Int
    /// The shards this report covers: one for a run, several for a merge.
    public var shards: [ShardRun]
    public var scenarios: [ScenarioReport]

    public init(bootsimVersion: String, mode: String, options: Options, firstSeed: UInt64, seedCount: Int,
                shardCount: Int, shards: [ShardRun], scenarios: [ScenarioReport]) {
        self.bootsimVersion = bootsimVersion
        self.mode = mode
        self.options = options
        self.firstSeed = firstSeed
        self.seedCount = seedCount
        self.shardCount = shardCount
        self.shards = shards
        self.scenarios = scenarios
    }

    public struct Options: Hashable, Sendable {
        public var strategy: String
        public var pctDepth: Int?
        public var bug: String?
        /// `--determinism K`: the first K seeds of each scenario (of this shard) run twice.
        public var determinism: Int

        public init(strategy: String, pctDepth: Int?, bug: String?, determinism: Int) {
            self.strategy = strategy
            self.pctDepth = pctDepth
            self.bug = bug
            self.determinism = determinism
        }
    }

    /// One process's share: which shard, where and how long it ran.
    public struct ShardRun: Hashable, Sendable {
        /// 1-based, as `--shard` takes it.
        public var index: Int
        public var host: String
        public var milliseconds: Int64

        public init(index: Int, host: String, milliseconds: Int64) {
            self.index = index
            self.host = host
            self.milliseconds = milliseconds
        }
    }

    public var passed: Int { scenarios.reduce(0) { $0 + $1.passed } }
    public var failed: Int { scenarios.reduce(0) { $0 + $1.failed } }
    /// Summed over the shards (their CPU-ish time, not the wall time of parallel shards).
    public var milliseconds: Int64 { shards.reduce(0) { $0 + $1.milliseconds } }
    /// The shards of 1...shardCount that no report covered.
    public var missingShards: [Int] { Array(Set(1...max(1, shardCount)).subtracting(shards.map(\.index))).sorted() }
    /// `first..last`, the seeds asked for before sharding.
    public var seedRange: String { seedCount == 0 ? "none" : "\(firstSeed)..\(firstSeed &+ UInt64(seedCount) &- 1)" }
}

/// One scenario's seeds in a report.
public struct ScenarioReport: Hashable, Sendable {
    public var name: String
    /// The path as given to `bootsim run`, which the replay commands use.
    public var file: String
    /// FNV-1a of the scenario file's bytes, in hex: shards of different scenario texts do not merge.
    public var digest: String
    public var seedsRun: Int
    public var milliseconds: Int64
    /// Every failing seed, sorted by seed.
    public var failures: [FailingSeed]
    /// Seeds that `--determinism` ran twice with different results.
    public var nondeterministic: [NondeterministicSeed]
    /// The trace hashes of the first `RunReport.sampleSize` seeds run, sorted by seed.
    public var traceHashes: [SeedHash]

    public init(name: String, file: String, digest: String, seedsRun: Int, milliseconds: Int64,
                failures: [FailingSeed] = [], nondeterministic: [NondeterministicSeed] = [],
                traceHashes: [SeedHash] = []) {
        self.name = name
        self.file = file
        self.digest = digest
        self.seedsRun = seedsRun
        self.milliseconds = milliseconds
        self.failures = failures
        self.nondeterministic = nondeterministic
        self.traceHashes = traceHashes
    }

    public var passed: Int { seedsRun - failures.count }
    /// As `bootsim run` counts: failing seeds, plus seeds whose determinism re-run differed.
    public var failed: Int { failures.count + nondeterministic.count }
}

public struct FailingSeed: Hashable, Sendable {
    public var seed: UInt64
    public var invariant: String
    public var message: String
    /// The scenario line of the step after which the invariant was found broken.
    public var line: Int
    /// `bootsim replay FILE --seed N` with the flags that reproduce it (`--bug NAME`, …).
    public var replay: String

    public init(seed: UInt64, invariant: String, message: String, line: Int, replay: String) {
        self.seed = seed
        self.invariant = invariant
        self.message = message
        self.line = line
        self.replay = replay
    }
}

public struct NondeterministicSeed: Hashable, Sendable {
    public var seed: UInt64
    public var first: UInt64
    public var second: UInt64

    public init(seed: UInt64, first: UInt64, second: UInt64) {
        self.seed = seed
        self.first = first
        self.second = second
    }
}

public struct SeedHash: Hashable, Sendable {
    public var seed: UInt64
    public var traceHash: UInt64

    public init(seed: UInt64, traceHash: UInt64) {
        self.seed = seed
        self.traceHash = traceHash
    }
}

extension ScenarioReport {
    /// The digest of a scenario file's bytes (FNV-1a, 64 bits, hex).
    public static func digest(of bytes: some Sequence<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}
