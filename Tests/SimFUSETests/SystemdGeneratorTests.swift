import Foundation
import Testing

/// systemd's own, unmodified generator run inside a mounted machine on the recorded generator fixtures
/// (Fixtures/generator): the tree it writes in the mount must equal the recording.
@Suite("SimFUSE: systemd's generator inside the mount", .enabled(if: FUSETest.available, FUSETest.skipReason))
struct SystemdGeneratorTests {
    static let generator = "/usr/lib/systemd/system-generators/systemd-cryptsetup-generator"
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fixtures/generator").standardized.path

    /// Cases with only a crypttab and a command line, deterministic, not divergent, and without runtime
    /// paths (key and header devices name their mount points in unit names, which a prefix would change).
    static func simpleCases() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures)) ?? []
        return names.sorted().filter { name in
            let dir = fixtures + "/" + name
            let files = Set((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            guard files.contains("expected"), files.isSubset(of: ["crypttab", "cmdline", "expected"]),
                  let manifest = try? String(contentsOfFile: dir + "/expected/manifest", encoding: .utf8)
            else { return false }
            return !manifest.contains("runtime/") && !manifest.contains("run-systemd")
        }
    }

    @Test("systemd-cryptsetup-generator writes the recorded tree inside the mount")
    func recordedCases() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.generator), "systemd's generator is not installed")
        let cases = Self.simpleCases()
        try #require(cases.count >= 20, "too few fixture cases found in \(Self.fixtures)")
        try FUSETest.withMount("systemd") { m in
            var compared = 0
            for name in cases {
                let dir = Self.fixtures + "/" + name
                let cmdline = ((try? String(contentsOfFile: dir + "/cmdline", encoding: .utf8)) ?? "")
                    .replacingOccurrences(of: "\\n+$", with: "", options: .regularExpression)
                let prepared = FUSETest.sh("""
                    set -e; rm -rf \(m)/run/systemd \(m)/etc/crypttab; mkdir -p \(m)/run/systemd/generator
                    if [ -f '\(dir)/crypttab' ]; then cp '\(dir)/crypttab' \(m)/etc/crypttab; fi
                    """)
                try #require(prepared.status == 0, "\(prepared.error)")
                let run = FUSETest.run([
                    "/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "SYSTEMD_LOG_LEVEL=info",
                    "SYSTEMD_LOG_COLOR=0", "SYSTEMD_LOG_TIME=0", "SYSTEMD_LOG_LOCATION=0", "SYSTEMD_LOG_TARGET=console",
                    "SYSTEMD_EFI_OPTIONS=", "SYSTEMD_IN_INITRD=0", "SYSTEMD_PROC_CMDLINE=\(cmdline)",
                    "SYSTEMD_CRYPTTAB=\(m)/etc/crypttab", "RUNTIME_DIRECTORY=\(m)/run/systemd/cryptsetup",
                    Self.generator, "\(m)/run/systemd/generator",
                ])
                let rc = (try? String(contentsOfFile: dir + "/expected/rc", encoding: .utf8)) ?? "0"
                #expect(String(run.status) == rc.trimmingCharacters(in: .whitespacesAndNewlines), "\(name): rc")
                let manifest = FUSETest.sh("""
                    cd \(m)/run/systemd/generator && { find . -mindepth 1 ! -type l -printf 'normal/%P %y %#m\\n'
                    find . -mindepth 1 -type l -printf 'normal/%P l %#m -> %l\\n'; } | sed 's|\(m)/|/|g' | LC_ALL=C sort
                    """).output
                let expected = try String(contentsOfFile: dir + "/expected/manifest", encoding: .utf8)
                #expect(manifest == expected, "\(name): manifest")
                for line in expected.split(separator: "\n") where line.contains(" f ") {
                    let relative = String(line[..<line.range(of: " f ")!.lowerBound].dropFirst("normal/".count))
                    let got = try Data(contentsOf: URL(fileURLWithPath: "\(m)/run/systemd/generator/\(relative)"))
                    let want = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/expected/normal/\(relative)"))
                    #expect(String(decoding: got, as: UTF8.self).replacingOccurrences(of: m + "/", with: "/")
                            == String(decoding: want, as: UTF8.self), "\(name): \(relative)")
                }
                compared += 1
            }
            // The generator's requests reached the server under its own name.
            #expect(FUSETest.bootsim(["ctl", m, "log"]).output.contains("systemd-crypts"))
            #expect(compared == cases.count)
        }
    }
}
