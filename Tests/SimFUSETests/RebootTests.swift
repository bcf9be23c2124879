import Foundation
import Testing

/// Reboots, power loss and crashes, seen by real processes (`cat`, `dd`, `sh`).
@Suite("SimFUSE: reboots through real processes", .enabled(if: FUSETest.available, FUSETest.skipReason))
struct RebootTests {
    @Test("a reboot wipes /run, /dev/shm and /tmp, keeps /etc, and changes the boot id")
    func rebootWipesTmpfs() throws {
        try FUSETest.withMount("reboot") { m in
            let before = FUSETest.sh("cat \(m)/proc/sys/kernel/random/boot_id")
            #expect(before.status == 0)
            let made = FUSETest.sh("""
                set -e; echo run > \(m)/run/a; echo shm > \(m)/dev/shm/b; echo tmp > \(m)/tmp/c
                mkdir -p \(m)/etc/app; echo etc > \(m)/etc/app/d
                """)
            #expect(made.status == 0, "\(made.error)")
            #expect(FUSETest.bootsim(["ctl", m, "reboot"]).status == 0)
            #expect(FUSETest.sh("ls -A \(m)/run \(m)/dev/shm \(m)/tmp").output.split(separator: "\n")
                .filter { !$0.hasSuffix(":") && !$0.isEmpty }.isEmpty)
            #expect(FUSETest.sh("cat \(m)/etc/app/d").output == "etc\n")
            let after = FUSETest.sh("cat \(m)/proc/sys/kernel/random/boot_id")
            #expect(after.output.count == 37)
            #expect(after.output != before.output)
        }
    }

    @Test("power loss keeps fsynced data (dd conv=fsync) and sometimes drops unsynced data")
    func powerLoss() throws {
        try FUSETest.withMount("power") { m in
            // Names made durable first by a clean reboot; then only the data is at stake.
            #expect(FUSETest.sh("echo old > \(m)/etc/synced; echo old > \(m)/etc/unsynced").status == 0)
            #expect(FUSETest.bootsim(["ctl", m, "reboot"]).status == 0)
            var dropped = 0
            for round in 0..<8 {
                let write = FUSETest.sh("""
                    set -e
                    printf 'new%d\\n' \(round) | dd of=\(m)/etc/synced conv=fsync status=none
                    printf 'new%d\\n' \(round) | dd of=\(m)/etc/unsynced status=none
                    """)
                try #require(write.status == 0, "\(write.error)")
                #expect(FUSETest.bootsim(["ctl", m, "reboot", "--power-loss"]).status == 0)
                #expect(FUSETest.sh("cat \(m)/etc/synced").output == "new\(round)\n")
                let unsynced = FUSETest.sh("cat \(m)/etc/unsynced").output
                // Kept, dropped, or torn (SimFS's model: the old or the new length, each 512-byte sector
                // old or new), never anything else.
                let outcomes = ["new\(round)\n", "old\n", "new\(round)", "old\n\0"]
                #expect(outcomes.contains(unsynced), "\(Array(unsynced.utf8))")
                if unsynced != "new\(round)\n" { dropped += 1 }
                // Settle the old file again so the next round starts from a durable state.
                #expect(FUSETest.sh("echo old > \(m)/etc/unsynced").status == 0)
                #expect(FUSETest.bootsim(["ctl", m, "reboot"]).status == 0)
            }
            #expect(dropped > 0, "8 power losses never dropped an unsynced write")
        }
    }

    @Test("crash fails every request with EIO until the next reboot")
    func crash() throws {
        try FUSETest.withMount("crash") { m in
            #expect(FUSETest.sh("echo x > \(m)/etc/x").status == 0)
            #expect(FUSETest.bootsim(["ctl", m, "crash"]).status == 0)
            let read = FUSETest.sh("cat \(m)/etc/x")
            #expect(read.status != 0)
            #expect(read.error.contains("Input/output error"))
            #expect(FUSETest.bootsim(["ctl", m, "reboot"]).status == 0)
            #expect(FUSETest.sh("ls \(m)/etc").status == 0)
        }
    }

    @Test("a saved world comes back at the next mount")
    func worldFile() throws {
        let directory = FUSETest.makeDirectory("world")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/machine.world"
        try FUSETest.withMount("world-a", ["--world", file]) { m in
            #expect(FUSETest.sh("echo kept > \(m)/etc/kept && sync").status == 0)
        }
        #expect(FileManager.default.fileExists(atPath: file))
        try FUSETest.withMount("world-b", ["--world", file]) { m in
            #expect(FUSETest.sh("cat \(m)/etc/kept").output == "kept\n")
        }
    }
}
