import Podrt

/// One object change a podrt process reported (`RuntimeOptions.observer`), with the process's serial.
struct ObservedChange {
    var serial: Int
    var change: ObjectChange
}

/// The changes of the running group, in the order its processes made them. Appended to from the processes'
/// fibers, which all run on the group's one thread, one at a time.
final class ObservedChanges: @unchecked Sendable {
    var entries: [ObservedChange] = []
    func append(_ entry: ObservedChange) { entries.append(entry) }
}

/// The ledger follows what each command really did, whatever an injection did afterwards: an object a podrt
/// process reported created is promised once that process exits 0 (its create was reported); an object it
/// began to remove is no longer promised, whether the removal finished, failed or was cut short by a kill,
/// a reboot or a power cut. A lock podrt says it kept (its commit was uncertain, or its free failed) is no
/// leak until the next boot. Forced removals take along what uses the object, and the ledger forgets exactly
/// what podrt says it took, after checking that it may take it.
extension ScenarioDriver {
    /// Books the last group's outcome; a removal its command may not make breaks I6.
    func book(_ outcome: GroupOutcome) -> Violation? {
        ledger.book(lastGroup, changes: outcome.changes, rebooted: outcome.rebooted)
    }
}

extension Ledger {
    typealias Group = [(command: Command, process: any ProcessOutcome)]

    /// Books `group`'s object changes (`changes`, or what the commands imply when the driver could not see
    /// them), then, unless a reboot cut the group short, what this boot saw.
    mutating func book(_ group: Group, changes: [(process: Int, change: ObjectChange)]?, rebooted: Bool) -> Violation? {
        for (index, change) in changes ?? impliedChanges(group) {
            let (command, process) = group[index]
            switch change {
            case let .created(kind, name):
                let key = "\(kind.rawValue) \(name)"
                removed.remove(key)  // made again (perhaps committed by a process killed afterwards)
                guard process.exitCode == 0 else { continue }  // never reported: nothing promised
                reported.insert(key)
                if case let .podrt(.createContainer(_, pod, volumes)) = command.program {
                    links[key] = Set((pod.map { ["pod \($0)"] } ?? []) + volumes.map { "volume \($0)" })
                }
            case let .removing(kind, name):
                let key = "\(kind.rawValue) \(name)"
                if let unrelated = mayNotTake(command, process, kind, key) {
                    return Violation(invariant: "I6", message: "`\(command)` removed \(key), \(unrelated)")
                }
                reported.remove(key)
                links[key] = nil
                if process.exitCode == 0 { removed.insert(key) }
            case let .keptLock(id):
                // Kept before a reboot that cut the group short: that boot's lock, which the refresh reclaims.
                if !rebooted { keptLocks.insert(id) }
            }
        }
        // A reboot during the group has reset the boot's bookkeeping (`rebooted()`); what ended before it
        // belongs to the boot before.
        guard !rebooted else { return nil }
        if group.contains(where: { $0.process.killed }) { crashedThisBoot = true }
        for (command, process) in group {
            guard case let .podrt(podrt) = command.program else { continue }
            if process.exitCode == 0 { podrtSucceededThisBoot = true }
            // A start that was killed or failed after its commit has still started the container (I7).
            if case let .start(name) = podrt { startedThisBoot.insert(process.resolvedName ?? name) }
            if case let .run(name, _) = podrt { startedThisBoot.insert(name) }
        }
        return nil
    }

    /// Why `command` may not remove `key`, or nil if it may: `rm KIND X` removes one KIND (X may be an id or
    /// its prefix), `rm -f pod|volume X` also the containers in it or using it, `reset` everything.
    func mayNotTake(_ command: Command, _ process: any ProcessOutcome, _ kind: ObjectKind, _ key: String) -> String? {
        guard case let .podrt(podrt) = command.program else { return "which a generator cannot" }
        switch podrt {
        case .reset:
            return nil
        case let .remove(target, name, force):
            if kind.rawValue == target.rawValue { return nil }
            let owner = "\(target.rawValue) \(process.resolvedName ?? name)"
            guard force, target != .container, kind == .container else {
                return "which `podrt \(podrt.words.joined(separator: " "))` does not remove"
            }
            // A container the ledger does not promise may have been created in it unseen (a create that failed).
            guard let links = links[key], reported.contains(key) else { return nil }
            return links.contains(owner) ? nil : "which is not in or using \(owner)"
        default:
            return "which no create removes"
        }
    }

    /// On a driver that cannot see inside its processes (FUSE mode): what each command implies, in the
    /// order of the commands. A removal that failed may still have happened; a forced one takes the promised
    /// containers the ledger links to its object.
    func impliedChanges(_ group: Group) -> [(process: Int, change: ObjectChange)] {
        var changes: [(process: Int, change: ObjectChange)] = []
        for (index, (command, process)) in group.enumerated() {
            guard case let .podrt(podrt) = command.program else { continue }
            func add(_ change: ObjectChange) { changes.append((index, change)) }
            switch podrt {
            case let .createContainer(name, _, _): add(.created(.container, name: name))
            case let .createPod(name): add(.created(.pod, name: name))
            case let .createVolume(name): add(.created(.volume, name: name))
            case let .createMany(kind, prefix, count):
                for n in 0..<count { add(.created(ObjectKind(rawValue: kind.rawValue)!, name: "\(prefix)\(n)")) }
            case let .remove(kind, name, force):
                if force, kind != .container {
                    for (key, links) in links.sorted(by: { $0.key < $1.key }) where links.contains("\(kind.rawValue) \(name)") {
                        add(.removing(.container, name: String(key.dropFirst("container ".count))))
                    }
                }
                add(.removing(ObjectKind(rawValue: kind.rawValue)!, name: process.resolvedName ?? name))
            case .reset:
                for key in reported.sorted() {
                    let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
                    add(.removing(ObjectKind(rawValue: parts[0])!, name: parts[1]))
                }
            case .run(let name, _): add(.created(.container, name: name))
            case .ps, .info, .locks, .renumber, .start, .stop, .kill:
                break
            }
        }
        return changes
    }
}
