import ArgumentParser
import Simulation

struct Shrink: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Minimise a failing seed's decisions.")
    func run() throws {}
}
