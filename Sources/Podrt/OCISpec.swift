import Core
/// A container's `config.json` (OCI runtime spec 1.0), shaped as podman writes it for a `--rootfs` container:
/// mount, pid, ipc and uts namespaces (no network namespace: the host's network, as `--network host`), `/proc`,
/// `/dev` (a tmpfs, with `/dev/pts`, `/dev/shm` and `/dev/mqueue`) and a read-only `/sys`, and runc's default
/// masked and read-only paths.
enum OCISpec {
    /// podman's default `PATH` for a container.
    static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    static func config(for container: Container, volumeSources: [String: String]) -> JSON {
        let environment = [defaultPath, "TERM=xterm", "container=podrt"] + container.environment
        func mount(_ destination: String, _ type: String, _ source: String, _ options: [String]) -> JSON {
            .object([("destination", .string(destination)), ("type", .string(type)), ("source", .string(source)),
                     ("options", .array(options.map(JSON.string)))])
        }
        var mounts: [JSON] = [
            mount("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]),
            mount("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            mount("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]),
            mount("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            mount("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
            mount("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]),
        ]
        for volume in container.volumes {
            guard let source = volumeSources[volume.volume] else { continue }
            mounts.append(mount(volume.destination, "bind", source,
                                ["rbind", volume.readOnly ? "ro" : "rw", "nosuid", "nodev"]))
        }
        let masked = ["/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                      "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"]
        let readOnly = ["/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
        return .object([
            ("ociVersion", .string("1.0.2")),
            ("process", .object([
                ("terminal", .bool(false)),
                ("user", .object([("uid", .number(0)), ("gid", .number(0))])),
                ("args", .array(container.command.map(JSON.string))),
                ("env", .array(environment.map(JSON.string))),
                ("cwd", .string(container.workingDirectory)),
                ("noNewPrivileges", .bool(true)),
            ])),
            ("root", .object([("path", .string(container.rootfs)), ("readonly", .bool(false))])),
            ("hostname", .string(String(container.id.prefix(12)))),
            ("mounts", .array(mounts)),
            ("linux", .object([
                ("namespaces", .array(["pid", "ipc", "uts", "mount"].map { .object([("type", .string($0))]) })),
                ("maskedPaths", .array(masked.map(JSON.string))),
                ("readonlyPaths", .array(readOnly.map(JSON.string))),
            ])),
        ])
    }
}
