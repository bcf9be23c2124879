import Core
/// `pod start` and `pod stop` act on the pod's member containers, oldest first, as podman's `Pod.Start` and
/// `Pod.Stop`: members already in the wanted state are left as they are, and one member's failure does not
/// stop the others (podman: "error starting some containers"). `pod rm -f` is `removePod(_:force:)`.
extension Runtime {
    /// The pod's members that failed, each with its error; empty when every member runs.
    @discardableResult
    public func startPod(_ key: String) throws -> [(container: String, error: any Error)] {
        try eachMember(of: key, event: "start") { member in
            if try !isContainerRunning(member.id) { _ = try startContainer(member.id) }
        }
    }

    /// Stops every running member: SIGTERM, then SIGKILL after `timeoutSeconds` (`podman pod stop -t`).
    @discardableResult
    public func stopPod(_ key: String, timeoutSeconds: UInt64 = 10) throws -> [(container: String, error: any Error)] {
        try eachMember(of: key, event: "stop") { try stopContainer($0.id, timeoutSeconds: timeoutSeconds) }
    }

    /// Runs `act` on each member of pod `key`, oldest first, going on past a failure; then the pod's event.
    /// The members that failed, with their errors.
    private func eachMember(of key: String, event status: String, _ act: (Container) throws -> Void) throws
        -> [(container: String, error: any Error)] {
        let pod = try lookupPod(key)
        var failures: [(container: String, error: any Error)] = []
        for member in try store.containers(where: "pod_id = ?", [.text(pod.id)]).all() {
            do { try act(member) } catch { failures.append((member.name, error)) }
        }
        try event(.pod, status, id: pod.id, name: pod.name)
        return failures
    }
}
