import ArgumentParser
import Core
import Podrt
import Simulation

/// `bootsim replay`: one seed again, exactly, with its full trace and optionally a picture.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Repeat one seed of a scenario exactly.")

    @Argument(help: "The scenario file.")
    var scenario: String

    @Option(help: "The seed to repeat.")
    var seed: UInt64

    @Option(help: "Replay this decision list (as `shrink` prints it) instead of the seed's own choices.")
    var decisions: String?

    @Option(help: "Write the full trace to FILE.")
    var trace: String?

    @Option(help: "Write an SVG with one lane per process to FILE.")
    var svg: String?

    @OptionGroup var simulation: SimulationOptions

    func run() throws {
        ensureDeterministicHashing()
        simulation.activateBug()
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
