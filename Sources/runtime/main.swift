import ArgumentParser
import Glibc

// podrt: thin main. The global flags are the root command's options, so they are accepted before the
// subcommand (podman-style) and after it. Exit codes are podman's: 0 success, 1 error, 125 usage error.

do {
    var command = try PodrtCommand.parseAsRoot()
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
