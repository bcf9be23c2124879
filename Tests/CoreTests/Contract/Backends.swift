import Core
import Glibc

extension ContractBackend {
    /// The backends of CoreTests' run of the suite. Add one line per backend.
    static let all: [ContractBackend] = [.host, .sim]
}

extension ContractBackend {
    /// The real OS, rooted at a fresh temporary directory so tests never touch the real `/`.
    static let host = ContractBackend(name: "Host", runsRealPrograms: true) {
        umask(0o022)
        let root = try Scratch.makeDirectory()
        var mounts: [String] = []
        let world = ContractWorld(
            fs: HostFileSystem(root: root), clock: HostClock(), mutexes: HostMutexSegments(root: root),
            processes: HostProcessControl(),
            secondFileSystem: {
                // We run as root in CI, so a tmpfs inside the scratch directory gives a second file system.
                let path = "/other"
                try HostFileSystem(root: root).mkdir(path, permissions: [.ownerReadWriteExecute])
                guard try Scratch.run(["/bin/mount", "-t", "tmpfs", "-o", "size=4m", "contract", root + path])
                else { return nil }
                mounts.append(root + path)
                return path
            },
            cleanup: {
                for mount in mounts { _ = try? Scratch.run(["/bin/umount", mount]) }
                Scratch.remove(root)
            })
        return world
    }
}
