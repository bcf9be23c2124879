import Foundation
import Testing

/// The kernel keeps names and attributes for a second (as libfuse's passthrough_ll does); whatever the
/// server changes behind its back (reboot, power loss, crash, a fault rule) drops them at once, so the
/// next call sees the change. Each check runs in one shell, well inside the second.
@Suite("SimFUSE: the kernel's caches and their invalidation", .enabled(if: FUSETest.available, FUSETest.skipReason))
struct CacheInvalidationTests {
    /// The lookups and getattrs the server has answered so far (from `ctl status`'s requests line).
    static func nameAndAttributeRequests(_ status: String) -> Int {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("requests: ") }) else { return -1 }
        return line.split(separator: " ").reduce(0) { sum, field in
            let parts = field.split(separator: "=")
            guard parts.count == 2, parts[0] == "lookup" || parts[0] == "getattr", let n = Int(parts[1]) else { return sum }
            return sum + n
        }
    }

    @Test("a second stat of a name is answered by the kernel's cache: no lookup or getattr reaches the server")
    func cached() throws {
        try FUSETest.withMount("cached") { m in
            #expect(FUSETest.sh("echo x > \(m)/etc/x").status == 0)
            // Three tries: a loaded machine may take more than the second between the two stats.
            var costs: [Int] = []
            for _ in 0..<3 {
                let run = FUSETest.sh("""
                    stat \(m)/etc/x >/dev/null; \(FUSETest.bootsim) ctl \(m) status; echo ---
                    stat \(m)/etc/x >/dev/null; \(FUSETest.bootsim) ctl \(m) status
                    """)
                let parts = run.output.components(separatedBy: "---\n")
                #expect(parts.count == 2, "\(run.output) \(run.error)")
                guard parts.count == 2 else { return }
                costs.append(Self.nameAndAttributeRequests(parts[1]) - Self.nameAndAttributeRequests(parts[0]))
                if costs.last == 0 { break }
            }
            #expect(costs.contains(0), "lookups+getattrs per cached stat: \(costs)")
        }
    }

    @Test("after a power-loss reboot a name stat-ed just before is gone at once (ENOENT)")
    func powerLossDropsName() throws {
        try FUSETest.withMount("inval-power") { m in
            let run = FUSETest.sh("""
                echo x > \(m)/tmp/f && stat \(m)/tmp/f >/dev/null && stat \(m)/tmp/f >/dev/null &&
                \(FUSETest.bootsim) ctl \(m) reboot --power-loss && stat \(m)/tmp/f
                """)
            #expect(run.status != 0)
            #expect(run.error.contains("No such file or directory"), "\(run.error)")
        }
    }

    @Test("a clean reboot gives a directory's new listing and a file's new attributes at once")
    func rebootDropsAttributes() throws {
        try FUSETest.withMount("inval-reboot") { m in
            // /run is wiped at boot: its cached listing and the cached file must both go.
            let run = FUSETest.sh("""
                echo x > \(m)/run/f && ls \(m)/run && stat -c %s \(m)/run/f && \(FUSETest.bootsim) ctl \(m) reboot &&
                ls \(m)/run && stat -c %s \(m)/run/f
                """)
            #expect(run.output == "f\n2\n", "\(run.output)")
            #expect(run.error.contains("No such file or directory"), "\(run.error)")
        }
    }

    @Test("a fault rule added after a stat is seen by the next matching getattr and lookup")
    func faultAfterStat() throws {
        try FUSETest.withMount("inval-fault") { m in
            #expect(FUSETest.sh("echo x > \(m)/etc/x && echo y > \(m)/etc/y").status == 0)
            // Through an open descriptor, so that the stat is a getattr (a name's lookup brings attributes).
            let getattr = FUSETest.sh("""
                exec 3< \(m)/etc/x && stat -L /dev/fd/3 >/dev/null && stat -L /dev/fd/3 >/dev/null &&
                \(FUSETest.bootsim) ctl \(m) fault add --op getattr --path /etc/x --errno EIO && stat -L /dev/fd/3
                """)
            #expect(getattr.status != 0)
            #expect(getattr.error.contains("Input/output error"), "\(getattr.error)")
            let lookup = FUSETest.sh("""
                stat \(m)/etc/y >/dev/null &&
                \(FUSETest.bootsim) ctl \(m) fault add --op lookup --path /etc/y --errno EACCES && stat \(m)/etc/y
                """)
            #expect(lookup.status != 0)
            #expect(lookup.error.contains("Permission denied"), "\(lookup.error)")
        }
    }

    @Test("after a crash a cached name fails at once with EIO")
    func crashDropsCache() throws {
        try FUSETest.withMount("inval-crash") { m in
            let run = FUSETest.sh("""
                echo x > \(m)/etc/x && stat \(m)/etc/x >/dev/null && \(FUSETest.bootsim) ctl \(m) crash &&
                stat \(m)/etc/x
                """)
            #expect(run.status != 0)
            #expect(run.error.contains("Input/output error"), "\(run.error)")
        }
    }
}
