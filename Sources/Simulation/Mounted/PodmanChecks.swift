import Core
import Glibc

/// The podman profile (`profile: podman`): podman 4.3's configuration inside the machine, as the recipe of
/// issue 25 has it (vfs storage under /var, cgroupfs, runc, the file events logger, default ulimits).
enum PodmanProfile {
    static let configPath = "/etc/containers/containers.conf"
    /// podman's SHM lock segment (libpod/lock/shm/shm_lock.h: SHM_NAME "/libpod_lock").
    static let segmentPath = "/dev/shm/libpod_lock"

    static func containersConf(numLocks: Int) -> String {
        """
        # Written by bootsim's podman profile (scenarios/README.md, "Foreign programs").
        [containers]
        default_ulimits = ["nofile=1024:1024"]
        [engine]
        cgroup_manager = "cgroupfs"
        events_logger = "file"
        events_logfile_path = "/var/lib/containers/events.log"
        runtime = "runc"
        tmp_dir = "/run/libpod"
        num_locks = \(numLocks)

        """
    }

    static let storageConf = """
        [storage]
        driver = "vfs"
        runroot = "/run/containers/storage"
        graphroot = "/var/lib/containers/storage"

        """

    static let policy = #"{ "default": [ { "type": "insecureAcceptAnything" } ] }"# + "\n"
    /// No registry: a create whose image is gone must fail, not pull.
    static let registries = "unqualified-search-registries = []\n"

    /// The allocated locks of a segment's bytes (libpod/lock/shm/shm_lock.h, podman 4.3: a uint16 magic, a
    /// pthread mutex, `num_bitmaps` at 48, `num_locks` at 52, then per group of 32 a uint32 bitmap padded to
    /// 8 bytes and 32 mutexes of 40 bytes). nil: no segment.
    static func allocatedLocks(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 56 else { return nil }
        func word(_ at: Int) -> UInt32 {
            guard at + 4 <= bytes.count else { return 0 }
            return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * $1) }
        }
        let groups = Int(min(word(48), 1 << 16))
        return (0..<groups).reduce(0) { $0 + word(56 + $1 * (8 + 32 * 40)).nonzeroBitCount }
    }
}

/// What podman promised: the objects whose create exited 0 and whose removal never began (keys
/// `container NAME`, `volume NAME`, `pod NAME`), read from the command lines (podman is a black box).
struct PodmanLedger {
    var promised: Set<String> = []

    mutating func book(_ arguments: [String], exitCode: Int32?, killed: Bool) {
        let words = arguments.first == "container" ? Array(arguments.dropFirst()) : arguments
        guard let verb = words.first else { return }
        let object = words.count > 1 && ["volume", "pod"].contains(verb) ? words[1] : nil
        let kind = object == nil ? "container" : verb
        let action = object ?? verb
        let rest = Array(words.dropFirst(object == nil ? 1 : 2))
        func positional() -> [String] {
            var names: [String] = []
            var skip = false
            for word in rest {
                if skip { skip = false; continue }
                if word.hasPrefix("-") { skip = !word.contains("=") && Self.valued.contains(word); continue }
                names.append(word)
            }
            return names
        }
        switch action {
        case "create", "run":
            guard exitCode == 0, !killed, !rest.contains("--rm") else { return }
            let name = rest.firstIndex(of: "--name").flatMap { $0 + 1 < rest.count ? rest[$0 + 1] : nil }
                ?? (kind == "volume" ? positional().first : nil)
            if let name { promised.insert("\(kind) \(name)") }
        case "rm":
            for name in positional() { promised.remove("\(kind) \(name)") }
            // A pod's removal may take its containers: promise none of them any more.
            if kind == "pod" { promised = promised.filter { !$0.hasPrefix("container ") } }
        case "reset" where verb == "system":
            promised = []
        default: break
        }
    }

    /// Flags that take a value (so the word after one is no name).
    static let valued: Set<String> = ["--name", "--rootfs", "--pod", "-v", "--volume", "--driver", "-o", "--opt", "--label",
                                      "-l", "--format", "-e", "--env", "-w", "--workdir", "--infra-name", "--time", "-t"]
}

