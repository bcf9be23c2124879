import ArgumentParser
import Simulation

/// `bootsim catalog`: the historical bugs the harness must catch.
struct Catalog: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the catalogue of historical bugs.")

    func run() throws {
        for entry in Catalogue.entries {
            print("\(entry.name)")
            print("    source:     \(entry.source)")
            print("    bug:        \(entry.summary)")
            print("    scenarios:  \(entry.scenarios.joined(separator: ", "))   breaks: \(entry.invariants.joined(separator: " "))")
        }
        print("\(Catalogue.entries.count) bugs; `bootsim hunt NAME` puts one back and hunts it")
    }
}
