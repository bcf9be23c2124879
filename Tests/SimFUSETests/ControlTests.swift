import Foundation
import Testing

/// Faults, the op log, and pause/resume, seen by real processes.
@Suite("SimFUSE: faults, log, pauses", .enabled(if: FUSETest.available, FUSETest.skipReason))
struct ControlTests {
    @Test("a fault rule gives dd ENOSPC, and fault clear removes it")
    func faultENOSPC() throws {
        try FUSETest.withMount("fault") { m in
            let added = FUSETest.bootsim(["ctl", m, "fault", "add", "--op", "write", "--path", "/etc/*", "--errno", "ENOSPC"])
            #expect(added.status == 0, "\(added.error)")
            let dd = FUSETest.sh("dd if=/dev/zero of=\(m)/etc/full bs=512 count=1")
            #expect(dd.status != 0)
            #expect(dd.error.contains("No space left on device"))
            #expect(FUSETest.sh("dd if=/dev/zero of=\(m)/var/ok bs=512 count=1 status=none").status == 0)
            #expect(FUSETest.bootsim(["ctl", m, "fault", "clear"]).status == 0)
            #expect(FUSETest.sh("dd if=/dev/zero of=\(m)/etc/full bs=512 count=1 status=none").status == 0)
        }
    }

    @Test("--nth fails only the nth matching request")
    func faultNth() throws {
        try FUSETest.withMount("nth") { m in
            #expect(FUSETest.bootsim(["ctl", m, "fault", "add", "--op", "mkdir", "--path", "/tmp/*",
                                      "--errno", "EACCES", "--nth", "2"]).status == 0)
            #expect(FUSETest.sh("mkdir \(m)/tmp/a").status == 0)
            #expect(FUSETest.sh("mkdir \(m)/tmp/b").error.contains("Permission denied"))
            #expect(FUSETest.sh("mkdir \(m)/tmp/c").status == 0)
        }
    }

    @Test("the glob is SimFS's: * stays within a path component, ** crosses")
    func faultGlob() throws {
        try FUSETest.withMount("glob") { m in
            #expect(FUSETest.sh("mkdir \(m)/tmp/d").status == 0)
            #expect(FUSETest.bootsim(["ctl", m, "fault", "add", "--op", "create", "--path", "/tmp/*",
                                      "--errno", "EROFS"]).status == 0)
            #expect(FUSETest.sh("touch \(m)/tmp/top").error.contains("Read-only file system"))
            #expect(FUSETest.sh("touch \(m)/tmp/d/below").status == 0)
            #expect(FUSETest.bootsim(["ctl", m, "fault", "add", "--op", "create", "--path", "/tmp/**",
                                      "--errno", "EDQUOT"]).status == 0)
            #expect(FUSETest.sh("touch \(m)/tmp/d/deeper").error.contains("quota exceeded"))
            let status = FUSETest.bootsim(["ctl", m, "status"]).output
            #expect(status.contains("fault create /tmp/* EROFS always matched=1 fired=1"), "\(status)")
            #expect(FUSETest.bootsim(["ctl", m, "log"]).output.contains("create /tmp/top = EROFS"))
        }
    }

    @Test("--prob draws from the mount's seed: the same seed fails the same requests")
    func faultProbabilitySeeded() throws {
        func pattern(_ seed: Int) throws -> String {
            var output = ""
            try FUSETest.withMount("prob", ["--seed", String(seed)]) { m in
                #expect(FUSETest.bootsim(["ctl", m, "fault", "add", "--op", "mkdir", "--path", "/tmp/*",
                                          "--errno", "EIO", "--prob", "0.5"]).status == 0)
                output = FUSETest.sh("for i in $(seq 48); do mkdir \(m)/tmp/d$i 2>/dev/null && printf 1 || printf 0; done").output
            }
            return output
        }
        let first = try pattern(5)
        #expect(first.count == 48)
        #expect(first.contains("0") && first.contains("1"), "\(first)")
        #expect(try pattern(5) == first)
        #expect(try pattern(6) != first)
    }

    @Test("a lookup fault hits a name the kernel had cached")
    func lookupFaultOnCachedName() throws {
        try FUSETest.withMount("lookup") { m in
            #expect(FUSETest.sh("echo x > \(m)/etc/x && cat \(m)/etc/x").output == "x\n")
            #expect(FUSETest.bootsim(["ctl", m, "fault", "add", "--op", "lookup", "--path", "/etc/x",
                                      "--errno", "EACCES"]).status == 0)
            #expect(FUSETest.sh("cat \(m)/etc/x").error.contains("Permission denied"))
        }
    }

    @Test("the op log names the real pid and command")
    func opLog() throws {
        try FUSETest.withMount("log") { m in
            let run = FUSETest.sh("echo $$; exec cat \(m)/proc/cmdline")
            let pid = try #require(run.output.split(separator: "\n").first)
            let log = FUSETest.bootsim(["ctl", m, "log", "--pid", String(pid)]).output
            #expect(log.contains("pid=\(pid) cat read /proc/cmdline = 0"), "\(log)")
            #expect(!log.contains("pid=1 "))
        }
    }

    @Test("pause and resume order two real processes' writes, both ways")
    func pauseOrdersProcesses() throws {
        try FUSETest.withMount("pause") { m in
            for (paused, expected) in [("A", "BA"), ("B", "AB")] {
                let go = m + ".go"
                defer { unlink(go); unlink(m + ".A"); unlink(m + ".B") }
                let order = "\(m)/tmp/order-\(paused)"
                #expect(FUSETest.sh("printf A > \(m).A; printf B > \(m).B; : > \(order)").status == 0)
                // Each writer waits outside the mount for the go file, then appends its letter with `dd`
                // in the same process (exec). The file exists and dd does not create it: an O_CREAT open
                // would hold the directory's lock in the kernel while paused, and the other writer would
                // wait for that lock rather than for us.
                let script = { (letter: String) in
                    "while [ ! -e \(go) ]; do sleep 0.01; done; " +
                    "exec dd if=\(m).\(letter) of=\(order) oflag=append conv=notrunc,nocreat status=none"
                }
                let a = try Self.start(script("A")), b = try Self.start(script("B"))
                let (held, free) = paused == "A" ? (a, b) : (b, a)
                #expect(FUSETest.bootsim(["ctl", m, "pause", "--pid", String(held.pid), "--at-op", "1"]).status == 0)
                creat(go, 0o644)
                #expect(free.wait(timeout: 10))
                // The paused writer is stuck in the kernel with its first request held.
                try Self.waitUntil { FUSETest.bootsim(["ctl", m, "held", "--pid", String(held.pid)]).output != "0\n" }
                #expect(held.isRunning)
                #expect(FUSETest.bootsim(["ctl", m, "resume", "--pid", String(held.pid)]).status == 0)
                #expect(held.wait(timeout: 10))
                #expect(FUSETest.sh("cat \(order)").output == expected)
            }
        }
    }

    static func start(_ script: String) throws -> Child {
        try Child(["/bin/sh", "-c", script])
    }

    static func waitUntil(_ condition: () -> Bool) throws {
        for _ in 0..<500 {
            if condition() { return }
            usleep(10_000)
        }
        Issue.record("condition not met within 5 s")
    }
}
