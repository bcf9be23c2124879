extension Machine {
    /// The real machine, with files (and mutex segments) under `root`: `/` in production, a scratch
    /// directory in tests.
    public static func host(root: String = "/") -> Machine {
        Machine(
            fileSystem: HostFileSystem(root: root), clock: HostClock(), mutexes: HostMutexSegments(root: root),
            processes: HostProcessControl(), random: HostRandom())
    }
}
