import Core
/// Historical bugs the simulation can put back into the runtime, one switch each (`bootsim hunt`).
///
/// Testing only. A set travels as a value in `RuntimeOptions.injectedBugs`, which is `@_spi(BugInjection)`: the
/// release `podrt` never imports it, so there every check reads an empty set and the old code paths are
/// unreachable. Being a value, two simulated runs with different bugs can share a process. Each check in the
/// runtime is a one-line edit marked `// BugInjection:`.
@_spi(BugInjection) public struct InjectedBugs: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// podman #4605: refresh does not re-reserve volume locks.
    public static let volumeLocksNotReserved = InjectedBugs(rawValue: 1 << 0)
    /// podman #3381: allocation hands out an id without marking it taken (duplicate lock ids).
    public static let duplicateLockIDs = InjectedBugs(rawValue: 1 << 1)
    /// podman #16784: a missing alive file means a reboot, and refresh assumes the stale segment is empty.
    public static let staleSegmentRefresh = InjectedBugs(rawValue: 1 << 2)
    /// podman #7852: a missing alive file means a reboot, even in the same boot (containers still run).
    public static let missingAliveMeansReboot = InjectedBugs(rawValue: 1 << 3)
    /// podman #5057: a surviving alive file means no reboot (tmp dir not on tmpfs; the boot id is ignored).
    public static let aliveMeansSameBoot = InjectedBugs(rawValue: 1 << 4)
    /// podman #3207: the alive lock is released before refresh runs.
    public static let aliveLockReleasedEarly = InjectedBugs(rawValue: 1 << 5)
    /// podman #16119: renumber refuses a segment of another size (ERANGE) instead of rebuilding it.
    public static let renumberRefusesResize = InjectedBugs(rawValue: 1 << 6)
    /// podman #23052: renumber forgets volumes.
    public static let renumberSkipsVolumes = InjectedBugs(rawValue: 1 << 7)
    /// num_locks rounding: the opener of a segment uses the configured count, the creator the rounded one.
    public static let openerUsesConfiguredCount = InjectedBugs(rawValue: 1 << 8)
    /// A failed create keeps (leaks) the lock it allocated.
    public static let failedCreateKeepsLock = InjectedBugs(rawValue: 1 << 9)
    /// The alive file is written before refresh has finished.
    public static let aliveBeforeRefresh = InjectedBugs(rawValue: 1 << 10)
    /// Durability: the VFS creates the database and its WAL without fsyncing their directory, so a power cut
    /// can drop their names (and every commit in them) after the fsync of their data reported success.
    public static let databaseWithoutDirectorySync = InjectedBugs(rawValue: 1 << 11)
    /// Durability: `PRAGMA synchronous = OFF`: a commit is not fsynced, so a reported create can be lost.
    public static let synchronousOff = InjectedBugs(rawValue: 1 << 12)
    /// Refresh resets the per-boot fields but leaves running, paused and stopping containers in their state
    /// (podman #11274: a container stuck in `stopping` after a reboot).
    public static let refreshKeepsRunning = InjectedBugs(rawValue: 1 << 13)
}
