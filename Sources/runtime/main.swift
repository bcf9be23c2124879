import ArgumentParser
import Glibc

// podrt: thin main. The global flags are the root command's options, so they are accepted before the
// subcommand (podman-style) and after it. Exit codes are podman's: 0 success, 125 for podrt's own errors
// (usage, a name clash, a missing object), 1 where podman's command says so (rm of a missing object, a
// listing with unreadable rows), and a container's own code from run, start -a and wait.

do {
    var command = try PodrtCommand.parseAsRoot(CommandLineCheck.check(Array(CommandLine.arguments.dropFirst())))
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
        exit(125)
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
