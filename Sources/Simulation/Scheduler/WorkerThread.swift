import Core

/// Starts a detached thread running `body` (a seed batch's worker).
func startThread(_ body: @escaping @Sendable () -> Void) {
    precondition(HostThread.start(stackSize: 2 << 20, body), "bootsim: cannot start a worker thread")
}
