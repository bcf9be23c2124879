import ArgumentParser
import Glibc
import SimFUSE

/// `bootsim ctl DIR VERB …`: commands to a mounted machine over its control socket (outside the mount).
struct Ctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Control a mounted machine: reboot, crash, faults, op log, pause/resume, status.",
        discussion: """
            Verbs: reboot [--power-loss] [--cmdline S] | crash | fault add --op OP --path GLOB --errno E [--nth N | --prob P] \
            | fault clear | log [--pid P] | pause --pid P --at-op N | resume --pid P | kill --pid P | held --pid P | status.
            Run `bootsim ctl DIR VERB --help` for one verb.
            """)

    @Argument(help: "The mount point.")
    var directory: String

    @Argument(parsing: .captureForPassthrough, help: "The verb and its options.")
    var verb: [String] = []

    func run() throws {
        let parsed: any ParsableCommand
        do {
            parsed = try ControlVerbs.parseAsRoot(verb)
        } catch {
            ControlVerbs.exit(withError: error)
        }
        guard let command = parsed as? any ControlVerb else {
            ControlVerbs.exit(withError: ValidationError("missing verb; see bootsim ctl --help"))
        }
        let answer: ControlClient.Answer
        do {
            answer = try ControlClient.send(try command.words(), to: directory)
        } catch let error as MountError {
            throw ValidationError(error.description)
        }
        if answer.status != 0 {
            printError("bootsim: " + answer.text.trimmingSuffix())
            throw ExitCode(answer.status)
        }
        if !answer.text.isEmpty { print(answer.text, terminator: "") }
    }
}

/// A verb of `ctl`: the words it sends to the server.
protocol ControlVerb: ParsableCommand {
    func words() throws -> [String]
}

/// The verbs of `bootsim ctl`, parsed from what follows DIR.
struct ControlVerbs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootsim ctl DIR",
        subcommands: [Reboot.self, Crash.self, Fault.self, Log.self, Pause.self, Resume.self, Kill.self, Held.self, Status.self])
}
