import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// podrt with real runc on a busybox-static rootfs: the container's output and exit code, podman's 126 and
/// 127, the life cycle of a detached container, signals only through runc, a repair, and Shutdown(force:).
final class RuncTests: XCTestCase {
    func testRunRmPrintsAndExitsWithTheCommandsCode() throws {
        let box = try RealContainers()
        let ran = try box.podrt("run --rm --rootfs $R sh -c 'echo out; echo err >&2; exit 3'")
        XCTAssertEqual(ran.status, .exited(3), ran.err)
        XCTAssertEqual(ran.out, "out\n")
        XCTAssertEqual(ran.err, "err\n")
        let env = try box.podrt("run --rm -e GREETING=hi -w /tmp --rootfs $R sh -c 'echo $GREETING $(pwd)'")
        XCTAssertEqual(env.status, .exited(0), env.err)
        XCTAssertEqual(env.out, "hi /tmp\n")

        let missing = try box.podrt("run --rm --rootfs $R /nope")
        XCTAssertEqual(missing.status, .exited(127), missing.err)
        XCTAssertTrue(missing.err.contains("runc run --detach") && missing.err.contains("/nope"), missing.err)
        let notExecutable = try box.podrt("run --rm --rootfs $R /notexec")
        XCTAssertEqual(notExecutable.status, .exited(126), notExecutable.err)
        XCTAssertTrue(notExecutable.err.contains("permission denied"), notExecutable.err)
        let badRootfs = try box.podrt("run --rm --rootfs $D/none /bin/true")
        XCTAssertEqual(badRootfs.status, .exited(125), badRootfs.err)
        XCTAssertTrue(badRootfs.err.contains("--rootfs \(box.directory)/none is not a directory"), badRootfs.err)

        XCTAssertEqual(try box.podrt("create --name once --rootfs $R sh -c 'echo again; exit 5'").status, .exited(0))
        for _ in 0..<2 {
            let attached = try box.podrt("start -a once")
            XCTAssertEqual(attached.status, .exited(5), attached.err)
            XCTAssertEqual(attached.out, "again\n", "start -a prints this run's output only")
        }
        XCTAssertEqual(try box.podrt("logs once").out, "again\nagain\n")
        XCTAssertEqual(try box.podrt("rm once").status, .exited(0))

        let left = try box.podrt("ps -a --format json")
        XCTAssertEqual(try JSON.parse(left.out), .array([]), "--rm removed every one, the failed ones too")
    }

    func testDetachedContainerLifeCycle() throws {
        let box = try RealContainers()
        let script = "echo started; trap 'echo bye; exit 7' TERM; while true; do sleep 0.05; done"
        let started = try box.podrt("run -d --name web --rootfs $R sh -c \"\(script)\"")
        XCTAssertEqual(started.status, .exited(0), started.err)
        XCTAssertEqual(started.out.count, 65, "the id and a newline: \(started.out)")

        let listing = try JSON.parse(try box.podrt("ps --format json").out).arrayValue ?? []
        XCTAssertEqual(listing.count, 1)
        XCTAssertEqual(listing.first?["State"], .string("running"))
        let pid = try XCTUnwrap(listing.first?["Pid"]?.intValue)
        XCTAssertTrue(box.isAlive(pid), "ps shows the container's real pid \(pid)")
        XCTAssertTrue(try box.eventually { try box.podrt("logs web").out == "started\n" })

        let stopped = try box.podrt("stop -t 5 web")
        XCTAssertEqual(stopped.status, .exited(0), stopped.err)
        let state = try box.inspect("web")["State"]
        XCTAssertEqual(state?["Status"], .string("exited"))
        XCTAssertEqual(state?["ExitCode"], .number(7), "SIGTERM ran the trap")
        XCTAssertFalse(box.isAlive(pid))
        XCTAssertEqual(try box.podrt("wait web").out, "7\n")
        XCTAssertEqual(try box.podrt("logs web").out, "started\nbye\n")
        XCTAssertTrue(box.read("lib/containers/\(started.out.prefix(64))/ctr.log")
            .contains(" stdout F bye\n"), "k8s-file lines: TIME STREAM F TEXT")

        XCTAssertEqual(try box.podrt("start web").status, .exited(0), "start again")
        let again = try XCTUnwrap(try box.inspect("web")["State"])
        XCTAssertEqual(again["Status"], .string("running"))
        let secondPID = try XCTUnwrap(again["Pid"]?.intValue)
        XCTAssertTrue(box.isAlive(secondPID))
        XCTAssertEqual(try box.podrt("kill -s USR1 web").status, .exited(0))
        usleep(100_000)
        XCTAssertTrue(box.isAlive(secondPID), "init of a pid namespace ignores a signal it has no handler for")

        let removed = try box.podrt("rm web")
        XCTAssertNotEqual(removed.status, .exited(0), "a running container needs -f")
        XCTAssertEqual(try box.podrt("rm -f web").status, .exited(0))
        XCTAssertFalse(box.isAlive(secondPID), "rm -f killed it through runc")
        XCTAssertEqual(try JSON.parse(try box.podrt("ps -a --format json").out), .array([]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: box.directory + "/run/runc/" + String(started.out.prefix(64))),
                       "runc forgot it")
    }

