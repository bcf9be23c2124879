import ArgumentParser
import Core
import SimFUSE

struct Reboot: ControlVerb {
    static let configuration = CommandConfiguration(abstract: "Reboot: clean, or after a power loss.")
    @Flag(help: "Cut the power first: unsynced data and entries are dropped or torn.")
    var powerLoss = false
    @Option(help: "The kernel command line of the next boot (/proc/cmdline).")
    var cmdline: String?
    func words() -> [String] { ["reboot", powerLoss ? "power-loss" : "clean"] + (cmdline.map { [$0] } ?? []) }
}

struct Crash: ControlVerb {
    static let configuration = CommandConfiguration(
        abstract: "Crash: every request fails with EIO until the next reboot, which is a power loss.")
    func words() -> [String] { ["crash"] }
}

struct Fault: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add or clear fault rules.",
                                                    subcommands: [Add.self, Clear.self])

    struct Add: ControlVerb {
        static let configuration = CommandConfiguration(abstract: "Fail matching requests with an errno.")
        @Option(help: "The FUSE op (lookup, getattr, create, open, read, write, fsync, rename, …) or *.")
        var op: String
        @Option(help: ArgumentHelp(
            "A glob on the path inside the machine, e.g. /etc/* or /run/**.",
            discussion: "SimFS's glob, as in scenario fault lines: * and ? stay within one path component, ** "
                + "crosses them (so /etc/* is /etc/x but not /etc/d/x; use /etc/** for both); no [...] classes. "
                + "A rename or link matches on either of its paths. (Before, fnmatch: * crossed /.)"))
        var path: String
        @Option(help: "The errno to return, e.g. ENOSPC, EIO, EACCES, EROFS, EDQUOT.")
        var errno: String
        @Option(help: "Fail only the Nth matching request.")
        var nth: Int?
        @Option(help: "Fail each matching request with this probability (0...1), drawn from the mount's seed.")
        var prob: Double?

        func validate() throws {
            if nth != nil && prob != nil { throw ValidationError("give --nth or --prob, not both") }
            if Errno(name: errno) == nil {
                throw ValidationError("unknown errno '\(errno)'; known: \(Errno.knownNames)")
            }
        }

        func words() -> [String] {
            let when = nth.map { "nth=\($0)" } ?? prob.map { "prob=\($0)" } ?? "always"
            return ["fault-add", op, path, errno, when]
        }
    }

    struct Clear: ControlVerb {
        static let configuration = CommandConfiguration(abstract: "Remove every fault rule.")
        func words() -> [String] { ["fault-clear"] }
    }
}

struct Log: ControlVerb {
    static let configuration = CommandConfiguration(abstract: "Print the op log: pid, command, op, path, result.")
    @Option(help: "Only this process's requests.")
    var pid: Int32?
    func words() -> [String] { ["log"] + (pid.map { [String($0)] } ?? []) }
}

struct Pause: ControlVerb {
    static let configuration = CommandConfiguration(
        abstract: "Hold a process's requests, unanswered, from its Nth request on (counted from now).")
    @Option(help: "The process id.")
    var pid: Int32
    @Option(help: "The request (1 = the next one) from which to hold.")
    var atOp: Int = 1
    func words() -> [String] { ["pause", String(pid), String(atOp)] }
}

struct Resume: ControlVerb {
    static let configuration = CommandConfiguration(abstract: "Run a paused process's held requests and let it go.")
    @Option(help: "The process id.")
    var pid: Int32
    func words() -> [String] { ["resume", String(pid)] }
}

struct Kill: ControlVerb {
    static let configuration = CommandConfiguration(
        abstract: "SIGKILL a process; its held requests fail with EINTR and never happen (a crash at that op).")
    @Option(help: "The process id.")
    var pid: Int32
    func words() -> [String] { ["kill", String(pid)] }
}

struct Held: ControlVerb {
    static let configuration = CommandConfiguration(abstract: "Print how many requests of a process are held.")
    @Option(help: "The process id.")
    var pid: Int32
    func words() -> [String] { ["held", String(pid)] }
}

struct Status: ControlVerb {
    static let configuration = CommandConfiguration(abstract: "Print the machine's state.")
    func words() -> [String] { ["status"] }
}
