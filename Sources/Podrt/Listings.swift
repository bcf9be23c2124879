import Core
/// What the listing commands print, as JSON (`--format json`) or as a text table.
public enum Listings {
    public static func containers(_ containers: [Container], pods: [Pod]) -> JSON {
        let podNames = Dictionary(pods.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return .array(containers.map { container in
            .object([
                ("Id", .string(container.id)), ("Names", .array([.string(container.name)])),
                ("State", .string(container.state.rawValue)), ("LockID", .number(Int64(container.lockID))),
                ("Pid", .number(Int64(container.pid))),
                ("Pod", .string(container.podID ?? "")),
                ("PodName", .string(container.podID.flatMap { podNames[$0] } ?? "")),
                ("Created", .number(container.created / 1_000_000_000)),
                ("CreatedAt", .string(Timestamp.rfc3339(wall(container.created)))),
                ("Command", .array(container.command.map(JSON.string))),
            ])
        })
    }

    public static func pods(_ pods: [Pod], containers: [Container]) -> JSON {
        .array(pods.map { pod in
            .object([
                ("Id", .string(pod.id)), ("Name", .string(pod.name)), ("LockID", .number(Int64(pod.lockID))),
                ("Created", .number(pod.created / 1_000_000_000)),
                ("Containers", .number(Int64(containers.filter { $0.podID == pod.id }.count))),
            ])
        })
    }

    public static func volumes(_ volumes: [Volume]) -> JSON {
        .array(volumes.map { volume in
            .object([
                ("Name", .string(volume.name)), ("Driver", .string(volume.driver)),
                ("LockID", .number(Int64(volume.lockID))), ("Created", .number(volume.created / 1_000_000_000)),
                ("MountCount", .number(volume.mountCount)),  // podman's: running containers that mount it
            ])
        })
    }

    /// `inspect`, in podman's shape for what podrt keeps: the config, the state and pid, the exit the monitor
    /// recorded, the pod and the files. Times are RFC 3339; one podrt does not know is podman's zero time.
    /// `configured` is `created`, as libpod names that state.
    public static func inspect(_ container: Container, exit: ContainerExit?, paths: ContainerPaths,
                               podName: String = "") -> JSON {
        let zeroTime = JSON.string("0001-01-01T00:00:00Z")
        return .object([
            ("Id", .string(container.id)), ("Created", .string(Timestamp.rfc3339(wall(container.created)))),
            ("Path", .string(container.command.first ?? "")),
            ("Args", .array(container.command.dropFirst().map(JSON.string))),
            ("State", .object([
                ("Status", .string(container.state == .configured ? "created" : container.state.rawValue)),
                ("Running", .bool(container.state == .running)),
                ("Paused", .bool(container.state == .paused)),
                ("Pid", .number(Int64(container.pid))),
                ("ConmonPid", .number(Int64(container.conmonPID))),
                ("ExitCode", .number(Int64(exit?.code ?? 0))),
                ("StartedAt", zeroTime),
                ("FinishedAt", exit.map { .string(Timestamp.rfc3339($0.time)) } ?? zeroTime),
            ])),
            ("Name", .string(container.name)),
            ("Rootfs", .string(container.rootfs)),
            ("Pod", .string(container.podID ?? "")), ("PodName", .string(podName)),
            ("Config", .object([
                ("Cmd", .array(container.command.map(JSON.string))),
                ("Env", .array(container.environment.map(JSON.string))),
                ("WorkingDir", .string(container.workingDirectory)),
            ])),
            ("Mounts", .array(container.volumes.map {
                .object([("Type", .string("volume")), ("Name", .string($0.volume)), ("Destination", .string($0.destination)),
                         ("RW", .bool(!$0.readOnly))])
            })),
            ("LockID", .number(Int64(container.lockID))), ("OCIRuntime", .string(container.runtime)),
            ("LogPath", .string(paths.log)), ("Bundle", .string(paths.bundle)),
        ])
    }

    static func wall(_ nanoseconds: Int64) -> WallTime {
        WallTime(seconds: nanoseconds / 1_000_000_000, nanoseconds: nanoseconds % 1_000_000_000)
    }

    /// A text table: a header row and the rows, columns padded to their widest cell. A cell's width is its
    /// count of Unicode scalars, as Go's text/tabwriter (podman's tables) counts runes; each is counted once,
    /// and the table is written as bytes, since `ps -a` of thousands writes one cell after another.
    public static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let counts = all.map { $0.map(scalarCount) }
        var widths = counts[0]
        for row in counts.dropFirst() { for (index, count) in row.enumerated() { widths[index] = max(widths[index], count) } }
        var out: [UInt8] = []
        out.reserveCapacity(all.count * (widths.reduce(0, +) + 2 * widths.count + 1))
        for (line, row) in all.enumerated() {
            if line > 0 { out.append(UInt8(ascii: "\n")) }
            for (index, cell) in row.enumerated() {
                out.append(contentsOf: cell.utf8)
                if index < row.count - 1 {
                    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: widths[index] - counts[line][index] + 2))
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A string's Unicode scalars: its UTF-8 bytes that are not continuation bytes (10xxxxxx), no decoding.
    static func scalarCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in bytes.reduce(0) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 } }
    }

    public static func containerTable(_ containers: [Container], pods: [Pod]) -> String {
        let podNames = Dictionary(pods.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return table(["CONTAINER ID", "NAMES", "STATE", "LOCK", "POD", "CREATED"], containers.map {
            [String(decoding: $0.id.utf8.prefix(12), as: UTF8.self), $0.name, $0.state.rawValue, String($0.lockID),
             $0.podID.flatMap { podNames[$0] } ?? "", Timestamp.rfc3339(wall($0.created))]
        })
    }

    public static func podTable(_ pods: [Pod], containers: [Container]) -> String {
        table(["POD ID", "NAME", "LOCK", "CONTAINERS", "CREATED"], pods.map { pod in
            [String(pod.id.prefix(12)), pod.name, String(pod.lockID),
             String(containers.filter { $0.podID == pod.id }.count), Timestamp.rfc3339(wall(pod.created))]
        })
    }

    public static func volumeTable(_ volumes: [Volume]) -> String {
        table(["DRIVER", "VOLUME NAME", "LOCK"], volumes.map { [$0.driver, $0.name, String($0.lockID)] })
    }
}
