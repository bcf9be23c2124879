extension Machine {
    /// The real machine, with files (and mutex segments) under `root`: `/` in production, a scratch
    /// directory in tests.
    /// `anchors`: directories most calls will go under (see `HostFileSystem`).
    public static func host(root: String = "/", anchors: [String] = []) -> Machine {
        Machine(
            fileSystem: HostFileSystem(root: root, anchors: anchors), clock: HostClock(), mutexes: HostMutexSegments(root: root),
            processes: HostProcessControl(), random: HostRandom())
    }
}
