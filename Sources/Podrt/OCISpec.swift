import Core
/// A container's `config.json` (OCI runtime spec 1.0), shaped as podman writes it for a `--rootfs` container:
/// mount, pid, ipc and uts namespaces (no network namespace: the host's network, as `--network host`), `/proc`,
/// `/dev` (a tmpfs, with `/dev/pts`, `/dev/shm` and `/dev/mqueue`) and a read-only `/sys`, and runc's default
/// masked and read-only paths. Rootless (`runc --rootless true`), as podman's rootless `--rootfs` container: a
/// user namespace mapping the container's root to the user's uid and gid, and `/sys` bind-mounted from the host
/// (a user namespace without its own network namespace may not mount sysfs).
enum OCISpec {
    /// podman's default `PATH` for a container.
    static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Where `--init`'s binary is bind-mounted, as podman's `/run/podman-init`.
    static let initDestination = "/run/podrt-init"

    /// `initBinary`: the host's init binary for a `--init` container (podman runs `/run/podman-init -- CMD`).
    static func config(for container: Container, volumeSources: [String: String], config: RuntimeConfig,
                       initBinary: String? = nil) -> JSON {
        let rootless = config.rootlessUID != nil
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
            rootless ? mount("/sys", "bind", "/sys", ["rbind", "nosuid", "noexec", "nodev", "ro"])
                     : mount("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]),
        ]
        for volume in container.volumes {
            guard let source = volumeSources[volume.volume] else { continue }
            mounts.append(mount(volume.destination, "bind", source,
                                ["rbind", volume.readOnly ? "ro" : "rw", "nosuid", "nodev"]))
        }
        var arguments = container.command
        if container.runsInit, let initBinary {
            mounts.append(mount(initDestination, "bind", initBinary, ["bind", "ro", "nosuid", "nodev"]))
            arguments = [initDestination, "--"] + arguments
        }
        let masked = ["/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                      "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"]
        let readOnly = ["/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
        var namespaces = ["pid", "ipc", "uts", "mount"]
        var linux: [(String, JSON)] = []
        if let uid = config.rootlessUID {
            namespaces.append("user")
            func mapping(_ host: UInt32) -> JSON {
                .array([.object([("containerID", .number(0)), ("hostID", .number(Int64(host))), ("size", .number(1))])])
            }
            linux = [("uidMappings", mapping(uid)), ("gidMappings", mapping(config.rootlessGID))]
        }
        return .object([
            ("ociVersion", .string("1.0.2")),
            ("process", .object([
                ("terminal", .bool(false)),
                ("user", .object([("uid", .number(0)), ("gid", .number(0))])),
                ("args", .array(arguments.map(JSON.string))),
                ("env", .array(environment.map(JSON.string))),
                ("cwd", .string(container.workingDirectory)),
                ("noNewPrivileges", .bool(true)),
            ])),
            ("root", .object([("path", .string(container.rootfs)), ("readonly", .bool(false))])),
            ("hostname", .string(String(container.id.prefix(12)))),
            ("mounts", .array(mounts)),
            ("linux", .object(linux + [
                ("namespaces", .array(namespaces.map { .object([("type", .string($0))]) })),
                ("maskedPaths", .array(masked.map(JSON.string))),
                ("readonlyPaths", .array(readOnly.map(JSON.string))),
            ])),
        ])
    }
}
