/// What every seam object the scheduler hands a process holds: the world's object it wraps, the scheduler,
/// and the process whose calls it makes (file system, mutexes, process control).
class ScheduledSeam<Inner> {
    let inner: Inner
    let scheduler: Scheduler
    let process: ScheduledProcess

    init(_ inner: Inner, scheduler: Scheduler, process: ScheduledProcess) {
        self.inner = inner
        self.scheduler = scheduler
        self.process = process
    }

    /// Names what the process's next call touches, for explore's dependence relation (`Footprint`).
    @inline(__always)
    func touch(_ resource: @autoclosure () -> String?) {
        if scheduler.tracksFootprints { process.touching = resource() }
    }
}

// A scheduled seam object is used only by its process's fiber.
extension ScheduledSeam: @unchecked Sendable {}
