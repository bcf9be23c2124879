import CFuse3
import Core
import Glibc
import SimFS

/// A single-threaded FUSE low-level server for a `MountedMachine`.
///
/// Every request is copied into an `Operation`, checked against the pause rules (a paused process's
/// requests are held unanswered), then the fault rules, then run on the caller's view of the machine,
/// logged with the real pid and command name, and answered. Rules and log are SimFS's (`FaultRules`,
/// `OpLog`), with requests named by their `SimOp`; probabilistic rules draw from the machine seed's
/// `mountFaults` stream.
public final class FUSEServer {
    let machine: any MountedMachine
    var nodes = NodeTable()
    var handles = HandleTable()
    var faults: FaultRules
    /// The newest 50,000 to 100,000 requests.
    var log = OpLog(capacity: 100_000)
    var pauses = Pauses()
    /// Set by `crash`: the machine is down and every request fails with EIO until the next reboot.
    var crashed = false
    var reboots = 0
    /// Requests received since the mount, by op, and forgets (one-way, never answered): `ctl status`
    /// prints them, so a benchmark can count the requests its loop costs.
    var requestCounts: [SimOp: Int] = [:]
    var forgets = 0
    var session: OpaquePointer?
    /// Drops names from the kernel's cache on a thread of its own (FUSEMount's).
    var invalidator: Invalidator?
    /// Names to drop from the kernel's cache once the current request is answered (the kernel holds the
    /// directory's lock until then).
    var invalidateAfterReply: [CachedName] = []
    /// Command names by pid, with the monotonic time they were read (see `commandName`).
    var commands: [Int32: (name: String, readAt: UInt64)] = [:]

    public init(machine: any MountedMachine) {
        self.machine = machine
        faults = FaultRules(seed: RunSeeds(machine.seed).mountFaults)
    }

    /// Called from the libfuse callbacks for every request but forget.
    func receive(_ request: fuse_req_t, _ operation: Operation) {
        requestCounts[operation.op, default: 0] += 1
        let context = fuse_req_ctx(request)!.pointee
        let caller = Caller(
            pid: context.pid, uid: context.uid, gid: context.gid, command: commandName(context.pid))
        let pending = PendingRequest(request: request, caller: caller, operation: operation)
        if pauses.shouldHold(caller.pid) {
            pauses.hold(pending)
            return
        }
        execute(pending)
    }

    /// Runs a request now and answers it.
    func execute(_ pending: PendingRequest) {
        let (path, path2) = paths(of: pending.operation)
        let op = pending.operation.op
        let reply: Reply
        if crashed {
            reply = .error(EIO)
        } else if !faults.isEmpty,
                  let errno = faults.apply(op, pid: ProcessID(rawValue: pending.caller.pid), path, path2 ?? "").errno {
            reply = .error(errno.rawValue)
        } else {
            do {
                reply = try perform(pending.operation, pending.caller, pending.request)
            } catch let error as Errno {
                reply = .error(error.rawValue)
            } catch {
                reply = .error(EIO)
            }
        }
        var code: Int32 = 0
        if case .error(let value) = reply { code = value }
        log.append(OpLogEntry(pid: ProcessID(rawValue: pending.caller.pid), processName: pending.caller.command, op: op,
                              path: path, path2: path2 ?? "", errno: code))
        reply.send(pending.request)
        if !invalidateAfterReply.isEmpty, let session, let invalidator {
            invalidator.start(SessionHandle(pointer: session), invalidateAfterReply, attributesOf: []) {}
            invalidateAfterReply = []
        }
    }

    /// Answers a held request with `code` without running it (reboot, crash, unmount).
    func abandon(_ pending: PendingRequest, _ code: Int32) {
        Reply.error(code).send(pending.request)
    }

    func forget(_ node: UInt64, _ count: UInt64) {
        forgets += 1
        nodes.forget(node, count)
    }

    /// The paths an operation names, for fault rules and the log.
    func paths(of operation: Operation) -> (String, String?) {
        func at(_ node: UInt64) -> String { nodes.path(node) ?? "?" }
        func under(_ parent: UInt64, _ name: String) -> String { nodes.child(parent, name) ?? "?/" + name }
        switch operation {
        case .lookup(let parent, let name), .mknod(let parent, let name, _, _), .mkdir(let parent, let name, _),
             .unlink(let parent, let name), .rmdir(let parent, let name), .create(let parent, let name, _, _),
             .symlink(_, let parent, let name):
            return (under(parent, name), nil)
        case .rename(let parent, let name, let newParent, let newName, _):
            return (under(parent, name), under(newParent, newName))
        case .link(let node, let newParent, let newName):
            return (at(node), under(newParent, newName))
        case .getattr(let node, _), .setattr(let node, _, _, _), .readlink(let node), .open(let node, _),
             .read(let node, _, _, _), .write(let node, _, _, _), .flush(let node, _), .release(let node, _),
             .fsync(let node, _, _), .opendir(let node, _), .readdir(let node, _, _, _), .releasedir(let node, _),
             .fsyncdir(let node, _, _), .statfs(let node), .access(let node, _):
            return (at(node), nil)
        }
    }

    /// The command name of `pid`, read again when the cached one is over 1 ms old: reading /proc costs a
    /// fifth of the server's time in a tight loop, and a process that execs changes its name.
    func commandName(_ pid: Int32) -> String {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nanoseconds = UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
        if let cached = commands[pid], nanoseconds &- cached.readAt < 1_000_000 { return cached.name }
        if commands.count > 4096 { commands.removeAll() }
        let name = Self.command(of: pid)
        commands[pid] = (name, nanoseconds)
        return name
    }

    /// `/proc/PID/comm` without the newline; "?" when the process is gone, "kernel" for pid 0.
    static func command(of pid: Int32) -> String {
        if pid == 0 { return "kernel" }
        let fd = Glibc.open("/proc/\(pid)/comm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "?" }
        defer { Glibc.close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return "?" }
        var end = count
        if buffer[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        return String(decoding: buffer[0..<end], as: UTF8.self)
    }
}
