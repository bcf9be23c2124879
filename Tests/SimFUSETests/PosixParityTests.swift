import Foundation
import Glibc
import Testing

/// The FUSE mount against tmpfs, as real programs see them: non-root callers (`setpriv`), node types, a
/// UNIX socket, huge sizes, and a seeded random workload of root and two users. tmpfs is the reference;
/// both get the same mount options that matter here (nosuid, nodev, as libfuse mounts).
@Suite("SimFUSE: POSIX parity with tmpfs", .enabled(if: FUSETest.available, FUSETest.skipReason))
struct PosixParityTests {
    /// Runs `body` with a fresh mount and a fresh tmpfs, each with an empty world-writable `work` directory.
    func withBoth(_ name: String, _ options: [String] = [], _ body: (_ mount: String, _ tmpfs: String) throws -> Void) throws {
        let reference = FUSETest.makeDirectory(name + "-tmpfs")
        defer {
            FUSETest.run(["/bin/umount", "-l", reference])
            try? FileManager.default.removeItem(atPath: reference)
        }
        try #require(FUSETest.run(["/bin/mount", "-t", "tmpfs", "-o", "nosuid,nodev,size=64m", "posix", reference]).status == 0)
        try FUSETest.withMount(name, options) { mount in
            for root in [mount, reference] {
                try #require(FUSETest.sh("mkdir \(root)/work && chmod 0777 \(root)/work").status == 0)
            }
            try body(mount + "/work", reference + "/work")
        }
    }

    /// `script` run by `sh` in `directory` as uid:gid with no supplementary groups (or as root for uid 0).
    func runAs(_ uid: Int, _ directory: String, _ script: String) -> RunResult {
        let prelude = """
            cd '\(directory)' || exit 99
            r() { if out=$("$@" 2>&1); then echo "ok: $*"; else echo "refused: $* (${out##*: })"; fi; }
            s() { stat -c '%n %F %a %u:%g %s %h' "$@" 2>&1 | sed 's/.*: //' | awk '$2 == "directory" { $5 = "-" } 1'; }

            """
        let shell = ["/bin/sh", "-c", prelude + script]
        if uid == 0 { return FUSETest.run(shell) }
        return FUSETest.run(["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups"] + shell)
    }

    /// Runs the same steps in both places and expects the same transcript, line by line.
    func expectSame(_ mount: String, _ tmpfs: String, _ steps: [(uid: Int, script: String)]) {
        var ours: [String] = []
        var theirs: [String] = []
        for step in steps {
            ours += runAs(step.uid, mount, step.script).output.split(separator: "\n").map(String.init)
            theirs += runAs(step.uid, tmpfs, step.script).output.split(separator: "\n").map(String.init)
        }
        #expect(!theirs.isEmpty)
        for (index, (a, b)) in zip(ours, theirs).enumerated() where a != b {
            Issue.record("line \(index + 1): mount \"\(a)\", tmpfs \"\(b)\"")
        }
        #expect(ours.count == theirs.count, "mount:\n\(ours.joined(separator: "\n"))\ntmpfs:\n\(theirs.joined(separator: "\n"))")
    }

    @Test("a non-root user creates, chmods, chowns, links, renames and removes its own files, and is refused as on tmpfs")
    func nonRootOwnFiles() throws {
        try withBoth("own") { mount, tmpfs in
            expectSame(mount, tmpfs, [
                (1001, """
                    r mkdir a; r touch a/f; r ln -s f a/l; r mkfifo a/p; r mknod a/s p; s a a/f a/l a/p a/s
                    r chmod 4755 a/f; r chmod 2755 a/f; s a/f
                    r chown 1001:1001 a/f; r chown -h 1001 a/l; r chgrp 0 a/f; r chown 1002 a/f; s a/f a/l
                    r ln a/f a/g; s a/f; r mv a/g a/h; r rm a/h; s a/f
                    r truncate -s 999999999999999 a/f; s a/f; r truncate -s 3 a/f; s a/f
                    r touch -d @1000000000.5 a/f; stat -c '%X %Y' a/f
                    r mknod a/c c 1 3; r chmod 2775 a; r mkdir a/sub; r touch a/sub/x; s a a/sub a/sub/x
                    r chmod 0644 a/f; r chmod 1777 .
                    """),
                (1002, """
                    r touch a/f; r touch -d @5 a/f; r rm a/f; r chmod 777 a/f; r chown 1002 a/f; r ln a/f mine
                    r mv a/f stolen; r touch b; r ln -s a/f lb; s b lb; r chown -h 1001 lb
                    """),
                (0, """
                    r chown 1002:1002 a/f; s a/f; r chmod 6755 a/f; r chown 1001 a/f; s a/f; r ln a/f byroot; s a/f
                    """),
                (1001, """
                    r rm b; r rm byroot; r rm lb; r ln a/f mine2; r touch a/f; s a/f; r rm -r a; s a
                    """),
            ])
        }
    }

