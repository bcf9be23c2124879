/// What every per-process seam object of the machine holds: the world, and the process whose calls it
/// makes (`SimWorld.machine(for:)` hands out one of each: file system, clock, mutexes, processes, randomness).
class ProcessSeam {
    let world: SimWorld
    let process: SimProcess

    init(world: SimWorld, process: SimProcess) {
        self.world = world
        self.process = process
    }
}

// A seam object is used only by its process; the world's state it reaches is guarded by the world's lock.
extension ProcessSeam: @unchecked Sendable {}
