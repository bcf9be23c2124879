import ArgumentParser
import Core
import Podrt
import Simulation

/// `bootsim replay`: one seed again, exactly, with its full trace and optionally a picture.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Repeat one seed of a scenario exactly.")

    @Argument(help: "The scenario file.")
    var scenario: String

    @Option(help: "The seed to repeat (required; `run` and `hunt` print failing seeds).")
    var seed: UInt64

    @Option(help: ArgumentHelp("Replay this decision list (as `shrink` prints it: `1:run:3 143:kill:2`) instead of the seed's own "
                               + "choices; \"\" is the default schedule (default: none, the seed's own choices).",
                               valueName: "list"))
    var decisions: String?

    @Option(help: ArgumentHelp("Write the full trace (every event with its virtual time, then the op log) to FILE "
                               + "(default: none; the shortened trace is printed either way).", valueName: "file"))
    var trace: String?

    @Option(help: ArgumentHelp("Write an SVG of the run to FILE: one lane per process on a virtual-time axis, with a "
                               + "legend and the broken invariant (default: none).", valueName: "file"))
    var svg: String?

    @OptionGroup var simulation: SimulationOptions

    func run() throws {
        ensureDeterministicHashing()
        let loaded = try Scenario.load(path: scenario, fixtures: simulation.fixtures)
        var options = simulation.runOptions
        if let decisions { options.decisions = decisions.split(separator: " ").compactMap(Decision.init) }
        let start = realSeconds()
        let result = loaded.runForReading(seed: seed, options: options)
        let elapsed = realSeconds() - start
        for line in Trace.shortened(result.events, limit: 60) { print(line) }
        print("decisions: \(result.decisions.listed)")
        print("trace hash \(String(result.traceHash, radix: 16)), \(result.steps) scheduling points, \(String(format1: elapsed * 1000)) ms")
        if let trace {
            try writeText(trace, Trace.full(result.events) + "\n# op log\n" + result.opLog.joined(separator: "\n") + "\n")
        }
        if let svg {
            let failure = result.violation.map { TracePicture.Failure(text: $0.description, line: result.line) }
            let title = "\(loaded.name) seed \(seed)" + (simulation.bug.map { " with bug \($0)" } ?? "")
            try writeText(svg, TracePicture.svg(result.events, title: title, failure: failure))
        }
        if let violation = result.violation {
            print("FAIL seed \(seed): \(violation) (after the step at \(scenario):\(result.line))")
            throw ExitCode(1)
        }
        print("passed")
    }
}

/// Writes a text file on the real disk.
func writeText(_ path: String, _ text: String) throws {
    let fs = HostFileSystem()
    let fd = try fs.open(path, [.write, .create, .truncate])
    defer { try? fs.close(fd) }
    try fs.writeAll(fd, Array(text.utf8))
}
