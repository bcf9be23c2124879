import Core
import SimFS

extension ContractBackend {
    /// The simulated machine: a fresh `SimWorld` and one simulated process driven by the test's thread.
    static let sim = ContractBackend(name: "SimFS", runsRealPrograms: false) {
        let world = SimWorld(seed: 0x5EED)
        let pid = world.spawn(name: "contract")
        let machine = world.machine(for: pid)
        return ContractWorld(
            fs: machine.fileSystem, clock: machine.clock, mutexes: machine.mutexes, processes: machine.processes,
            secondFileSystem: {
                // `/tmp` is a tmpfs region, another file system from the disk the tests work on.
                let path = "/tmp/other"
                try machine.fileSystem.mkdir(path, permissions: [.ownerReadWriteExecute])
                return path
            },
            asUser: { uid, gid, body in
                world.setCredentials(pid, Credentials(uid: uid, gid: gid, groups: ThreadIdentity.groups()))
                defer { world.setCredentials(pid, .root) }
                try body()
            },
            cleanup: { world.exit(pid) })
    }
}