    /// `logs -f` prints what the container writes while it runs and returns at its exit; `rm -a` removes every
    /// container that does not run and refuses a running one (exit 2, the others still go); `rm -af` takes it too.
    func testLogsFollowAndRemoveAll() throws {
        let box = try RealContainers()
        XCTAssertEqual(try box.podrt("create --name done --rootfs $R /bin/true").status, .exited(0))
        let script = "echo one; sleep 0.3; echo two >&2; sleep 0.3; echo three"
        XCTAssertEqual(try box.podrt("run -d --name talk --rootfs $R sh -c '\(script)'").status, .exited(0))
        let followed = try box.podrt("logs -f talk")
        XCTAssertEqual(followed.status, .exited(0), followed.err)
        XCTAssertEqual(followed.out, "one\nthree\n", "followed to the exit, stdout to stdout")
        XCTAssertEqual(followed.err, "two\n", "and stderr to stderr")
        XCTAssertEqual(try box.inspect("talk")["State"]?["Status"], .string("exited"))

        XCTAssertEqual(try box.podrt("run -d --name busy --rootfs $R sleep 100").status, .exited(0))
        let pid = try XCTUnwrap(try box.inspect("busy")["State"]?["Pid"]?.intValue)
        let all = try box.podrt("rm -a")
        XCTAssertEqual(all.status, .exited(2), "podman-rm(1): 2 when a container runs: \(all.err)")
        XCTAssertTrue(all.err.contains("busy"), all.err)
        let names = try JSON.parse(try box.podrt("ps -a --format json").out).arrayValue?.compactMap { $0["Names"] } ?? []
        XCTAssertEqual(names, [.array([.string("busy")])], "the others went")
        let mixed = try box.podrt("rm busy nosuch")
        XCTAssertEqual(mixed.status, .exited(2), "the highest of 2 (running) and 1 (no such container): \(mixed.err)")
        XCTAssertEqual(try box.podrt("rm nosuch").status, .exited(1), "podman-rm(1): 1 when a container does not exist")
        XCTAssertEqual(try box.podrt("rm -af").status, .exited(0))
        XCTAssertFalse(box.isAlive(pid))
        XCTAssertEqual(try JSON.parse(try box.podrt("ps -a --format json").out), .array([]))
    }

