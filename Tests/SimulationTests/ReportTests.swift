import Podrt
import Testing
@testable import Simulation

/// Shards, the JSON report's round trip, merging and the JUnit text, without running a seed
/// (Tests/SimFUSETests/ReportCLITests.swift runs them through the binary).
@Suite("Reports: shards, JSON, merge, JUnit")
struct ReportTests {
    static func report(shard: Int, of count: Int, failures: [FailingSeed] = [], bug: String? = "volume-locks-not-reserved") -> RunReport {
        let share = try! Shard(index: shard, count: count)
        let seeds = share.seeds(first: 1, total: 10)
        let scenario = ScenarioReport(name: "race", file: "scenarios/race.scenario", digest: "abc", seedsRun: seeds.count,
                                      milliseconds: 10, failures: failures.filter { seeds.contains($0.seed) },
                                      traceHashes: seeds.prefix(RunReport.sampleSize).map { SeedHash(seed: $0, traceHash: $0 &* 31) })
        return RunReport(bootsimVersion: "0.1.0", mode: "simulation",
                         options: .init(strategy: "random", pctDepth: nil, bug: bug, determinism: 0),
                         firstSeed: 1, seedCount: 10, shardCount: count,
                         shards: [.init(index: shard, host: "h\(shard)", milliseconds: 100)], scenarios: [scenario])
    }

    static func failing(_ seed: UInt64) -> FailingSeed {
        FailingSeed(seed: seed, invariant: "I1", message: "container a and volume <b> share lock \"0\" & more\n",
                    line: 7, replay: "bootsim replay scenarios/race.scenario --seed \(seed) --bug volume-locks-not-reserved")
    }

    @Test("the shards of N partition the seeds, in order, and count them")
    func shardsPartition() throws {
        for count in 1...5 {
            for total in 0...12 {
                let shares = try (1...count).map { try Shard(index: $0, count: count) }
                let seeds = shares.flatMap { $0.seeds(first: 7, total: total) }
                #expect(seeds.sorted() == (0..<total).map { 7 + UInt64($0) })
                for share in shares {
                    #expect(share.seedCount(total: total) == share.seeds(first: 7, total: total).count)
                    #expect(share.seeds(first: 7, total: total) == share.seeds(first: 7, total: total).sorted())
                }
            }
        }
        #expect(try Shard(parsing: "2/4").seeds(first: 1, total: 10) == [2, 6, 10])
        #expect(Shard.all.seeds(first: 5, total: 3) == [5, 6, 7])
    }

    @Test("a bad K/N says what it must be")
    func badShards() {
        for (text, words) in [("0/3", "K counts from 1"), ("4/3", "at most N"), ("1/0", "at least 1"), ("3", "wants K/N"),
                              ("a/b", "wants K/N"), ("", "wants K/N")] {
            #expect(throws: Shard.Problem.self) { try Shard(parsing: text) }
            do { _ = try Shard(parsing: text) } catch { #expect(error.description.contains(words), "\(text): \(error)") }
        }
    }

    @Test("the JSON report reads back as written, seeds above 2^63 and escapes included")
    func jsonRoundTrip() throws {
        var report = Self.report(shard: 1, of: 1, failures: [Self.failing(3)])
        report.scenarios[0].failures.append(FailingSeed(seed: UInt64.max, invariant: "E1", message: "ü\t", line: 1, replay: "r"))
        report.scenarios[0].nondeterministic = [NondeterministicSeed(seed: 2, first: 0xdead_beef, second: UInt64.max)]
        let text = report.json.prettyPrinted()
        #expect(try RunReport(json: JSON.parse(text)) == report)
        #expect(text.contains(#""seed": "18446744073709551615""#))
        #expect(report.failed == 3 && report.passed == 8)
    }

    @Test("shards merge to the whole run: counts, every failing seed sorted, the first trace hashes")
    func mergeShards() throws {
        let failures = [Self.failing(2), Self.failing(3), Self.failing(10)]
        let whole = Self.report(shard: 1, of: 1, failures: failures)
        let parts = [3, 1, 2].map { (name: "\($0).json", report: Self.report(shard: $0, of: 3, failures: failures)) }
        let (merged, warnings) = try RunReport.merge(parts)
        #expect(warnings.isEmpty)
        #expect(merged.shards.map(\.index) == [1, 2, 3])
        #expect(merged.scenarios[0].failures == whole.scenarios[0].failures)
        #expect(merged.scenarios[0].traceHashes == whole.scenarios[0].traceHashes)
        #expect((merged.passed, merged.failed, merged.milliseconds) == (whole.passed, whole.failed, 300))
        #expect(throws: ReportProblem.self) { try RunReport.merge(Array(parts.prefix(2))) }
        let (part, missing) = try RunReport.merge(Array(parts.prefix(2)), allowMissing: true)
        #expect(part.missingShards == [2])
        #expect(missing == ["warning: no report covers shard 2/3: the merge has 7 of the 10 seeds of each scenario"])
    }

    @Test("reports of different runs, or a shard twice, are refused with the reason")
    func mergeRefuses() {
        let one = Self.report(shard: 1, of: 2)
        var changed = Self.report(shard: 2, of: 2)
        changed.scenarios[0].digest = "def"
        var short = Self.report(shard: 2, of: 2)
        short.scenarios[0].seedsRun -= 1
        let cases: [(RunReport, String)] = [
            (Self.report(shard: 2, of: 2, bug: nil), "options --strategy random --bug volume-locks-not-reserved --determinism 0 in a"),
            (Self.report(shard: 2, of: 3), "number of shards 2 in a, 3 in b"),
            (changed, "the scenarios differ: only race (scenarios/race.scenario, digest abc) in a"),
            (short, "b: race ran 4 seeds, but its shards hold 5 of seeds 1..10"),
            (Self.report(shard: 1, of: 2), "shard 1/2 is in both a and b"),
        ]
        for (other, words) in cases {
            do {
                _ = try RunReport.merge([("a", one), ("b", other)])
                Issue.record("merged: \(words)")
            } catch { #expect(error.description.contains(words), "\(error)") }
        }
    }

    @Test("JUnit text escapes markup, keeps line breaks of attributes as references and replaces control characters")
    func junitEscapes() {
        var report = Self.report(shard: 1, of: 1, failures: [Self.failing(3)])
        report.scenarios[0].failures[0].message += "\u{1}"
        let xml = report.junitXML()
        #expect(xml.contains(#"message="1 of 10 seeds failed; seed 3: I1 broken: container a and volume &lt;b&gt; share lock &quot;0&quot; &amp; more&#10;\#u{FFFD}""#), "\(xml)")
        #expect(xml.contains("seed 3: I1 broken: container a and volume &lt;b&gt; share lock &quot;0&quot; &amp; more\n"))
        #expect(xml.contains(#"<testsuites name="bootsim" tests="1" failures="1" errors="0" time="0.100">"#))
        #expect(RunReport.seconds(1234) == "1.234" && RunReport.seconds(5) == "0.005")
    }
}
