import ArgumentParser
import Glibc

// podrt: thin main. Global flags may come before the subcommand (podman-style); ArgumentParser wants them
// after it, so they are moved there. Exit codes: 0 success, 1 error, 125 usage error.


func reordered(_ arguments: [String]) -> [String] {
    var globals: [String] = []
    var index = 0
    while index < arguments.count, arguments[index].hasPrefix("--"), arguments[index] != "--" {
        let flag = arguments[index]
        globals.append(flag)
        index += 1
        if GlobalOptions.valueFlags.contains(flag), index < arguments.count {
            globals.append(arguments[index])
            index += 1
        }
    }
    // The subcommand path: follow the command tree as far as the words name subcommands.
    var words: [String] = []
    var level: [any ParsableCommand.Type] = PodrtCommand.configuration.subcommands
    while index < arguments.count,
          let next = level.first(where: { $0._commandName == arguments[index] }) {
        words.append(arguments[index])
        level = next.configuration.subcommands
        index += 1
    }
    // Nothing to move behind (no subcommand, or `help …`): let ArgumentParser report it as given.
    if words.isEmpty { return arguments }
    return words + globals + arguments[index...]
}

do {
    var command = try PodrtCommand.parseAsRoot(reordered(Array(CommandLine.arguments.dropFirst())))
    do {
        try command.run()
        exit(0)
    } catch let failure as ExitFailure {
        exit(failure.code)
    } catch let error as ValidationError {
        printError("Error: \(error)")
        exit(125)
    } catch {
        if PodrtCommand.exitCode(for: error) == .success {  // `podrt help …`
            print(PodrtCommand.fullMessage(for: error))
            exit(0)
        }
        printError("Error: \(error)")
        exit(1)
    }
} catch {
    let code = PodrtCommand.exitCode(for: error)
    if code == .success {
        print(PodrtCommand.fullMessage(for: error))
        exit(0)
    }
    printError(PodrtCommand.fullMessage(for: error))
    exit(125)
}
