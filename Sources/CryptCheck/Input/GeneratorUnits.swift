import Core

/// The units the generator would write, from its own planner (`GeneratorPlanner.plan`), as paths under
/// the generator directory: `systemd-cryptsetup@x.service`, `cryptsetup.target.requires/…`, drop-ins.
enum GeneratorUnits {
    struct Plan {
        /// Per planned volume, in order: its name and unit paths.
        var volumes: [(name: String, units: [String])]
        /// What the generator logs at warning level and above.
        var messages: [String]
    }

    static let destination = "/run/systemd/generator"

    static func plan(crypttab: (bytes: [UInt8], path: String)?, commandLine: String, initrd: Bool) -> Plan {
        let input = GeneratorInput(
            programName: Bytes(utf8: "systemd-cryptsetup-generator"), destination: Bytes(utf8: destination),
            crypttabPath: Bytes(utf8: crypttab?.path ?? "/etc/crypttab"),
            crypttab: crypttab.map { .contents($0.bytes, readError: nil) } ?? .missing,
            efiOptions: nil, commandLine: Bytes(utf8: commandLine), inInitrd: { initrd },
            runtimeDirectory: Bytes(utf8: "/run/systemd/cryptsetup"))
        let (plan, _) = GeneratorPlanner.plan(input)
        let volumes = plan.entries.map { entry in
            (entry.name.text, entry.operations.compactMap { operation -> String? in
                if case .makeDirectory = operation { return nil }
                let path = operation.path.text
                return path.hasPrefix(destination + "/") ? String(path.dropFirst(destination.count + 1)) : path
            })
        }
        let messages = plan.messages.filter { $0.level <= .warning }.map(\.text)
        return Plan(volumes: volumes, messages: messages)
    }

    /// Hands each entry the units of the first planned volume of its name not yet taken. An entry the
    /// generator refuses gets none, and the generator's messages that name it.
    static func assign(_ plan: Plan, to reports: inout [EntryReport]) {
        var taken = Set<Int>()
        for index in reports.indices {
            let name = reports[index].entry.name
            if let match = plan.volumes.indices.first(where: { !taken.contains($0) && plan.volumes[$0].name == name }) {
                taken.insert(match)
                reports[index].units = plan.volumes[match].units
            } else {
                let service = "@" + UnitNames.escape(Bytes(utf8: name)).text + ".service"
                let said = plan.messages.filter { $0.contains("'\(name)'") || $0.contains(service) }
                let why = said.isEmpty ? "" : ": \(said.joined(separator: "; "))"
                reports[index].add(.error, "units", "the generator writes no units for this entry\(why)")
            }
        }
    }
}