    /// `pod start` starts every member that does not run (one that cannot start is reported, exit 125, and the
    /// others still start); `pod stop -t` stops the running ones; `pod rm -f` removes a pod whose members run.
    func testPodStartStopAndForcedRemoveActOnTheMembers() throws {
        let box = try RealContainers()
        XCTAssertEqual(try box.podrt("pod create --name web").status, .exited(0))
        for name in ["a", "b"] {
            XCTAssertEqual(try box.podrt("create --pod web --name \(name) --rootfs $R sleep 100").status, .exited(0))
        }
        XCTAssertEqual(try box.podrt("create --pod web --name broken --rootfs $R /nope").status, .exited(0))
        let started = try box.podrt("pod start web")
        XCTAssertEqual(started.status, .exited(125), "a member that cannot start: \(started.err)")
        XCTAssertTrue(started.err.contains("Error: starting container broken of pod web:"), started.err)
        let states = { try ["a", "b", "broken"].map { try box.inspect($0)["State"]?["Status"]?.stringValue ?? "?" } }
        XCTAssertEqual(try states(), ["running", "running", "created"], "inspect says podman's `created` for configured")
        let pids = try ["a", "b"].map { try XCTUnwrap(try box.inspect($0)["State"]?["Pid"]?.intValue) }
        XCTAssertTrue(pids.allSatisfy(box.isAlive))

        let stopped = try box.podrt("pod stop -t 1 web")
        XCTAssertEqual(stopped.status, .exited(0), stopped.err)
        XCTAssertEqual(try states(), ["exited", "exited", "created"])
        XCTAssertFalse(pids.contains(where: box.isAlive), "sleep ignores SIGTERM as pid 1: SIGKILL after 1 s")

        XCTAssertEqual(try box.podrt("start a").status, .exited(0))
        let running = try XCTUnwrap(try box.inspect("a")["State"]?["Pid"]?.intValue)
        XCTAssertNotEqual(try box.podrt("pod rm web").status, .exited(0), "members exist: -f is needed")
        let removed = try box.podrt("pod rm -f web")
        XCTAssertEqual(removed.status, .exited(0), removed.err)
        XCTAssertFalse(box.isAlive(running), "pod rm -f stopped its running member")
        XCTAssertEqual(try JSON.parse(try box.podrt("ps -a --format json").out), .array([]))
        XCTAssertEqual(try box.podrt("system locks").status, .exited(0))
    }

    /// The container goes on after podrt exits; its monitor records the exit code and time with no podrt
    /// running, and the next podrt command moves the container to exited with that code.
    func testContainerOutlivesPodrtAndItsExitIsRecordedWithoutIt() throws {
        let box = try RealContainers()
        let started = try box.podrt("run -d --name short --rootfs $R sh -c 'sleep 0.5; echo done; exit 4'")
        XCTAssertEqual(started.status, .exited(0), started.err)
        let id = String(started.out.prefix(64))
        let exitFile = box.directory + "/run/containers/\(id)/exit"
        XCTAssertFalse(FileManager.default.fileExists(atPath: exitFile), "still running after podrt exited")
        XCTAssertTrue(box.eventually { FileManager.default.fileExists(atPath: exitFile) }, "the monitor wrote the exit")
        XCTAssertTrue(box.read("run/containers/\(id)/exit").hasPrefix("4 "))
        let state = try box.inspect("short")["State"]
        XCTAssertEqual(state?["Status"], .string("exited"))
        XCTAssertEqual(state?["ExitCode"], .number(4))
        XCTAssertNotEqual(state?["FinishedAt"], .null)
        XCTAssertEqual(try box.podrt("logs short").out, "done\n")
    }

    /// `rm -f` of a container whose recorded pid belongs to an unrelated process kills nothing: signals go
    /// through runc, which knows no such container.
    func testRemoveForceOfAStaleRecordedPidKillsNothing() throws {
        let box = try RealContainers()
        let bystander = Process()
        bystander.executableURL = URL(fileURLWithPath: "/bin/sleep")
        bystander.arguments = ["60"]
        try bystander.run()
        defer { bystander.terminate() }
        XCTAssertEqual(try box.podrt("create --name stale --rootfs $R /bin/true").status, .exited(0))
        XCTAssertEqual(try box.podrt("container set-state stale running --pid \(bystander.processIdentifier)").status,
                       .exited(0))
        let removed = try box.podrt("rm -f stale")
        XCTAssertEqual(removed.status, .exited(0), removed.err)
        usleep(100_000)
        XCTAssertTrue(bystander.isRunning, "the process behind the recorded pid lives")
    }

