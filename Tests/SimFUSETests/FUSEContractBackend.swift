import Core
import Glibc
import Testing

// The contract suite of CoreTests (linked in as Contract/, minus its Backends.swift) run against the host
// backend pointed at a FUSE mount that serves a host directory: every call goes through the kernel and
// the SimFUSE server. The types come from Contract/ContractBackend.swift; only `all` is this target's.

extension ContractBackend {
    /// Only the FUSE mount here, and only where FUSE can run (root, /dev/fuse).
    static let all: [ContractBackend] = FUSETest.available ? [.hostOverFUSE, .simOverFUSE, .simOverFUSEServerChecks] : []
}

extension ContractBackend {
    /// `HostFileSystem` rooted at a FUSE mount of a scratch directory (`bootsim mount --host`).
    static let hostOverFUSE = ContractBackend(name: "Host over FUSE", runsRealPrograms: true) {
        try overFUSE(host: true)
    }

    /// `HostFileSystem` rooted at a FUSE mount of a fresh simulated machine (`bootsim mount`).
    static let simOverFUSE = ContractBackend(name: "Host over FUSE of SimFS", runsRealPrograms: true) {
        try overFUSE(host: false)
    }

    /// The same with `bootsim mount --server-permissions`: SimFS, not the kernel, checks permissions.
    static let simOverFUSEServerChecks = ContractBackend(name: "Host over FUSE of SimFS, --server-permissions",
                                                         runsRealPrograms: true) {
        try overFUSE(host: false, options: ["--server-permissions"])
    }

    static func overFUSE(host: Bool, options: [String] = []) throws -> ContractWorld {
        umask(0o022)
        let backing = FUSETest.makeDirectory("contract-backing")
        let mountPoint = FUSETest.makeDirectory("contract-mount")
        let mounted = FUSETest.bootsim(["mount", mountPoint, "--background"] + (host ? ["--host", backing] : []) + options)
        var tmpfs: [String] = []
        let cleanup = {
            for mount in tmpfs { FUSETest.run(["/bin/umount", "-l", mount]) }
            if FUSETest.isMounted(mountPoint) { FUSETest.bootsim(["unmount", mountPoint]) }
            if FUSETest.isMounted(mountPoint) { FUSETest.run(["/bin/umount", "-l", mountPoint]) }
            FUSETest.run(["/bin/rm", "-rf", backing, mountPoint])
        }
        guard mounted.status == 0 else {
            cleanup()
            throw MountFailed(message: mounted.error)
        }
        return ContractWorld(
            fs: HostFileSystem(root: mountPoint), clock: HostClock(), mutexes: HostMutexSegments(root: mountPoint),
            processes: HostProcessControl(),
            secondFileSystem: {
                // A tmpfs on a directory of the mount: a FUSE mount is one file system (one st_dev), so the
                // second one has to sit on top of it, as it would on a real machine.
                let path = "/other"
                try HostFileSystem(root: mountPoint).mkdir(path, permissions: [.ownerReadWriteExecute])
                guard FUSETest.run(["/bin/mount", "-t", "tmpfs", "-o", "size=4m", "contract", mountPoint + path]).status == 0
                else { return nil }
                tmpfs.append(mountPoint + path)
                return path
            },
            asUser: host ? nil : { uid, gid, body in try ThreadIdentity.asUser(uid, gid, body) },
            cleanup: cleanup)
    }
}

struct MountFailed: Error {
    var message: String
}
