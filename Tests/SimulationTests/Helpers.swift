import Simulation

/// The package root, from this file's path (tests may run from any directory).
let packageRoot: String = {
    let path = #filePath
    guard let range = path.range(of: "/Tests/SimulationTests/") else { return "." }
    return String(path[..<range.lowerBound])
}()

func loadScenario(_ name: String) throws -> Scenario {
    try Scenario.load(path: "\(packageRoot)/scenarios/\(name).scenario", fixtures: "\(packageRoot)/Fixtures/generator")
}

func allScenarioNames() throws -> [String] {
    try Scenario.files(in: "\(packageRoot)/scenarios").map { file in
        String(file.split(separator: "/").last!.dropLast(".scenario".count))
    }
}
