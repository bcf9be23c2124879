/// Historical systemd 252 generator bugs the simulation can put back (`bootsim hunt`), as Podrt's
/// `InjectedBugs` does for the runtime.
///
/// Testing only: `active` is set through `@_spi(BugInjection)`, which the release generator never imports, so
/// there every `injected(_:)` check reads an empty set. Each check is a one-line edit marked `// BugInjection:`.
@_spi(BugInjection) public struct InjectedGeneratorBugs: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// systemd #5290: a key or header device's mount point goes unescaped into `What=`, `Where=`, the
    /// umount unit's name and its `ExecStart=`, so a `%` in the volume's name makes invalid units.
    public static let deviceMountPercentUnescaped = InjectedGeneratorBugs(rawValue: 1 << 0)

    /// The bugs put back in this process. Set before any simulated process starts; never by release binaries.
    nonisolated(unsafe) public static var active: InjectedGeneratorBugs = []
}

/// Whether `bug` has been put back (always false outside the simulation).
@inline(__always)
func injected(_ bug: InjectedGeneratorBugs) -> Bool { InjectedGeneratorBugs.active.contains(bug) }
