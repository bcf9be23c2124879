/// What the harness remembers between steps to judge the invariants.
struct Ledger {
    /// Objects whose create reported success and whose removal did not (kind, name).
    var reported: Set<String> = []
    /// Objects whose removal was reported (its command exited 0) and that no create has made again since: a
    /// power cut must not bring them back (I6).
    var removed: Set<String> = []
    /// What each promised container was created with (`pod NAME`, `volume NAME`): a forced removal of its
    /// pod or volume may take it along, and nothing else may.
    var links: [String: Set<String>] = [:]
    /// Containers a `start` succeeded for in this boot.
    var startedThisBoot: Set<String> = []
    /// Locks podrt said it left allocated in this boot although their objects may be gone
    /// (`ObjectChange.keptLock`): no leak I3 reports; the next boot's refresh reclaims them.
    var keptLocks: Set<UInt32> = []
    /// A process was killed in this boot (a crash may legitimately leak a lock or skip the refresh event).
    var crashedThisBoot = false
    /// A podrt command succeeded in this boot.
    var podrtSucceededThisBoot = false
    /// Fault rules are in force (from a `fault` step to `clear-faults`).
    var faultsActive = false
    /// Fault rules were in force at some time in this boot: a fault may have kept podrt from logging its
    /// refresh event (I4), as it may keep any write from happening.
    var faultsThisBoot = false
    /// A reboot or power loss happened since the last settled check of I6.
    var rebootSinceCheck = false
}

/// A broken invariant.
public struct Violation: Error, Hashable, Sendable, CustomStringConvertible {
    public var invariant: String
    public var message: String
    public var description: String { "\(invariant) broken: \(message)" }
}

/// The invariants of DESIGN.md over one reading of the machine.
enum Invariants {
    static let titles: [String: String] = [
        "I1": "unique: no two live objects share a lock id",
        "I2": "reserved: whenever the alive file (of this boot) exists, every live object's lock is allocated",
        "I3": "no leak: every allocated lock belongs to a live object once operations settle",
        "I4": "one refresh per boot: exactly one refresh event per boot id",
        "I5": "no deadlock: the scheduler never finds every process blocked",
        "I6": "durable: a reported create survives a reboot; nothing half-created is visible",
        "I7": "reset: after refresh no container claims a process from an earlier boot",
        "G1": "the generator's output equals the reference fixture",
        "G2": "no partial unit file is visible after the generator exits",
        "G3": "every unit the generator writes passes systemd-analyze verify",
        "E1": "a command the scenario expects to succeed (or fail) does so",
        // Podman's, checked black-box under `profile: podman` (Mounted/PodmanChecks.swift).
        "P1": "podman: every listed object holds a lock of its own (no fewer locks allocated than objects)",
        "P2": "podman: a command that exits 0 logs no error, and listing the objects works",
        "P3": "podman: every object whose create exited 0 and was not removed is listed",
        "P4": "podman: no lock is allocated that no listed object holds",
    ]

    static func check(_ wanted: [String], _ state: MachineState, _ ledger: Ledger) -> Violation? {
        func fail(_ name: String, _ message: String) -> Violation { Violation(invariant: name, message: message) }
        if let problem = state.databaseProblem, wanted.contains("I6") { return fail("I6", problem) }
        let objects = state.objects
        if wanted.contains("I1"), let objects {
            var owners: [UInt32: String] = [:]
            for object in objects {
                if let first = owners[object.lockID] {
                    return fail("I1", "\(first) and \(object.kind) \(object.name) share lock \(object.lockID)")
                }
                owners[object.lockID] = "\(object.kind) \(object.name)"
            }
        }
        // The alive file of this boot (podrt writes the boot id into it): a tmp dir on a persistent disk keeps
        // an earlier boot's file, which says nothing about this boot's reservations.
        if wanted.contains("I2"), let objects, state.alive == state.bootID {
            let allocated = state.allocated ?? []
            if let missing = objects.first(where: { !allocated.contains($0.lockID) }) {
                return fail("I2", "the alive file exists but lock \(missing.lockID) of \(missing.kind) \(missing.name) is not allocated")
            }
        }
        // Only once this boot's refresh has run (the alive file holds its id): before, the locks are what the
        // boot before left, as a tmp dir on a persistent disk keeps the file lock manager's lock files, and the
        // refresh frees them all.
        if wanted.contains("I3"), let objects, !ledger.crashedThisBoot, state.alive == state.bootID, let allocated = state.allocated {
            let used = Set(objects.map(\.lockID))
            if let leaked = allocated.subtracting(used).subtracting(ledger.keptLocks).min() {
                return fail("I3", "lock \(leaked) is allocated but no live object has it")
            }
        }
        if wanted.contains("I4") {
            var refreshes: [String: Int] = [:]
            for boot in state.refreshBoots { refreshes[boot, default: 0] += 1 }
            if let (boot, count) = refreshes.first(where: { $0.value > 1 }) {
                return fail("I4", "\(count) refresh events in boot \(boot)")
            }
            if ledger.podrtSucceededThisBoot, !ledger.crashedThisBoot, !ledger.faultsThisBoot,
               refreshes[state.bootID, default: 0] == 0 {
                return fail("I4", "podrt ran in boot \(state.bootID) but no refresh event was recorded for it")
            }
        }
        if wanted.contains("I6"), let objects {
            let present = Set(objects.map { "\($0.kind) \($0.name)" })
            if let lost = ledger.reported.sorted().first(where: { !present.contains($0) }) {
                return fail("I6", "\(lost) was reported created but is gone")
            }
            if let back = ledger.removed.sorted().first(where: { present.contains($0) }) {
                return fail("I6", "\(back) was reported removed but is back")
            }
        }
        if wanted.contains("I7"), let objects, state.alive == state.bootID {
            let running: Set<String> = ["running", "paused", "stopping"]
            if let stale = objects.first(where: { $0.kind == "container" && running.contains($0.state)
                                                  && !ledger.startedThisBoot.contains($0.name) }) {
                return fail("I7", "container \(stale.name) is \(stale.state) with pid \(stale.pid) from an earlier boot")
            }
            // A container recorded running has its own live init, or an exit its monitor recorded that the next
            // podrt command will sync: the state is the machine's, not a word in the database.
            if let inits = state.containerInits, let ghost = objects.first(where: {
                $0.kind == "container" && running.contains($0.state) && inits[$0.id] != $0.pid && !state.exitRecorded.contains($0.id)
            }) {
                let actual = inits[ghost.id].map { "its init is pid \($0)" } ?? "no process of it runs and no exit is recorded"
                return fail("I7", "container \(ghost.name) is \(ghost.state) with pid \(ghost.pid), but \(actual)")
            }
        }
        return nil
    }
}
