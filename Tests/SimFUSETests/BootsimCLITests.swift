import Foundation
import Testing

/// bootsim's command line through the built binary; no mount, so neither root nor /dev/fuse is needed.
@Suite("bootsim: the command line")
struct BootsimCLITests {
    @Test("a bad --strategy is argument-parser's usage error (64), naming random and pct")
    func badStrategy() {
        for command in [["run"], ["replay", "scenarios/none.scenario", "--seed", "1"], ["shrink", "x", "--seed", "1"],
                        ["hunt", "x"]] {
            let result = FUSETest.bootsim(command + ["--strategy", "dfs"], timeout: 10)
            #expect(!result.timedOut)
            #expect(result.status == 64, "\(command): \(result.status) \(result.error)")
            #expect(result.error.contains("The value 'dfs' is invalid for '--strategy <strategy>'"), "\(result.error)")
            #expect(result.error.contains("Please provide one of 'random' and 'pct'"), "\(result.error)")
        }
    }

    @Test("--runtime takes podman or podrt (usage error 64 otherwise) and works with --fuse only")
    func runtimeChoice() {
        let bad = FUSETest.bootsim(["run", "--fuse", "--runtime", "crun"], timeout: 10)
        #expect(bad.status == 64 && bad.error.contains("Please provide one of 'podman' and 'podrt'"), "\(bad.error)")
        let alone = FUSETest.bootsim(["run", "--runtime", "podrt", "scenarios/refresh-race.scenario"], timeout: 10)
        #expect(alone.status == 64 && alone.error.contains("--runtime works with --fuse only"), "\(alone.error)")
    }

    @Test("the help lists the strategies and the default")
    func strategyHelp() {
        let help = FUSETest.bootsim(["run", "--help"], timeout: 10)
        #expect(help.status == 0)
        let words = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("(values: random, pct; default: random)"), "\(help.output)")
    }
}
