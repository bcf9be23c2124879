import ArgumentParser

/// `bootsim`: the simulated machine's command line. Each subcommand lives in its own file; add new ones
/// to `subcommands`.
@main
struct Bootsim: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulated machines for reboot and crash testing.",
        subcommands: [Mount.self, Unmount.self, Ctl.self, Run.self, Merge.self, Replay.self, Shrink.self, Catalog.self, Hunt.self,
                      SweepCommand.self, Explore.self, SelfTestCommand.self]
    )

    static func main() {
        let arguments = CommandLine.arguments
        if let words = FastControl.words(arguments) { FastControl.run(words, mountPoint: arguments[2]) }
        main(nil)
    }
}
