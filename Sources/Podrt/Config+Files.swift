import Core
/// Where the configuration comes from, in podman's order (containers/common pkg/config/new.go, `systemConfigs`
/// then `newLocked`): each file read sets only the keys it names, so a later file wins key by key.
///
/// 1. `$CONTAINERS_CONF` alone, if set (it must exist); otherwise `/usr/share/containers/containers.conf`,
///    `/etc/containers/containers.conf`, then `/etc/containers/containers.conf.d/*.conf` in byte order of the
///    name (directories skipped), then podrt's own `/etc/podrt/containers.conf`; each of these only if it exists.
/// 2. `--config FILE` (it must exist), in place of podrt's own file.
/// 3. `$CONTAINERS_CONF_OVERRIDE` (it must exist): it always wins over the files.
/// 4. The command-line flags.
/// Rootless, the user's `$XDG_CONFIG_HOME/containers/containers.conf` and its `.d` come after the `/etc` drop-ins
/// and before podrt's own file (containers/common v0.50's `systemConfigs`, podman 4.3.1's).
public struct ConfigSources: Hashable, Sendable {
    public var vendorFile = "/usr/share/containers/containers.conf"
    /// Its drop-ins are in this path plus `.d`.
    public var adminFile = "/etc/containers/containers.conf"
    public var podrtFile = "/etc/podrt/containers.conf"
    /// Rootless only: `$XDG_CONFIG_HOME/containers/containers.conf` (its drop-ins: this path plus `.d`).
    public var userFile: String?
    /// `--config`.
    public var explicitFile: String?
    /// `$CONTAINERS_CONF`, `$CONTAINERS_CONF_OVERRIDE`; empty counts as unset, as in podman.
    public var containersConf: String?
    public var containersConfOverride: String?

    public init() {}

    /// The variables read from an environment.
    public init(environment: [String: String], explicitFile: String? = nil) {
        containersConf = environment["CONTAINERS_CONF"].flatMap { $0.isEmpty ? nil : $0 }
        containersConfOverride = environment["CONTAINERS_CONF_OVERRIDE"].flatMap { $0.isEmpty ? nil : $0 }
        self.explicitFile = explicitFile
    }

    /// Rootless: the user's file too (`User.configHome`, podman's `rootlessConfigPath`).
    public mutating func addUserFile(for user: User) throws {
        if user.isRootless { userFile = try user.configHome() + "/containers/containers.conf" }
    }

    /// The files to read, in order, each with whether it must exist. Drop-in directories are listed here.
    public func files(fileSystem: any FileSystem) throws -> [(path: String, required: Bool)] {
        var files: [(path: String, required: Bool)] = []
        if let containersConf {
            files.append((containersConf, true))
        } else {
            files.append((vendorFile, false))
            files.append((adminFile, false))
            files += try dropIns(adminFile + ".d", fileSystem: fileSystem).map { ($0, false) }
            if let userFile {
                files.append((userFile, false))
                files += try dropIns(userFile + ".d", fileSystem: fileSystem).map { ($0, false) }
            }
            if explicitFile == nil { files.append((podrtFile, false)) }
        }
        if let explicitFile { files.append((explicitFile, true)) }
        if let containersConfOverride { files.append((containersConfOverride, true)) }
        return files
    }

    /// `DIR/*.conf`, sorted by name as Go's os.ReadDir sorts them; none when the directory does not exist.
    private func dropIns(_ directory: String, fileSystem: any FileSystem) throws -> [String] {
        let entries: [DirectoryEntry]
        do {
            entries = try fileSystem.readdir(directory)
        } catch Errno.noSuchFileOrDirectory {
            return []
        } catch let error as Errno {
            throw ConfigError(file: directory, message: "cannot list the drop-in directory: \(error)")
        }
        return entries.filter { $0.kind != .directory && $0.name.hasSuffix(".conf") }
            .map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { directory + "/" + $0 }
    }
}

extension RuntimeConfig {
    /// Reads every file of `sources` in order, then applies the flags.
    /// Rootless (`user` not root), the built-in paths are podman's rootless ones (`RuntimeConfig(user:)`).
    public static func load(fileSystem: any FileSystem, sources: ConfigSources, overrides: ConfigOverrides,
                            user: User = .root) throws -> RuntimeConfig {
        var config = RuntimeConfig(user: user)
        var runtimeSetAt: (file: String, line: Int)?
        for (path, required) in try sources.files(fileSystem: fileSystem) {
            let bytes: [UInt8]
            do {
                bytes = try fileSystem.readFile(path, limit: 1 << 20)
            } catch Errno.noSuchFileOrDirectory where !required {
                continue
            } catch let error as Errno {
                let name = path == sources.containersConf ? "CONTAINERS_CONF file "
                    : path == sources.containersConfOverride ? "CONTAINERS_CONF_OVERRIDE file " : ""
                throw ConfigError(file: name + path, message: "cannot read: \(error)")
            }
            if let location = try config.apply(try parseTOML(bytes: bytes, file: path), file: path) {
                runtimeSetAt = location
            }
        }
        try config.apply(overrides, runtimeSetAt: runtimeSetAt)
        try config.resolveRootlessDirectories(user: user, fileSystem: fileSystem)
        return config
    }
}
