/// Historical systemd 252 generator bugs the simulation can put back (`bootsim hunt`), as Podrt's
/// `InjectedBugs` does for the runtime.
///
/// Testing only: a set travels as a value, in `GeneratorInput.injectedBugs` (or `GeneratorProcess.injectedBugs`)
/// and from there in the plan's context; both are `@_spi(BugInjection)`, which the release generator never
/// imports, so there every check reads an empty set. Each check is a one-line edit marked `// BugInjection:`.
@_spi(BugInjection) public struct InjectedGeneratorBugs: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// systemd #5290: a key or header device's mount point goes unescaped into `What=`, `Where=`, the
    /// umount unit's name and its `ExecStart=`, so a `%` in the volume's name makes invalid units.
    public static let deviceMountPercentUnescaped = InjectedGeneratorBugs(rawValue: 1 << 0)

}