    /// A repair after the alive file was deleted, in the same boot, leaves a running container running.
    func testRepairAfterADeletedAliveFileKeepsTheContainerRunning() throws {
        let box = try RealContainers()
        XCTAssertEqual(try box.podrt("run -d --name keep --rootfs $R sleep 30").status, .exited(0))
        let pid = try XCTUnwrap(try box.inspect("keep")["State"]?["Pid"]?.intValue)
        try FileManager.default.removeItem(atPath: box.directory + "/run/alive")
        let runtime = try box.open()
        XCTAssertEqual(runtime.startup, .repaired)
        XCTAssertTrue(try runtime.lockReport().isClean)
        XCTAssertEqual(try runtime.lookupContainer("keep").state, .running)
        XCTAssertTrue(box.isAlive(pid))
        XCTAssertEqual(try box.inspect("keep")["State"]?["Status"], .string("running"))
        XCTAssertEqual(try box.podrt("rm -f keep").status, .exited(0))
    }

    /// Shutdown without force refuses running containers; with it, they are stopped through runc.
    func testShutdownStopsRealContainersOnlyWithForce() throws {
        let box = try RealContainers()
        let runtime = try box.open()
        let busy = try runtime.createContainer(name: "busy", rootfs: box.rootfs,
                                               command: ["sh", "-c", "trap 'exit 7' TERM; while true; do sleep 0.05; done"])
        _ = try runtime.createContainer(name: "idle", rootfs: box.rootfs, command: ["true"])
        let pid = Int64(try runtime.startContainer("busy").pid)
        XCTAssertTrue(box.isAlive(pid))

        XCTAssertThrowsMessage(try runtime.shutdown(force: false), "containers are still running (busy)")
        XCTAssertTrue(box.isAlive(pid))
        XCTAssertThrowsMessage(try runtime.removeContainer("busy"), "containers are still running (busy)")

        try runtime.shutdown(force: true, graceNanoseconds: 5_000_000_000)
        XCTAssertFalse(box.isAlive(pid))
        let (after, exit) = try runtime.inspectContainer(busy.id)
        XCTAssertEqual(after.state, .exited)
        XCTAssertEqual(exit?.code, 7, "SIGTERM was enough")
        XCTAssertEqual(try runtime.lookupContainer("idle").state, .configured)
        XCTAssertNoThrow(try runtime.shutdown(force: false), "nothing runs any more")
    }

    /// A reboot as podrt sees it, in `unshare -m`: fresh tmpfs on the tmp dir and /dev/shm, a new boot id. A real
    /// reboot kills the container and its monitor, so the test kills both first (the monitor first, so no exit
    /// is recorded). After it, the container is exited and the locks are clean.
    func testSimulatedRebootMarksTheRunningContainerExited() throws {
        let box = try RealContainers()
        guard try box.run("unshare -m true 2>/dev/null") == .exited(0) else { throw XCTSkip("unshare -m is not permitted here") }
        XCTAssertEqual(try box.podrt("run -d --name doomed --rootfs $R sleep 30").status, .exited(0))
        XCTAssertEqual(try box.podrt("volume create v1").status, .exited(0))
        let pid = try XCTUnwrap(try box.inspect("doomed")["State"]?["Pid"]?.intValue)
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let monitor = try XCTUnwrap(Int32(stat.split(separator: ")").last?.split(separator: " ")[1] ?? ""))
        kill(monitor, SIGKILL)
        kill(pid_t(pid), SIGKILL)
        XCTAssertTrue(box.eventually { !box.isAlive(pid) && !box.isAlive(Int64(monitor)) })

        let newBoot = UUID().uuidString.lowercased()
        XCTAssertEqual(try box.run("""
            echo \(newBoot) > "$D/boot_id"
            unshare -m sh -c '
                set -e
                mount -t tmpfs tmpfs "$0/run"
                mount -t tmpfs tmpfs /dev/shm
                mount --bind "$0/boot_id" /proc/sys/kernel/random/boot_id
                $1 ps -a --format json > "$0/ps-after"
                $1 system locks --format json > "$0/locks-after"
            ' "$D" "$P"
            """), .exited(0), box.read("locks-after"))
        let listing = try XCTUnwrap(try JSON.parse(box.read("ps-after")).arrayValue)
        XCTAssertEqual(listing.first?["State"], .string("exited"))
        XCTAssertEqual(listing.first?["Pid"], .number(0))
        let report = try JSON.parse(box.read("locks-after"))
        XCTAssertEqual(report["allocated"], .number(2))
        for key in ["conflicts", "unreserved", "orphaned"] { XCTAssertEqual(report[key], .array([]), key) }
    }