    @Test("a non-root caller is refused where tmpfs refuses it: open, create, lookup, sticky removal, setattr, access",
          arguments: [[], ["--server-permissions"]])
    func nonRootRefusals(_ options: [String]) throws {
        try withBoth("refusals", options) { mount, tmpfs in
            expectSame(mount, tmpfs, [
                (0, """
                    mkdir priv pub ro sticky noread; echo x > priv/f; echo x > pub/f; touch ro/f sticky/mine
                    echo data > secret; echo data > readonly; cp /bin/true exec; mkfifo ro/p0
                    chmod 0700 priv; chmod 0555 ro; chmod 1777 sticky; chmod 0311 noread; chmod 0600 secret
                    chmod 0644 readonly; chmod 0711 exec; s pub/f
                    """),
                (1001, """
                    r cat secret; r sh -c 'echo y >> readonly'; r truncate -s 0 readonly; r cat readonly
                    r touch ro/new; r mkdir ro/d; r ln -s x ro/l; r mkfifo ro/p; r ln readonly ro/h
                    r mv ro/f ro/g; r mv readonly ro/g; r rm ro/f; r rmdir ro; r rm ro/p0
                    s priv/f; r cat priv/f; r ls priv; r cd priv; r touch priv/n
                    r ls noread; s noread/none; r touch noread/n; r ./exec
                    r rm sticky/mine; r mv sticky/mine sticky/x; r touch sticky/own; r mv sticky/own sticky/own2
                    r rm sticky/own2
                    r chmod 777 readonly; r chown 1001 readonly; r chgrp 1001 readonly; r touch -d @5 readonly
                    r touch -c readonly; s readonly
                    r test -r secret; r test -w readonly; r test -x readonly; r test -r readonly; r test -x exec
                    r test -w ro; r test -x priv; r test -e priv/f
                    """),
                (0, "chmod 0700 pub; r test -x exec; r test -x readonly; r test -w secret"),
                (1001, "s pub/f; r cat pub/f; r cd pub"),
                (0, "chmod 0755 pub"),
                (1001, "s pub/f"),
            ])
        }
    }

    @Test("a supplementary group gives its bits, read from the caller's /proc status by the server",
          arguments: [[], ["--server-permissions"]])
    func supplementaryGroups(_ options: [String]) throws {
        try withBoth("groups", options) { mount, tmpfs in
            var transcripts: [String] = []
            for root in [mount, tmpfs] {
                try #require(runAs(0, root, "echo data > g && chown 0:2000 g && chmod 0640 g && mkdir d && chown 0:2000 d && chmod 0730 d").status == 0)
                let script = "cat g; touch d/new && echo made; ls d 2>&1 | sed 's/.*: //'"
                let member = FUSETest.run(["/usr/bin/setpriv", "--reuid=1001", "--regid=1001", "--groups=3000,2000",
                                           "/bin/sh", "-c", "cd '\(root)' && " + script])
                let outsider = runAs(1002, root, script + " 2>&1 | sed 's/.*: //'")
                transcripts.append(member.output + "|" + outsider.output)
            }
            #expect(transcripts[0] == transcripts[1])
            #expect(transcripts[1].hasPrefix("data\nmade\nPermission denied\n|"), "\(transcripts[1])")
        }
    }

    @Test("--server-permissions: the documented gaps, where the kernel answers without asking the server")
    func serverPermissionGaps() throws {
        try withBoth("gaps", ["--server-permissions"]) { mount, tmpfs in
            for root in [mount, tmpfs] {
                try #require(runAs(0, root, "mkdir ro && touch ro/f && mkfifo fifo && chmod 0600 fifo && chmod 0555 ro").status == 0)
            }
            let script = "r rmdir ro/f; r sh -c 'exec 3<> fifo'"  // O_RDWR: a FIFO open that does not wait
            let ours = runAs(1001, mount, script).output
            let theirs = runAs(1001, tmpfs, script).output
            #expect(theirs == "refused: rmdir ro/f (Permission denied)\nrefused: sh -c exec 3<> fifo (Permission denied)\n")
            // The kernel checks the type before it would ask, and opens a FIFO itself without any check.
            #expect(ours == "refused: rmdir ro/f (Not a directory)\nok: sh -c exec 3<> fifo\n", "\(ours)")
        }
    }

