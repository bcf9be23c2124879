import ArgumentParser
import Core
import Glibc
import Simulation

/// `--fuse` and the binaries it runs (default: the ones built beside this bootsim).
struct FUSEModeOptions: ParsableArguments {
    @Flag(help: "Run the scenarios on a FUSE-mounted machine with the built podrt and generator as real processes.")
    var fuse = false

    @Option(help: "FUSE mode: the podrt binary (default: beside bootsim).")
    var podrt: String?

    @Option(help: "FUSE mode: the systemd-cryptsetup-generator binary (default: beside bootsim).")
    var generator: String?

    @Option(help: ArgumentHelp("FUSE mode: who runs the `podman` steps of a `profile: podman` scenario, over its "
        + "`runtime:` setting: `podman` (the real podman) or `podrt` (the same steps on podrt)."))
    var runtime: PodmanStepRuntime?

    /// The setup of FUSE mode, or nil without --fuse.
    func setup() throws -> MountedSetup? {
        guard fuse else {
            if runtime != nil { throw ValidationError("--runtime works with --fuse only (the podman steps run real programs)") }
            return nil
        }
        guard getuid() == 0, access("/dev/fuse", R_OK | W_OK) == 0 else {
            throw ValidationError("--fuse needs root and /dev/fuse")
        }
        let exe = (try? HostFileSystem().readlink("/proc/self/exe")) ?? CommandLine.arguments[0]
        let here = String(exe[..<(exe.lastIndex(of: "/") ?? exe.startIndex)])
        // Absolute paths: the programs start in /.
        func absolute(_ path: String) -> String {
            guard let resolved = realpath(path, nil) else { return path }
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let setup = MountedSetup(bootsim: exe, podrt: absolute(podrt ?? here + "/podrt"),
                                 generator: absolute(generator ?? here + "/systemd-cryptsetup-generator"))
        for binary in [setup.podrt, setup.generator] where access(binary, X_OK) != 0 {
            throw ValidationError("\(binary) is not an executable; build it or name it with --podrt / --generator")
        }
        setup.removeStaleMounts()
        return setup
    }
}

/// Who runs a `profile: podman` scenario's `podman` steps (`bootsim run --fuse --runtime`).
enum PodmanStepRuntime: String, ExpressibleByArgument, CaseIterable {
    case podman, podrt
}
