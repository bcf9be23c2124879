import ArgumentParser
import Glibc
import SimFUSE

/// `bootsim unmount DIR`: asks the server to save its world (if it has a world file) and unmount. A mount
/// whose server is gone is detached directly.
struct Unmount: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Unmount a simulated machine, saving its world file.")

    @Argument(help: "The mount point.")
    var directory: String

    @Option(help: "Save the machine to FILE (default: the --world given at mount).")
    var world: String?

    func run() throws {
        let mountPoint = ControlPaths.normalize(directory)
        do {
            let answer = try ControlClient.send(["unmount"] + (world.map { [$0] } ?? []), to: mountPoint)
            if answer.status != 0 {
                throw ValidationError(answer.text.trimmingSuffix())
            }
        } catch let error as MountError {
            guard ControlPaths.isMountPoint(mountPoint) else { throw ValidationError(error.description) }
            guard umount2(mountPoint, Int32(MNT_DETACH)) == 0 else {
                throw ValidationError("no server answers for \(mountPoint) and umount failed: \(String(cString: strerror(errno)))")
            }
            printError("bootsim: no server answered; detached the stale mount \(mountPoint)")
        }
    }
}

func printError(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

extension String {
    func trimmingSuffix() -> String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
