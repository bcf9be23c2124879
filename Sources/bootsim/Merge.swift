import ArgumentParser
import Core
import Podrt
import Simulation

/// `bootsim merge`: the JSON reports of `run --shard K/N` processes (on any machines) as one run's result.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the JSON reports of sharded runs into one result.",
        discussion: """
            Prints the merged summary, ending with `N passed, N failed`, and exits 1 if any seed failed. Reports \
            that are not shards of one run (another bootsim version, mode, option, seed range, number of shards or \
            scenario file, or a shard given twice) are refused with exit status 65, and so is a missing shard \
            unless --allow-missing.
            """)

    @Argument(help: "The JSON reports of the shards (`bootsim run --shard K/N --report json FILE`).")
    var files: [String]

    @Flag(help: "Merge even if no report covers some shard (a warning then); without it that is refused.")
    var allowMissing = false

    @OptionGroup var reports: ReportOptions

    func run() throws {
        var loaded: [(name: String, report: RunReport)] = []
        let merged: RunReport
        do {
            for file in files {
                do {
                    let text = String(decoding: try HostFileSystem().readFile(file, limit: 1 << 30), as: UTF8.self)
                    loaded.append((file, try RunReport(json: JSON.parse(text))))
                } catch { throw ReportProblem("\(file): \(error)") }
            }
            let (report, warnings) = try RunReport.merge(loaded, allowMissing: allowMissing)
            for warning in warnings { printToError(warning) }
            merged = report
        } catch {
            printToError("bootsim merge: cannot merge: \(error)")
            throw ExitCode(65)
        }
        printSummary(merged)
        try reports.write(merged)
        printTotals(passed: merged.passed, failed: merged.failed, seconds: Double(merged.milliseconds) / 1000)
        if merged.failed > 0 { throw ExitCode(1) }
    }

    /// Per scenario its counts and first failing seeds, as `run` prints them; then where the shards ran.
    func printSummary(_ report: RunReport) {
        for scenario in report.scenarios {
            print("\(scenario.name): \(scenario.seedsRun) seeds, \(scenario.passed) passed, \(scenario.failed) failed")
            for failure in scenario.failures.prefix(3) {
                print("FAIL \(scenario.name) seed \(failure.seed): \(failure.invariant) broken: \(failure.message)")
                print("  after the step at \(scenario.file):\(failure.line)")
                print("  replay: \(failure.replay)")
            }
            if scenario.failures.count > 3 { print("  ... and \(scenario.failures.count - 3) more failing seeds") }
            for seed in scenario.nondeterministic {
                print("NONDETERMINISM \(scenario.name) seed \(seed.seed): trace hash \(seed.first) then \(seed.second)")
            }
        }
        let longest = report.shards.max { $0.milliseconds < $1.milliseconds }
        print("\(report.shards.count) of \(report.shardCount) shards merged (seeds \(report.seedRange))"
            + (longest.map { "; the longest, \($0.index)/\(report.shardCount) on \($0.host), took \(String(format1: Double($0.milliseconds) / 1000)) s" } ?? ""))
    }
}
