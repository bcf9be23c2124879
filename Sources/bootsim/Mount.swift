import ArgumentParser
import Core
import Podrt
import Glibc
import SimFUSE

/// `bootsim mount DIR`: mounts a fresh or saved simulated machine on DIR and serves it until unmounted.
struct Mount: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mount a simulated machine (/etc, /var, /run, /dev/shm, /tmp, /proc/cmdline, boot id) on DIR.")

    @Argument(help: "The directory to mount on.")
    var directory: String

    @Option(help: "Load the machine from FILE if it exists, and save it there at unmount.")
    var world: String?

    @Option(help: "The kernel command line of the machine (/proc/cmdline).")
    var cmdline: String?

    @Option(help: "The seed of a fresh machine (power-loss outcomes, boot ids, `ctl fault add --prob` draws).")
    var seed: UInt64 = 1

    @Option(help: "Serve this host directory instead of a simulated machine (no reboots; for tests).")
    var host: String?

    @Flag(help: ArgumentHelp(
        "Keep the machine's seeded virtual clock for file times.",
        discussion: "By default file times in the mount follow the real clock, as real programs expect."))
    var virtualClock = false

    @Flag(help: ArgumentHelp(
        "Check permissions in the server, from each request's caller, instead of in the kernel.",
        discussion: "Mounts without default_permissions: the kernel sends no GETATTR to refresh the modes it "
            + "would check (10 requests per create, write, fsync, rename and stat loop instead of 12). Not "
            + "exact: the kernel then opens FIFOs and sockets without any permission check, and answers some "
            + "calls itself before asking (rmdir of a file: ENOTDIR where Linux says EACCES or EPERM). See "
            + "docs/ARCHITECTURE.md, \"Permissions\"."))
    var serverPermissions = false

    @Flag(help: "Return once the mount is ready and keep serving in the background.")
    var background = false

    @Option(help: ArgumentHelp(
        "Run the server on CPU N only.",
        discussion: "Processes that use the mount and run on the same CPU (taskset -c N) get their answers "
            + "without a wake-up across CPUs: several times faster on a virtual machine."))
    var cpu: Int?

    @Option(help: ArgumentHelp(
        "After each request, poll for the next one for this many µs before sleeping (0: never).",
        discussion: "A process making many small calls then finds the server awake instead of waking it "
            + "(tens of µs on a virtual machine). It keeps a CPU busy while requests come: give the server a "
            + "CPU that the processes using the mount do not need."))
    var spin: UInt64 = 0

    func validate() throws {
        if spin > 1_000_000 { throw ValidationError("--spin \(spin): at most 1000000 µs (1 s)") }
    }

    func run() throws {
        if let cpu {
            do { try HostCPU.pin(to: cpu) } catch { throw ValidationError("--cpu: \(error)") }
        }
        if background { try startInBackground() }
        if getenv(Daemon.variable) != nil { Daemon.closeInheritedDescriptors() }
        let machine: any MountedMachine
        if let host {
            umask(0)
            machine = FixedMachine(HostFileSystem(root: host), seed: seed)
        } else {
            let simulated = try SimMachine.load(worldFile: world, seed: seed, commandLine: cmdline)
            if !virtualClock { simulated.followRealClock() }
            simulated.checksPermissions = serverPermissions
            machine = simulated
        }
        let server = FUSEServer(machine: machine)
        do {
            let mount = try FUSEMount(server: server, at: directory)
            mount.spinNanoseconds = spin * 1000
            do {
                try mount.listen()
            } catch {
                mount.unmount()
                throw error
            }
            if getenv(Daemon.variable) != nil { Daemon.detachOutput() }
            mount.run(saveTo: world)
        } catch let error as MountError {
            throw ValidationError(error.description)
        }
    }

    /// Starts this same command without `--background` as a daemon and waits until it serves or fails.
    func startInBackground() throws -> Never {
        var arguments = CommandLine.arguments.filter { $0 != "--background" }
        arguments[0] = "/proc/self/exe"
        do {
            try FUSEMount.check(ControlPaths.normalize(directory))
            let status = try Daemon.start(arguments, readyWhen: ControlPaths.socket(for: ControlPaths.normalize(directory)))
            Mount.exit(withError: status == 0 ? nil : ExitCode(status))
        } catch let error as MountError {
            Mount.exit(withError: ValidationError(error.description))
        }
    }
}
