import ArgumentParser
import CSupport

/// `bootsim`: the simulated machine's command line. Each subcommand lives in its own file; add new ones
/// to `subcommands`.
@main
struct Bootsim: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulated machines for reboot and crash testing.",
        subcommands: [Mount.self, Unmount.self, Ctl.self, Run.self, Replay.self, Shrink.self, Catalog.self, Hunt.self]
    )

    static func main() {
        // A seed allocates and frees the same few megabytes: by default glibc gives the top of a heap back to
        // the kernel once 128 KB of it is free, and the next seed faults those pages in again (5% of the CPU).
        _ = csupport_malloc_trim_threshold(64 << 20)
        let arguments = CommandLine.arguments
        if let words = FastControl.words(arguments) { FastControl.run(words, mountPoint: arguments[2]) }
        main(nil)
    }
}
