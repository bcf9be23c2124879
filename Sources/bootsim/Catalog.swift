import ArgumentParser
import Simulation

struct Catalog: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the catalogue of historical bugs.")
    func run() throws {}
}

struct Hunt: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Put one historical bug back and hunt it.")
    func run() throws {}
}
