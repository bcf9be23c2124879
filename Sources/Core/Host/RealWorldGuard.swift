import CSupport

/// The real world's backends (clock, randomness, system calls, processes) refuse to run inside a simulated
/// process: there, a call to them would be nondeterminism escaping bootsim's scheduler, since everything
/// nondeterministic must come through the machine's protocols (DESIGN.md). Outside bootsim the flag is never
/// set and the check is one thread-local read.
public enum RealWorldGuard {
    /// What an escape does; a crash unless a test records it instead.
    nonisolated(unsafe) public static var onEscape: @Sendable (String) -> Void = { what in
        fatalError("bootsim: nondeterminism escaped the scheduler: a simulated process used the real \(what)")
    }

    /// Whether a simulated process runs on this thread.
    public static var inSimulatedProcess: Bool { csupport_in_simulated_process() != 0 }

    @inline(__always)
    package static func check(_ what: @autoclosure () -> String) {
        if csupport_in_simulated_process() != 0 { onEscape(what()) }
    }
}
