import Foundation
import Testing

/// `bootsim replay --svg`, `shrink`'s minimal trace, the order of decisions, and the defaults the help states,
/// through the built binary (no mount: neither root nor /dev/fuse is needed).
@Suite("bootsim: readable traces and pictures")
struct BootsimTraceCLITests {
    static let packageRoot: String = {
        let path = #filePath
        guard let range = path.range(of: "/Tests/SimFUSETests/") else { return "." }
        return String(path[..<range.lowerBound])
    }()
    static let scenario = packageRoot + "/scenarios/refresh-race.scenario"
    static let flags = ["--bug", "volume-locks-not-reserved", "--fixtures", packageRoot + "/Fixtures/generator"]

    @Test("replay --svg writes a well-formed picture with a legend, a time axis, lanes and the invariant")
    func replayPicture() throws {
        // A directory of its own (not FUSETest.makeDirectory, whose first use detaches mounts under its root).
        let directory = NSTemporaryDirectory() + "bootsim-svg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let svg = directory + "/race.svg"
        let result = FUSETest.bootsim(["replay", Self.scenario, "--seed", "1", "--svg", svg] + Self.flags, timeout: 60)
        #expect(result.status == 1, "I1 breaks: \(result.output) \(result.error)")
        #expect(result.output.contains(#/decisions: ([0-9]+:[a-z]+(:[0-9]+)? ?)+/#), "\(result.output)")
        #expect(result.output.contains("3:103/podrt create volume late2 ops ×"), "\(result.output)")
        let check = FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint")
            ? FUSETest.run(["/usr/bin/xmllint", "--noout", svg])
            : FUSETest.run(["/usr/bin/env", "python3", "-c", "import sys, xml.etree.ElementTree as t; t.parse(sys.argv[1])", svg])
        #expect(check.status == 0, "not well-formed: \(check.error)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.contains(">Legend<"))
        #expect(text.contains(">virtual time since the trace began"))
        #expect(text.contains(">podrt create container late1<title>"))
        #expect(text.contains(#/I1 broken: .* share lock [0-9]+ \(found by the check after the step at line 15\)/#))
        #expect(text.contains("refresh-race seed 1 with bug volume-locks-not-reserved"))
    }

    @Test("shrink prints the minimal run's trace of the processes involved, and its decisions in step order")
    func shrinkTrace() {
        let result = FUSETest.bootsim(["shrink", Self.scenario, "--seed", "1"] + Self.flags, timeout: 120)
        #expect(result.status == 0, "\(result.output) \(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("minimal trace (the processes involved and the world") }, "\(result.output)")
        #expect(lines.contains { $0.wholeMatch(of: #/  \[0 \+35\.[0-9]+ s\] world step line 15: together/#) != nil },
                "\(result.output)")
        #expect(lines.contains { $0.hasPrefix("  3:103/podrt create volume late2 ops ×") }, "\(result.output)")
        #expect(lines.contains { $0.contains("3:103/podrt create volume late2 end exit 0") }, "\(result.output)")
        #expect(lines.contains("minimal decisions: (none: the default schedule fails)"), "\(result.output)")
    }

    @Test("the help of replay, shrink and hunt states every default")
    func helpDefaults() {
        func help(_ command: String) -> String {
            let result = FUSETest.bootsim([command, "--help"], timeout: 10)
            #expect(result.status == 0)
            return result.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let replay = help("replay")
        #expect(replay.contains("--decisions <list>"), "\(replay)")
        #expect(replay.contains("(default: none, the seed's own choices)"), "\(replay)")
        #expect(replay.contains("--trace <file>"), "\(replay)")
        #expect(replay.contains("(default: none; the shortened trace is printed either way)"), "\(replay)")
        #expect(replay.contains("--svg <file>"), "\(replay)")
        #expect(replay.contains("legend and the broken invariant (default: none)"), "\(replay)")
        let shrink = help("shrink")
        #expect(shrink.contains("--budget <seconds>"), "\(shrink)")
        #expect(shrink.contains("found so far. (default: 55.0)"), "\(shrink)")
        let hunt = help("hunt")
        #expect(hunt.contains("Give up after seeds 1 to N of each of the entry's scenarios. (default: 1000)"), "\(hunt)")
        #expect(hunt.contains("(seeds run in batches of 8 per thread). (default: 2)"), "\(hunt)")
        #expect(hunt.contains("relative to the current directory. (default: scenarios)"), "\(hunt)")
        for text in [replay, shrink, hunt] {
            #expect(text.contains("(values: random, pct; default: random)"))
            #expect(text.contains("(default: the nearest Fixtures/generator above each scenario file)"))
        }
    }

    @Test("hunt refuses a --bug other than the one it hunts (it would be ignored)")
    func huntBug() {
        let result = FUSETest.bootsim(["hunt", "volume-locks-not-reserved", "--bug", "duplicate-lock-ids"], timeout: 10)
        #expect(result.status == 64, "\(result.status) \(result.error)")
        #expect(result.error.contains("--bug duplicate-lock-ids would be ignored"), "\(result.error)")
    }
}
