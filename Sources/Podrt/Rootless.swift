import Core
/// Who runs podrt, for podman's rootless mode: the effective uid and the variables podman reads (`HOME`,
/// `TMPDIR`, `XDG_RUNTIME_DIR`, `XDG_DATA_HOME`, `XDG_CONFIG_HOME`). Root (uid 0) keeps the system paths.
public struct User: Hashable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    public var environment: [String: String]

    public static let root = User(uid: 0, gid: 0, environment: [:])

    public init(uid: UInt32, gid: UInt32, environment: [String: String]) {
        self.uid = uid
        self.gid = gid
        self.environment = environment
    }

    public static let variables = ["HOME", "TMPDIR", "XDG_RUNTIME_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME"]

    public var isRootless: Bool { uid != 0 }

    /// A variable, empty counting as unset (as podman's `os.Getenv(...) != ""`).
    func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }

    /// containers/storage `homedir.GetDataHome`: `$XDG_DATA_HOME`, else `$HOME/.local/share`.
    public func dataHome() throws -> String { try xdgDirectory("XDG_DATA_HOME", underHome: "/.local/share") }

    /// containers/storage `homedir.GetConfigHome`: `$XDG_CONFIG_HOME`, else `$HOME/.config`.
    public func configHome() throws -> String { try xdgDirectory("XDG_CONFIG_HOME", underHome: "/.config") }

    /// The XDG variable `name`, else `$HOME` followed by `underHome`.
    func xdgDirectory(_ name: String, underHome: String) throws -> String {
        if let given = variable(name) { return given }
        guard let home = variable("HOME") else {
            throw ConfigError(message: "rootless: neither \(name) nor HOME was set non-empty")
        }
        return home + underHome
    }

    /// The rootless runtime directory, as podman 4.3.1's `GetRuntimeDir` (pkg/util/utils_supported.go):
    /// 1. `$XDG_RUNTIME_DIR` if set: it must exist and be owned by the user;
    /// 2. else `/run/user/UID`, made 0700 if missing, used if owned by the user and writable only by them
    ///    (`perm & 0o722 == 0o700`, podman's `isWriteableOnlyByOwner`);
    /// 3. else `$TMPDIR` (or `/tmp`) `/podrt-run-UID` (podman's `podman-run-UID`), made and checked the same way;
    /// 4. else `$HOME/rundir`, `HOME` resolved through its symlinks.
    public func runtimeDirectory(fileSystem fs: any FileSystem) throws -> String {
        if let given = variable("XDG_RUNTIME_DIR") {
            let status: FileStatus
            do { status = try fs.stat(given) } catch let error as Errno {
                throw ConfigError(message: "rootless: XDG_RUNTIME_DIR directory \(given): \(error)")
            }
            guard status.uid == uid else {
                throw ConfigError(message: "rootless: XDG_RUNTIME_DIR directory \"\(given)\" is not owned by the current user (uid \(uid))")
            }
            return given
        }
        func usable(_ directory: String) -> Bool {
            try? fs.makeDirectories(directory, permissions: FilePermissions(rawValue: 0o700))
            guard let status = try? fs.stat(directory) else { return false }
            return status.kind == .directory && status.uid == uid && status.permissions.rawValue & 0o722 == 0o700
        }
        if usable("/run/user/\(uid)") { return "/run/user/\(uid)" }
        let temporary = (variable("TMPDIR") ?? "/tmp") + "/podrt-run-\(uid)"
        if usable(temporary) { return temporary }
        guard let home = variable("HOME") else {
            throw ConfigError(message: "rootless: neither XDG_RUNTIME_DIR nor HOME was set non-empty")
        }
        do { return try fs.realpath(home) + "/rundir" } catch let error as Errno {
            throw ConfigError(message: "rootless: cannot resolve HOME \(home): \(error)")
        }
    }
}

extension RuntimeConfig {
    /// The built-in defaults for `user`. Root: `/var/lib/podrt` and `/run/podrt`. Rootless, podman's rootless
    /// defaults under podrt's names: static dir `$XDG_DATA_HOME/containers/storage/podrt` (podman:
    /// `…/containers/storage/libpod`) and tmp dir `RUNTIME_DIR/podrt/tmp` (podman: `RUNTIME_DIR/libpod/tmp`),
    /// where RUNTIME_DIR is `User.runtimeDirectory`. Both are left empty here and resolved by
    /// `resolveRootlessDirectories` only if no file or flag sets them, so `--root` and `--runroot` need neither
    /// HOME nor a runtime directory.
    public init(user: User) {
        self.init()
        guard user.isRootless else { return }
        rootlessUID = user.uid
        rootlessGID = user.gid
        staticDir = ""
        tmpDir = ""
    }

    /// Rootless: the static and tmp dirs that no file or flag set.
    public mutating func resolveRootlessDirectories(user: User, fileSystem: any FileSystem) throws {
        guard user.isRootless else { return }
        if staticDir.isEmpty { staticDir = try user.dataHome() + "/containers/storage/podrt" }
        if tmpDir.isEmpty { tmpDir = try user.runtimeDirectory(fileSystem: fileSystem) + "/podrt/tmp" }
    }
}
