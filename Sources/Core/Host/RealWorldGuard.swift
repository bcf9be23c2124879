import CSupport

/// The real world's backends (clock, randomness, system calls, processes) refuse to run inside a simulated
/// process: there, a call to them would be nondeterminism escaping bootsim's scheduler, since everything
/// nondeterministic must come through the machine's protocols (DESIGN.md). Outside bootsim no handler is
/// installed and the check is one thread-local read.
public enum RealWorldGuard {
    /// Whether a simulated process runs on this thread.
    public static var inSimulatedProcess: Bool { csupport_escape_handler() != nil }

    @inline(__always)
    package static func check(_ what: @autoclosure () -> String) {
        if let raw = csupport_escape_handler() {
            Unmanaged<EscapeHandler>.fromOpaque(raw).takeUnretainedValue().escaped(what())
        }
    }
}

/// What an escape does, for the simulated processes of one run: a value the run carries (bootsim's
/// scheduler installs it on each process's fiber), not a global, so two runs in one process can differ.
public final class EscapeHandler: Sendable {
    private let action: @Sendable (String) -> Void

    public init(_ action: @escaping @Sendable (String) -> Void) { self.action = action }

    /// What bootsim does: stop the run loudly.
    public static let crash = EscapeHandler { what in
        fatalError("bootsim: nondeterminism escaped the scheduler: a simulated process used the real \(what)")
    }

    public func escaped(_ what: String) { action(what) }
}