    @Test("the random workload of root and two users gives the same results on the mount as on tmpfs",
          arguments: [UInt64(1), 2, 3])
    func randomWorkload(_ seed: UInt64) throws {
        let workload = URL(fileURLWithPath: FUSETest.bootsim).deletingLastPathComponent()
            .appendingPathComponent("posix-workload").path
        try withBoth("workload") { mount, tmpfs in
            for root in [mount, tmpfs] {
                try #require(FUSETest.sh("mkdir -p \(root)/d0/e \(root)/d1 && chmod 1777 \(root)/d0 && chmod 0777 \(root)/d1 \(root)/d0/e").status == 0)
            }
            let ours = FUSETest.run([workload, mount, String(seed), "2000"], timeout: 120)
            let theirs = FUSETest.run([workload, tmpfs, String(seed), "2000"], timeout: 120)
            try #require(ours.status == 0 && theirs.status == 0, "\(ours.error) \(theirs.error)\(ours.timedOut ? " (timed out)" : "")")
            let a = ours.output.split(separator: "\n")
            let b = theirs.output.split(separator: "\n")
            #expect(b.count > 2000)
            var differences = 0
            for (x, y) in zip(a, b) where x != y {
                differences += 1
                if differences <= 10 { Issue.record("mount \"\(x)\"\n tmpfs \"\(y)\"") }
            }
            #expect(differences == 0)
            #expect(a.count == b.count)
            #expect(FUSETest.sh("ls \(mount)").status == 0, "the server still answers")
        }
    }

    @Test("truncate -s 999999999999999 makes a sparse file and the server lives on")
    func hugeTruncate() throws {
        try FUSETest.withMount("huge") { m in
            let done = FUSETest.sh("echo head > \(m)/f && truncate -s 999999999999999 \(m)/f && stat -c %s \(m)/f")
            #expect(done.status == 0, "\(done.error)")
            #expect(done.output == "999999999999999\n")
            let tail = FUSETest.sh("tail -c 4 \(m)/f | od -An -tx1 && head -c 5 \(m)/f")
            #expect(tail.output == " 00 00 00 00\nhead\n")
            let past = FUSETest.sh("dd if=/dev/zero of=\(m)/f bs=1 count=1 seek=9223372036854775807 conv=notrunc 2>&1")
            #expect(past.status != 0)
            #expect(past.output.contains("Invalid argument"), "\(past.output)")  // the end overflows
            #expect(FUSETest.sh("truncate -s 0 \(m)/f && stat -c %s \(m)/f").output == "0\n")
            #expect(FUSETest.isMounted(m))
            #expect(FUSETest.sh("ls \(m)/etc").status == 0, "the server still answers")
        }
    }

    @Test("file times in the mount follow the real clock; with --virtual-clock they keep the seeded one")
    func clocks() throws {
        try FUSETest.withMount("clock") { m in
            let real = FUSETest.sh("touch \(m)/tmp/a && sleep 1.1 && touch \(m)/tmp/b && test \(m)/tmp/b -nt \(m)/tmp/a"
                                   + " && echo $(( $(stat -c %Y \(m)/tmp/b) - $(date +%s) ))")
            #expect(real.status == 0, "b is newer than a after a second: \(real.error)")
            let skew = Int(real.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? Int.max
            #expect(abs(skew) <= 2, "mtime minus the real time: \(real.output)")
        }
        try FUSETest.withMount("virtual", ["--virtual-clock"]) { m in
            let virtual = FUSETest.sh("touch \(m)/tmp/a && echo $(( $(stat -c %Y \(m)/tmp/a) - $(date +%s) ))")
            let skew = Int(virtual.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            #expect(abs(skew) > 3600, "the seeded clock of seed 1 is nowhere near the real one: \(virtual.output)")
        }
    }

    @Test("a UNIX socket bound in the mount takes a connection from a client in the mount; a FIFO carries data")
    func socketAndFIFO() throws {
        try FUSETest.withMount("socket") { m in
            let path = m + "/tmp/sock"
            let server = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            let client = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(server); close(client) }
            #expect(withAddress(path) { bind(server, $0, $1) } == 0, "bind: \(String(cString: strerror(errno)))")
            #expect(listen(server, 1) == 0)
            var status = stat()
            #expect(lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFSOCK)
            #expect(withAddress(path) { connect(client, $0, $1) } == 0, "connect: \(String(cString: strerror(errno)))")
            let accepted = accept(server, nil, nil)
            #expect(accepted >= 0)
            defer { close(accepted) }
            #expect(write(client, "ping", 4) == 4)
            var buffer = [UInt8](repeating: 0, count: 4)
            #expect(read(accepted, &buffer, 4) == 4)
            #expect(buffer == Array("ping".utf8))

            let fifo = m + "/tmp/fifo"
            #expect(mkfifo(fifo, 0o600) == 0)
            let reader = open(fifo, O_RDONLY | O_NONBLOCK)
            let writer = open(fifo, O_WRONLY)
            defer { close(reader); close(writer) }
            #expect(reader >= 0 && writer >= 0)
            #expect(write(writer, "pong", 4) == 4)
            #expect(read(reader, &buffer, 4) == 4)
            #expect(buffer == Array("pong".utf8))
        }
    }

    func withAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        precondition(bytes.count < MemoryLayout.size(ofValue: address.sun_path), "socket path too long: \(path)")
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }
}
