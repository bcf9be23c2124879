import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// A real reboot, as far as podrt can tell: in a private mount namespace (`unshare -m`) the tmp dir and the
/// SHM directory get fresh tmpfs mounts and a new boot id is bind-mounted over
/// /proc/sys/kernel/random/boot_id. podrt runs with the real root; only its directories sit under the test dir.
final class RebootTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        try requirePodrtBinary()
        let machine = Machine.host()
        guard try runShell("unshare -m true 2>/dev/null", machine: machine) == .exited(0) else {
            throw XCTSkip("unshare -m is not permitted here")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("podrt-reboot-\(UUID().uuidString)").path
        for sub in ["run", "shm", "lib"] {
            try FileManager.default.createDirectory(atPath: "\(directory)/\(sub)", withIntermediateDirectories: true)
        }
        try """
            [engine]
            lock_path = "\(directory)/shm/podrt_lock"
            [engine.runtimes]
            runc = ["/bin/sh"]
            """.write(toFile: directory + "/podrt.conf", atomically: true, encoding: .utf8)
    }

    override func tearDown() {
        if !directory.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The command line, expanded unquoted by the shell (the paths hold no spaces).
    var podrt: String {
        "\(podrtBinary) --config \(directory)/podrt.conf --root \(directory)/lib --runroot \(directory)/run/podrt"
    }

    func run(_ script: String) throws -> ExitStatus {
        try runShell("set -e; P=\"\(podrt)\"; D='\(directory)'\n" + script, machine: Machine.host())
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }

    func testRebootRefreshesOnceForEightConcurrentProcesses() throws {
        // The boot before: objects of every kind, a lock segment and a tmp dir on disk.
        XCTAssertEqual(try run("""
            for i in 1 2 3; do $P volume create vol$i; $P pod create --name pod$i; done > /dev/null
            for i in 1 2 3 4 5 6; do $P container create --name ctr$i -v vol1:/v --rootfs /r > /dev/null; done
            $P system locks > "$D/locks-before"
            """), .exited(0), (try? read("locks-before")) ?? "")

        let newBoot = UUID().uuidString.lowercased()
        XCTAssertEqual(try run("""
            echo \(newBoot) > "$D/boot_id"
            unshare -m sh -c '
                set -e
                mount -t tmpfs tmpfs "$0/run"
                mount -t tmpfs tmpfs "$0/shm"
                mount --bind "$0/boot_id" /proc/sys/kernel/random/boot_id
                for i in 1 2 3 4 5 6 7 8; do
                    ( $1 ps -a > "$0/ps$i" 2>&1; echo $? > "$0/rc$i" ) &
                done
                wait
                $1 system locks --format json > "$0/locks-after" 2>&1
                $1 container create --name after --rootfs /r > /dev/null
                $1 ps -a --format json > "$0/ps-after"
                cat /proc/sys/kernel/random/boot_id > "$0/seen-boot"
            ' "$D" "$P"
            """), .exited(0), (try? read("locks-after")) ?? "")

        XCTAssertEqual(try read("seen-boot"), newBoot + "\n")
        for index in 1...8 {
            XCTAssertEqual(try read("rc\(index)"), "0\n", (try? read("ps\(index)")) ?? "")
            XCTAssertEqual(try read("ps\(index)").split(separator: "\n").count, 7, "header and six containers")
        }
        let events = try read("lib/events/events.log").split(separator: "\n").map { try JSON.parse(String($0)) }
        let refreshes = events.filter { $0["status"] == .string("refresh") }
        XCTAssertEqual(refreshes.filter { $0["bootID"] == .string(newBoot) }.count, 1, "exactly one refresh in the new boot")

        let report = try JSON.parse(try read("locks-after"))
        XCTAssertEqual(report["allocated"], .number(12))
        XCTAssertEqual(report["conflicts"], .array([]))
        XCTAssertEqual(report["unreserved"], .array([]))
        XCTAssertEqual(report["orphaned"], .array([]))

        let listing = try XCTUnwrap(try JSON.parse(try read("ps-after")).arrayValue)
        let lockIDs = listing.compactMap { $0["LockID"]?.intValue }
        XCTAssertEqual(Set(lockIDs).count, 7, "the new container took a free lock: \(lockIDs)")
        XCTAssertEqual(listing.last?["LockID"], .number(12))
    }
}
