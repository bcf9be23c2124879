import Core

/// `podrt ps` as podman's: the row a `--format` template sees (podman's `psReporter` fields), the
/// `--filter` rules and the `--sort` keys.
public enum ContainerReport {
    /// podman's ps headers where they are not the field name split at its capitals.
    public static let headers = ["ID": "CONTAINER ID", "Pod": "POD ID", "PodName": "PODNAME"]

    /// The fields of podman 4.3.1's ps template: `.ID` is 12 characters unless `noTrunc`, `.Names` and
    /// `.Command` are strings, `.State` and `.Status` are podman's words (`Created`, `Up`, `Exited (0)`).
    public static func row(_ container: Container, podName: String, exit: ContainerExit?, noTrunc: Bool,
                           now: WallTime) -> JSON {
        let created = Listings.wall(container.created)
        let short = { (id: String) in noTrunc ? id : String(id.prefix(12)) }
        let status = statusText(container.state, exit: exit)
        return .object([
            ("ID", .string(short(container.id))), ("Names", .string(container.name)),
            ("Image", .string("")), ("Command", .string(container.command.joined(separator: " "))),
            ("CreatedAt", .string(Timestamp.goString(created))), ("Created", .string(Timestamp.goString(created))),
            ("RunningFor", .string(Timestamp.humanDuration(now.seconds - created.seconds) + " ago")),
            ("Status", .string(status)), ("State", .string(status)),
            ("Pod", .string(container.podID.map(short) ?? "")), ("PodName", .string(podName)),
            ("Pid", .number(Int64(container.pid))), ("ExitCode", .number(Int64(exit?.code ?? 0))),
            ("Exited", .bool(isExited(container.state))), ("Labels", .object([])),
            ("Mounts", .array(container.volumes.map { .string($0.destination) })),
            ("Ports", .string("")), ("Networks", .array([])), ("IsInfra", .bool(false)), ("AutoRemove", .bool(false)),
            ("LockID", .number(Int64(container.lockID))),
        ])
    }

    static func isExited(_ state: ContainerState) -> Bool { state == .exited || state == .stopped }

    /// podman's status word: `Created`, `Up`, `Exited (CODE)`; other states capitalised.
    static func statusText(_ state: ContainerState, exit: ContainerExit?) -> String {
        switch state {
        case .configured, .created: return "Created"
        case .running: return "Up"
        case .exited, .stopped: return "Exited (\(exit?.code ?? 0))"
        default: return state.rawValue.prefix(1).uppercased() + state.rawValue.dropFirst()
        }
    }

    /// podman's status filter words: `created` stands for podrt's configured and created states.
    static func statusWord(_ state: ContainerState) -> String {
        state == .configured ? "created" : state.rawValue
    }

    /// The `--sort` keys podman takes (`size` aside: podrt keeps no sizes).
    public static let sortKeys = ["command", "created", "id", "image", "names", "runningfor", "status", "pod"]

    /// Sorted as podman's `ps --sort`: created and runningfor newest first, the others by their text.
    public static func sorted(_ containers: [Container], by key: String, podNames: [String: String]) -> [Container] {
        func text(_ container: Container) -> String {
            switch key {
            case "command": return container.command.joined(separator: " ")
            case "id": return container.id
            case "image": return ""
            case "names": return container.name
            case "status": return statusWord(container.state)
            default: return container.podID.flatMap { podNames[$0] } ?? ""  // pod
            }
        }
        if key == "created" || key == "runningfor" {
            return containers.enumerated().sorted { ($0.element.created, $0.offset) > ($1.element.created, $1.offset) }.map(\.element)
        }
        return containers.enumerated().sorted { (text($0.element), $0.offset) < (text($1.element), $1.offset) }.map(\.element)
    }
}

/// `ps --filter KEY=VALUE`, podman's rules: a name is a regular expression searched in the name, an id a
/// prefix, `status` a state word, `pod` a pod's name or id prefix, `label` a key or key=value, `exited` an
/// exit code (of exited containers). The same key given twice matches either value; different keys must all
/// match.
public struct ContainerFilter {
    public static let keys = ["name", "id", "status", "pod", "label", "exited"]
    static let statuses = ["created", "exited", "paused", "running", "unknown", "stopped", "stopping", "removing"]

    var values: [(key: String, value: String)] = []
    var names: [String: Regex<AnyRegexOutput>] = [:]

    /// Reads `KEY=VALUE` filters; a bad one is a `ContainerFilterError` naming it.
    public init(_ filters: [String]) throws {
        for filter in filters {
            guard let equals = filter.firstIndex(of: "=") else {
                throw ContainerFilterError(message: "invalid filter \"\(filter)\" (it wants KEY=VALUE)")
            }
            let key = String(filter[..<equals])
            let value = String(filter[filter.index(after: equals)...])
            guard Self.keys.contains(key) else {
                throw ContainerFilterError(message: "\(key) is an invalid filter (filters: \(Self.keys.joined(separator: ", ")))")
            }
            switch key {
            case "name":
                do { names[value] = try Regex(value) } catch {
                    throw ContainerFilterError(message: "invalid filter \"\(filter)\": \(value) is not a regular expression")
                }
            case "status":
                guard Self.statuses.contains(value) else {
                    throw ContainerFilterError(message: "invalid filter \"\(filter)\": status wants one of \(Self.statuses.joined(separator: ", "))")
                }
            case "exited":
                guard Int32(value) != nil else {
                    throw ContainerFilterError(message: "invalid filter \"\(filter)\": exited wants an exit code")
                }
            default: break
            }
            values.append((key, value))
        }
    }

    public var isEmpty: Bool { values.isEmpty }
    public var needsExitCodes: Bool { values.contains { $0.key == "exited" } }

    public func matches(_ container: Container, pod: Pod?, exit: ContainerExit?) -> Bool {
        let keys = Set(values.map(\.key))
        return keys.allSatisfy { key in
            values.filter { $0.key == key }.contains { matches(key, $0.value, container, pod: pod, exit: exit) }
        }
    }

    func matches(_ key: String, _ value: String, _ container: Container, pod: Pod?, exit: ContainerExit?) -> Bool {
        switch key {
        case "name": return names[value].map { container.name.contains($0) } ?? false
        case "id": return container.id.hasPrefix(value)
        case "status": return ContainerReport.statusWord(container.state) == value
        case "pod": return pod.map { $0.name == value || $0.id.hasPrefix(value) } ?? false
        case "label": return false  // podrt containers carry no labels yet
        default: return ContainerReport.isExited(container.state) && exit.map { String($0.code) == value } ?? false
        }
    }
}

public struct ContainerFilterError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension Runtime {
    /// The exit the container's monitor recorded, if any (for `ps` rows and its `exited` filter).
    public func recordedExit(of id: String) throws -> ContainerExit? { try store.recordedExit(of: id) }
}
