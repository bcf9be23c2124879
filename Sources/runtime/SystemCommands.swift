import ArgumentParser
import Core
import Podrt
import Glibc

struct SystemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "system", abstract: "Manage the runtime itself.",
        subcommands: [Info.self, Renumber.self, Migrate.self, Locks.self, Reset.self, HoldLock.self])

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "info", abstract: "Show paths, counts and locks.")
        @ParentCommand var podrt: PodrtCommand
        @OptionGroup var output: FormatOption

        func run() throws {
            let info = try podrt.global.open().info()
            print(output.json ? info.prettyPrinted() : yaml(info, level: 0))
        }

        /// A plain indented listing for people.
        func yaml(_ value: JSON, level: Int) -> String {
            guard case let .object(members) = value else { return value.serialized() }
            let pad = String(repeating: "  ", count: level)
            return members.map { key, member in
                if case .object = member { return "\(pad)\(key):\n" + yaml(member, level: level + 1) }
                if case .string(let text) = member { return "\(pad)\(key): \(text)" }
                return "\(pad)\(key): \(member.serialized())"
            }.joined(separator: "\n")
        }
    }

    struct Renumber: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "renumber", abstract: "Give every container, pod and volume a fresh lock (after num_locks changes).")
        @ParentCommand var podrt: PodrtCommand

        func run() throws { try podrt.global.open(forRenumber: true).renumber() }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate", abstract: "Migrate the database schema, and optionally every container's runtime.")
        @ParentCommand var podrt: PodrtCommand
        @Option(name: .customLong("new-runtime"), help: "Move every container to this OCI runtime (a name from [engine.runtimes], installed, or its path).")
        var newRuntime: String?

        func run() throws {
            let count: Int
            do { count = try podrt.global.open().migrate(newRuntime: newRuntime) } catch let error as RuntimeError {
                throw usageFailure(ValidationError("system migrate --new-runtime \(newRuntime ?? ""): \(error); nothing was changed"))
            }
            if newRuntime != nil { print("migrated \(count) containers") }
        }
    }

    struct Locks: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "locks", abstract: "Report lock conflicts, unreserved and orphaned locks; exit 1 if any.")
        @ParentCommand var podrt: PodrtCommand
        @OptionGroup var output: FormatOption

        func run() throws {
            let report = try podrt.global.open().lockReport()
            if output.json {
                print(report.json.prettyPrinted())
            } else {
                print("allocated: \(report.allocated.count)")
                print("available: \(report.available.map(String.init) ?? "unlimited")")
                for conflict in report.conflicts {
                    print("conflict: lock \(conflict.lock) is shared by "
                        + conflict.objects.map { "\($0.kind.rawValue) \($0.name)" }.joined(separator: ", "))
                }
                for owner in report.unreserved {
                    print("unreserved: \(owner.kind.rawValue) \(owner.name) uses lock \(owner.lockID), which is not allocated")
                }
                for id in report.orphaned { print("orphaned: lock \(id) is allocated but no object uses it") }
                for row in report.unreadable { print("unreadable: \(row)") }
                if !report.held.isEmpty { print("held: \(report.held.map(String.init).joined(separator: " "))") }
            }
            if !report.isClean { throw ExitFailure(code: 1) }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset", abstract: "Remove every container, pod and volume.")
        @ParentCommand var podrt: PodrtCommand
        @Flag(help: "Really do it.")
        var force = false

        func run() throws {
            guard force else { throw RuntimeError.resetNeedsForce }
            try podrt.global.open().reset()
        }
    }

    /// For tests of owner death: takes an object's lock, sleeps, and exits still holding it.
    struct HoldLock: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hold-lock", shouldDisplay: false)
        @ParentCommand var podrt: PodrtCommand
        @Argument var kind: String
        @Argument var name: String
        @Option var seconds: UInt64 = 0

        func run() throws {
            let runtime = try podrt.global.open()
            let lockID: UInt32
            switch kind {
            case "container": lockID = try runtime.lookupContainer(name).lockID
            case "pod": lockID = try runtime.lookupPod(name).lockID
            default: lockID = try runtime.lookupVolume(name).lockID
            }
            let acquisition = try runtime.locks.retrieve(lockID).lock()
            print("holding lock \(lockID) (\(acquisition))")
            let clock = runtime.machine.clock
            try clock.sleep(until: clock.monotonicNow().advanced(byNanoseconds: seconds * 1_000_000_000))
            // Exit while the segment is still mapped: unmapping a held robust mutex first would leave it
            // stuck instead of owner-died (the kernel cannot walk the robust list into unmapped memory).
            Glibc.exit(0)
        }
    }
}