/// P1–P4: podman's lock and object invariants, read black-box through podman's own listings (`ps -a`,
/// `volume ls`, `pod ps` with `--format` templates, one name a line) and the lock segment's bitmaps.
extension MountedRunner {
    func preparePodman() {
        harnessWrite("/etc/containers/storage.conf", Array(PodmanProfile.storageConf.utf8), append: false)
        harnessWrite("/etc/containers/policy.json", Array(PodmanProfile.policy.utf8), append: false)
        harnessWrite("/etc/containers/registries.conf", Array(PodmanProfile.registries.utf8), append: false)
        if let busybox = try? HostFileSystem().readFile("/bin/busybox") {
            harnessWrite("/var/lib/rootfs/bin/busybox", busybox, append: false, mode: 0o755)
        }
        writePodmanConfiguration()
    }

    /// containers.conf with the scenario's `config num_locks=N` (podrt's default, 2048, until one is given).
    func writePodmanConfiguration() {
        guard podmanLocksWritten != config.numLocks else { return }
        harnessWrite(PodmanProfile.configPath, Array(PodmanProfile.containersConf(numLocks: Int(config.numLocks)).utf8), append: false)
        podmanLocksWritten = config.numLocks
    }

    func foreignChecks(after step: Step) -> Violation? {
        guard scenario.settings.podman else { return nil }
        if case .group = step.action {
            // Only podman's own steps are judged: an `exec` of another program leaves podman's state alone.
            guard lastGroup.contains(where: { if case let .exec(exec) = $0.command.program { return exec.podman } else { return false } })
            else { return nil }
            for (command, process) in lastGroup {
                guard case let .exec(exec) = command.program, exec.podman else { continue }
                for arguments in exec.chain { podman.book(Array(arguments.dropFirst()), exitCode: process.exitCode, killed: process.killed) }
                // P2: podman logs an error and still exits 0 (podman #16784's `ps -a`).
                if process.exitCode == 0, let error = Self.errorLine(process.captured(stderr: true) ?? "") {
                    return Violation(invariant: "P2", message: "`\(command)` exited 0 but logged: \(error)")
                }
            }
        } else if case .check = step.action {
        } else {
            return nil
        }
        return podmanInvariants()
    }

    /// The first `level=error` line of podman's log output.
    static func errorLine(_ stderr: String) -> String? {
        stderr.split(separator: "\n").first { $0.contains("level=error") }.map { String($0.prefix(400)) }
    }

    func podmanInvariants() -> Violation? {
        var listed: [String: [String]] = [:]
        var errors: Violation?
        for (kind, arguments) in [("container", ["ps", "-a", "--format", "{{.Names}}"]), ("volume", ["volume", "ls", "--format", "{{.Name}}"]),
                                  ("pod", ["pod", "ps", "--format", "{{.Name}}"])] {
            let result = runInMachine(["podman"] + arguments)
            let command = "podman " + arguments.joined(separator: " ")
            guard result.status == 0 else {
                return Violation(invariant: "P2", message: "`\(command)` exited \(result.status): "
                                 + (result.stderr.split(separator: "\n").last.map(String.init) ?? ""))
            }
            if errors == nil, let error = Self.errorLine(result.stderr) {
                errors = Violation(invariant: "P2", message: "`\(command)` exited 0 but logged: \(error)")
            }
            listed[kind] = result.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        }
        // An invisible object says more than the error lines podman logs about it, so P3 goes first.
        let names = Set(listed.flatMap { kind, names in names.map { "\(kind) \($0)" } })
        if let invisible = podman.promised.sorted().first(where: { !names.contains($0) }) {
            return Violation(invariant: "P3", message: "\(invisible) was created (exit 0) and never removed, but podman does not list it"
                             + (errors.map { " (\($0.message))" } ?? ""))
        }
        if let errors { return errors }
        let objects = names.count
        let segment = try? host.fileSystem.readFile(PodmanProfile.segmentPath, limit: 1 << 26)
        let allocated = segment.flatMap(PodmanProfile.allocatedLocks) ?? 0
        let summary = "podman lists \(objects) objects (\(listed["container"]!.count) containers, \(listed["volume"]!.count) volumes, "
            + "\(listed["pod"]!.count) pods) and \(PodmanProfile.segmentPath) has \(allocated) locks allocated"
        if allocated < objects {
            return Violation(invariant: "P1", message: summary + ": objects share locks")
        }
        if allocated > objects, !ledger.crashedThisBoot {
            return Violation(invariant: "P4", message: summary + ": locks leaked (held by no object podman lists)")
        }
        return nil
    }
}
