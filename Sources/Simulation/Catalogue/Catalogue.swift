@_spi(BugInjection) import Core
@_spi(BugInjection) import Podrt

/// One historical bug the harness must be able to catch: where it came from, the switch that puts it back
/// (simulation only), and the scenarios that should catch it.
public struct CatalogueEntry: Sendable {
    public var name: String
    public var source: String
    public var summary: String
    public var scenarios: [String]
    /// The invariants a catch is expected to break.
    public var invariants: [String]
    let bugs: InjectedBugs
    var generatorBugs: InjectedGeneratorBugs = []
    /// A durability bug: `bootsim hunt` catches it with a crash-point sweep of its scenarios (`Sweep`, seed 1)
    /// rather than with seeds of them, since only a power cut at the right call, dropping the right pending
    /// write, shows it.
    public var sweeps = false

    /// The switches a run puts back to hunt this bug (`RunOptions.bugs`).
    public var switches: BugSwitches { BugSwitches(runtime: bugs, generator: generatorBugs) }
}

/// The bugs one run puts back: a value its `RunOptions` carries into every simulated process it starts (each
/// podrt's `RuntimeOptions`, each generator's `GeneratorProcess`), so runs with different bugs, or none, can
/// share a process and run at the same time.
public struct BugSwitches: Hashable, Sendable {
    let runtime: InjectedBugs
    let generator: InjectedGeneratorBugs

    /// No bug put back: the code as it ships.
    public static let none = BugSwitches(runtime: [], generator: [])
    public var isEmpty: Bool { runtime.isEmpty && generator.isEmpty }
}

public enum Catalogue {
    public static let entries: [CatalogueEntry] = [
        CatalogueEntry(name: "volume-locks-not-reserved", source: "containers/podman#4605 (#4621, PR #4624)",
                       summary: "refresh re-reserves container and pod locks but not volume locks",
                       scenarios: ["refresh-race", "podrt-cycles"], invariants: ["I1", "I2"], bugs: .volumeLocksNotReserved),
        CatalogueEntry(name: "duplicate-lock-ids", source: "containers/podman#3381",
                       summary: "allocation hands out a lock id without marking it, so two objects share it",
                       scenarios: ["podrt-cycles"], invariants: ["I1", "I2"], bugs: .duplicateLockIDs),
        CatalogueEntry(name: "stale-shm-alive-gone", source: "containers/podman#16784 (#17091, #11539)",
                       summary: "the alive file is gone but the SHM segment survives; refresh runs again on a full bitmap",
                       scenarios: ["stale-shm-alive-deleted"], invariants: ["I4"], bugs: .staleSegmentRefresh),
        CatalogueEntry(name: "alive-deleted-while-running", source: "containers/podman#7852 (#11478, #9191)",
                       summary: "tmpfiles cleanup deletes the alive file; refresh runs while containers still run",
                       scenarios: ["alive-deleted-while-running"], invariants: ["I4"], bugs: .missingAliveMeansReboot),
        CatalogueEntry(name: "tmpdir-not-on-tmpfs", source: "containers/podman#5057 (#17484, #19629)",
                       summary: "the tmp dir is not on tmpfs, the alive file survives, the reboot goes unseen",
                       scenarios: ["tmpdir-not-tmpfs"], invariants: ["I4", "I7"], bugs: .aliveMeansSameBoot),
        CatalogueEntry(name: "alive-lock-released-early", source: "containers/podman#3207 (#3208)",
                       summary: "the alive lock is released before refresh, so two processes refresh in one boot",
                       scenarios: ["refresh-race"], invariants: ["I4"], bugs: .aliveLockReleasedEarly),
        CatalogueEntry(name: "renumber-erange", source: "containers/podman#16119",
                       summary: "after a num_locks change, renumber fails with ERANGE instead of rebuilding the segment",
                       scenarios: ["renumber-num-locks"], invariants: ["E1"], bugs: .renumberRefusesResize),
        CatalogueEntry(name: "renumber-forgets-volumes", source: "containers/podman#23052 (PR #23053)",
                       summary: "renumber gives containers and pods new locks but forgets volumes",
                       scenarios: ["renumber-num-locks"], invariants: ["I1", "I2"], bugs: .renumberSkipsVolumes),
        CatalogueEntry(name: "num-locks-rounding", source: "podman 4.3.1 shm_lock_manager (no upstream issue; research report §1)",
                       summary: "the segment's creator uses num_locks rounded up to 32, its openers the configured count",
                       scenarios: ["num-locks-rounding"], invariants: ["E1"], bugs: .openerUsesConfiguredCount),
        CatalogueEntry(name: "failed-create-leaks-lock", source: "containers/podman e92de11a69 (#3843, #5136, #14195)",
                       summary: "a create that fails after allocating its lock does not free it",
                       scenarios: ["failed-create-leak", "lock-exhaustion"], invariants: ["I3"], bugs: .failedCreateKeepsLock),
        CatalogueEntry(name: "alive-before-refresh", source: "DESIGN.md catalogue (refresh ordering)",
                       summary: "the alive file is written before refresh finishes; a crash then leaves locks unreserved",
                       scenarios: ["crash-during-refresh"], invariants: ["I2"], bugs: .aliveBeforeRefresh),
        CatalogueEntry(name: "keydev-percent-unescaped", source: "systemd/systemd#5290 (systemd 252; Fixtures/generator/DIVERGENCES.md §2)",
                       summary: "a % in a key-device volume's name goes unescaped into Where=, What=, the umount unit's name and its ExecStart=",
                       scenarios: ["keydev-special-names"], invariants: ["G3"], bugs: [],
                       generatorBugs: .deviceMountPercentUnescaped),
        CatalogueEntry(name: "database-without-dir-fsync", source: "SQLite os_unix.c unixSync's directory fsync (SQLITE_DISABLE_DIRSYNC; ext4 and the LazyFS paper)",
                       summary: "the database and its WAL are created without an fsync of their directory; a power cut drops their names with every commit in them",
                       scenarios: ["sweep-standard"], invariants: ["I6"], bugs: .databaseWithoutDirectorySync, sweeps: true),
        CatalogueEntry(name: "synchronous-off", source: "SQLite PRAGMA synchronous = OFF (https://sqlite.org/pragma.html#pragma_synchronous)",
                       summary: "commits are not fsynced; a power cut loses a create that was reported",
                       scenarios: ["sweep-standard"], invariants: ["I6"], bugs: .synchronousOff, sweeps: true),
        CatalogueEntry(name: "refresh-keeps-running", source: "containers/podman#11274 (a container stuck in stopping after a reboot)",
                       summary: "refresh leaves running, paused and stopping containers in their state, though their processes died with the boot",
                       scenarios: ["containers-across-reboot"], invariants: ["I7"], bugs: .refreshKeepsRunning),
    ]

    public static func entry(named name: String) -> CatalogueEntry? { entries.first { $0.name == name } }

}
