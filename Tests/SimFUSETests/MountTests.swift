import Foundation
import SimFUSE
import Testing

/// Mounting, unmounting and bad use: clear messages, no hangs, nothing left behind.
@Suite("SimFUSE: mount and unmount", .enabled(if: FUSETest.available, FUSETest.skipReason))
struct MountTests {
    @Test("mount then unmount leaves no mount, no socket and no server behind")
    func leavesNothing() throws {
        let directory = FUSETest.makeDirectory("clean")
        defer {
            if FUSETest.isMounted(directory) { FUSETest.run(["/bin/umount", "-l", directory]) }
            try? FileManager.default.removeItem(atPath: directory)
        }
        let socket = ControlPaths.socket(for: directory)
        #expect(FUSETest.bootsim(["mount", directory, "--background"]).status == 0)
        #expect(FUSETest.isMounted(directory))
        #expect(FileManager.default.fileExists(atPath: socket))
        let server = FUSETest.sh("pgrep -f 'exe mount \(directory)'").output
        #expect(!server.isEmpty)
        #expect(FUSETest.sh("ls \(directory)/etc").status == 0)
        let unmounted = FUSETest.bootsim(["unmount", directory])
        #expect(unmounted.status == 0, "\(unmounted.error)")
        #expect(!FUSETest.isMounted(directory))
        #expect(!FileManager.default.fileExists(atPath: socket))
        for pid in server.split(whereSeparator: \.isWhitespace) {
            try waitForExit(Int32(pid)!)
        }
        #expect(FUSETest.mounts(under: directory).isEmpty)
    }

    @Test("unmount while a process sits inside the mount still leaves nothing behind")
    func busyUnmount() throws {
        try FUSETest.withMount("busy") { m in
            let sitter = try Child(["/bin/sh", "-c", "cd \(m)/etc && exec sleep 30"])
            #expect(sitter.isRunning)
            usleep(100_000)
            #expect(FUSETest.bootsim(["unmount", m]).status == 0)
            #expect(!FUSETest.isMounted(m))
        }
    }

    @Test("mount on a missing directory fails with a clear message")
    func missingMountPoint() {
        let result = FUSETest.bootsim(["mount", FUSETest.root + "/no/such/dir", "--background"], timeout: 10)
        #expect(!result.timedOut)
        #expect(result.status != 0)
        #expect(result.error.contains("does not exist"), "\(result.error)")
    }

    @Test("mount on a busy mount point fails with a clear message")
    func busyMountPoint() throws {
        try FUSETest.withMount("twice") { m in
            let result = FUSETest.bootsim(["mount", m, "--background"], timeout: 10)
            #expect(!result.timedOut)
            #expect(result.status != 0)
            #expect(result.error.contains("busy"), "\(result.error)")
            #expect(FUSETest.sh("ls \(m)/etc").status == 0)
        }
    }

    @Test("--cpu pins the server to that CPU; a CPU it may not use is refused")
    func pinnedServer() throws {
        let directory = FUSETest.makeDirectory("cpu-bad")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let refused = FUSETest.bootsim(["mount", directory, "--background", "--cpu", "4096"], timeout: 10)
        #expect(refused.status != 0)
        #expect(refused.error.contains("CPU 4096 is not one this process may run on"), "\(refused.error)")
        try FUSETest.withMount("cpu0", ["--cpu", "0"]) { m in
            let allowed = FUSETest.sh("grep Cpus_allowed_list /proc/$(pgrep -f ' mount \(m) ' | head -1)/status")
            #expect(allowed.output.contains("Cpus_allowed_list:\t0\n"), "\(allowed.output) \(allowed.error)")
            #expect(FUSETest.sh("taskset -c 0 sh -c 'echo x > \(m)/tmp/a && cat \(m)/tmp/a'").output == "x\n")
        }
    }

    @Test("ctl and unmount on a directory that is not mounted fail with a clear message")
    func notMounted() {
        let directory = FUSETest.makeDirectory("plain")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for arguments in [["ctl", directory, "status"], ["unmount", directory]] {
            let result = FUSETest.bootsim(arguments, timeout: 10)
            #expect(!result.timedOut)
            #expect(result.status != 0)
            #expect(result.error.contains("is not a bootsim mount"), "\(result.error)")
        }
    }

    @Test("an unknown op, errno or verb is refused with the list of known ones")
    func unknownNames() throws {
        try FUSETest.withMount("names") { m in
            let op = FUSETest.bootsim(["ctl", m, "fault", "add", "--op", "frobnicate", "--path", "*", "--errno", "EIO"])
            #expect(op.status != 0)
            #expect(op.error.contains("unknown op 'frobnicate'"), "\(op.error)")
            let errno = FUSETest.bootsim(["ctl", m, "fault", "add", "--op", "write", "--path", "*", "--errno", "EWHAT"])
            #expect(errno.status != 0)
            #expect(errno.error.contains("unknown errno 'EWHAT'"), "\(errno.error)")
            let verb = FUSETest.bootsim(["ctl", m, "explode"])
            #expect(verb.status != 0)
            #expect(!verb.timedOut)
        }
    }

    @Test("mmap MAP_SHARED works in the mount (no direct_io)")
    func sharedMapping() throws {
        try FUSETest.withMount("mmap") { m in
            let script = """
                import mmap, os
                path = '\(m)/dev/shm/segment'
                with open(path, 'wb') as f: f.write(b'\\0' * 4096)
                fd = os.open(path, os.O_RDWR)
                a = mmap.mmap(fd, 4096, mmap.MAP_SHARED)
                a[0:5] = b'hello'
                a.flush()
                b = mmap.mmap(os.open(path, os.O_RDWR), 4096, mmap.MAP_SHARED)
                print(b[0:5].decode())
                """
            let result = FUSETest.run(["/usr/bin/python3", "-c", script])
            #expect(result.output == "hello\n", "\(result.error)")
            #expect(FUSETest.sh("head -c 5 \(m)/dev/shm/segment").output == "hello")
        }
    }

    func waitForExit(_ pid: Int32) throws {
        for _ in 0..<300 where kill(pid, 0) == 0 { usleep(10_000) }
        #expect(kill(pid, 0) != 0, "server \(pid) still running after unmount")
    }
}
