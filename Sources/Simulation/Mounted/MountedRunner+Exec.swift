import Core
import Glibc
import SimFUSE

/// Real programs in the machine (`exec`, `podman`, `check-cmd`): each runs in a private mount namespace where
/// the machine's /etc, /var, /run, /dev/shm, /proc/cmdline, boot id and /tmp are bound over the real ones, so
/// its whole state is the machine's (the binary and its libraries, under /usr, stay the host's).
extension MountedRunner {
    /// `unshare -m` runs this with the mount point and the command. /tmp goes last: the mount point is under it.
    static let machineNamespace = #"""
        set -e; m="$1"; shift; mount --make-rprivate /
        for d in etc var run dev/shm proc/cmdline proc/sys/kernel/random/boot_id tmp; do mount --bind "$m/$d" "/$d"; done
        exec "$@"
        """#

    /// The command lines of an `exec` or `podman` command, each wrapped in the namespace.
    func execChain(_ command: ExecCommand) -> [[String]] {
        command.chain.map { ["/usr/bin/unshare", "-m", "/bin/sh", "-c", Self.machineNamespace, "namespace", mountPoint] + $0 }
    }

    /// The environment of a real program: a plain PATH and HOME, podman's configuration under the podman
    /// profile, then the command's `env K=V`.
    func execEnvironment(_ command: ExecCommand) -> [String] {
        var environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root"]
        if scenario.settings.podman { environment.append("CONTAINERS_CONF=" + PodmanProfile.configPath) }
        return environment + command.environment
    }

    /// Runs a command in the machine's namespace to its end: its exit status, stdout and stderr.
    func runInMachine(_ arguments: [String], podman: Bool = false) -> (status: Int32, stdout: String, stderr: String) {
        spawned += 1
        let output = directory + "/c\(spawned)"
        let command = ExecCommand(arguments: arguments)
        var environment = execEnvironment(command)
        if podman, !scenario.settings.podman { environment.append("CONTAINERS_CONF=" + PodmanProfile.configPath) }
        let script = #"exec >"$1" 2>"$2"; shift 2; exec "$@""#
        let processes = HostProcessControl()
        guard let pid = try? processes.spawn(["/bin/sh", "-c", script, "check", output + ".out", output + ".err"] + execChain(command)[0],
                                             environment: environment, directory: "/"),
              let status = try? processes.wait(pid) else { return (127, "", "could not start \(arguments[0])") }
        func text(_ path: String) -> String {
            String(decoding: (try? HostFileSystem().readFile(path, limit: 1 << 22)) ?? [], as: UTF8.self)
        }
        return (status.shellCode, text(output + ".out"), text(output + ".err"))
    }

    func runCheckCommand(_ words: [String]) -> Violation? {
        let result = runInMachine(words)
        guard result.status != 0 else { return nil }
        let said = (result.stderr + result.stdout).split(separator: "\n").last.map { ": " + $0.prefix(300) } ?? ""
        return Violation(invariant: "check-cmd", message: "`\(words.joined(separator: " "))` exited \(result.status)\(said)")
    }
}
