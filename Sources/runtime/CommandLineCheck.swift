import ArgumentParser
import Glibc

/// Before argument-parser sees the command line: an unknown command is podman's (cobra's)
/// ``Error: unrecognized command `podrt X` ``, with "Did you mean this?" when a command is within two edits or
/// starts with what was typed, and `Try 'podrt --help' for more information`; exit 125. Also turns a bare
/// `events --stream` into `--stream=true`, so that it is refused with a message rather than a missing value.
enum CommandLineCheck {
    /// The root command's flags that take a value (`--root X`), to step over them.
    static let valueFlags: Set<String> = ["--root", "--runroot", "--config", "--num-locks", "--lock-type", "--runtime",
                                          "--machine-root", "--generate-completion-script"]

    /// The arguments to parse (after the program name); prints and exits 125 for an unknown command.
    static func check(_ arguments: [String]) -> [String] {
        var arguments = arguments
        var command: [ParsableCommand.Type] = [PodrtCommand.self]
        var path = ["podrt"]
        var index = 0
        var asksForHelp = false
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" || argument == "---completion" { break }  // the latter: completion scripts' calls
            if argument.hasPrefix("-") {
                if valueFlags.contains(argument) { index += 1 }
                if ["-h", "--help", "--experimental-dump-help", "--generate-completion-script", "--version"].contains(argument) {
                    asksForHelp = true
                }
                if path.last == "events" && argument == "--stream" { arguments[index] = "--stream=true" }
                index += 1
                continue
            }
            let subcommands = command.last!.configuration.subcommands
            if subcommands.isEmpty { break }  // the command's own arguments
            if let next = subcommands.first(where: { $0.configuration.commandName == argument }) {
                command.append(next)
                path.append(argument)
                index += 1
                continue
            }
            if argument == "help" && path.count == 1 { break }  // argument-parser's `podrt help ps`
            unrecognized(argument, path: path, among: subcommands)
        }
        // A group without its command: podman prints the group's help and `Error: missing command`, exit 125.
        if index >= arguments.count, !asksForHelp, !command.last!.configuration.subcommands.isEmpty {
            print(PodrtCommand.helpMessage(for: command.last!))
            printError("Error: missing command '\(path.joined(separator: " ")) COMMAND'")
            exit(125)
        }
        return arguments
    }

    static func unrecognized(_ typed: String, path: [String], among subcommands: [ParsableCommand.Type]) -> Never {
        let names = subcommands.filter { $0.configuration.shouldDisplay }.compactMap { $0.configuration.commandName }
        let suggestions = names.filter { distance(typed.lowercased(), $0.lowercased()) <= 2 || $0.lowercased().hasPrefix(typed.lowercased()) }
        var message = "Error: unrecognized command `\((path + [typed]).joined(separator: " "))`\n"
        if !suggestions.isEmpty {
            message += "\nDid you mean this?\n" + suggestions.map { "\t\($0)\n" }.joined() + "\n"
        }
        message += "Try '\(path.joined(separator: " ")) --help' for more information"
        printError(message)
        exit(125)
    }

    /// Levenshtein distance, as cobra's suggestions use.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let saved = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = saved
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