    /// A named volume is the directory `<static_dir>/volumes/NAME/_data`, bind-mounted; `:ro` makes it read-only.
    func testVolumesAreBindMountedDirectories() throws {
        let box = try RealContainers()
        XCTAssertEqual(try box.podrt("volume create data").status, .exited(0))
        let wrote = try box.podrt("run --rm -v data:/data --rootfs $R sh -c 'echo kept > /data/file'")
        XCTAssertEqual(wrote.status, .exited(0), wrote.err)
        XCTAssertEqual(box.read("lib/volumes/data/_data/file"), "kept\n")
        let read = try box.podrt("run --rm -v data:/data:ro --rootfs $R sh -c 'cat /data/file; echo no > /data/file'")
        XCTAssertEqual(read.out, "kept\n")
        XCTAssertNotEqual(read.status, .exited(0), "a read-only volume refuses the write")
        XCTAssertTrue(read.err.contains("Read-only file system"), read.err)
        XCTAssertEqual(box.read("lib/volumes/data/_data/file"), "kept\n")
    }

    /// The exit is recorded while runc deletes (`OCIRuntime.delete(meanwhile:)`): when the delete fails, the row
    /// is exited all the same, with its code and its `died` event, as podman records an exit whatever its
    /// cleanup gives, and the command reports runc's own message (125).
    func testAFailedDeleteAtTheExitStillRecordsIt() throws {
        let box = try RealContainers()
        // A runc that fails `delete` with a logged message, and is runc for everything else.
        try box.run("""
            cat > $D/runc <<'EOF'
            #!/bin/sh
            log=
            prev=
            for arg in "$@"; do [ "$prev" = --log ] && log=$arg; prev=$arg; done
            case " $* " in *" delete "*) echo '{"level":"error","msg":"delete refused by the test"}' >> "$log"; exit 1 ;; esac
            exec runc "$@"
            EOF
            chmod 755 $D/runc
            printf '[engine.runtimes]\nrunc = ["%s/runc"]\n' $D > $D/podrt.conf
            """)
        let podrt = "--config $D/podrt.conf"
        XCTAssertEqual(try box.podrt("\(podrt) run -d --name quick --rootfs $R sh -c 'exit 3'").status, .exited(0))
        let waited = try box.podrt("\(podrt) wait quick")  // syncs the exit, whose delete fails
        XCTAssertEqual(waited.status, .exited(125), waited.out + waited.err)
        XCTAssertTrue(waited.err.contains("delete refused by the test"), waited.err)
        let listed = try box.podrt("\(podrt) ps -a --format json")
        XCTAssertEqual(listed.status, .exited(0), listed.err)
        XCTAssertEqual(try JSON.parse(listed.out).arrayValue?.first?["State"]?.stringValue, "exited", listed.out)
        XCTAssertEqual(try box.podrt("\(podrt) wait quick").out, "3\n", "the recorded code")
        XCTAssertTrue(box.read("lib/events/events.log").contains("\"died\""))
    }
}
