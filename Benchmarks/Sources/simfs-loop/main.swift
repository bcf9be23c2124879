// simfs-loop: create (O_CREAT|O_EXCL), write 256 B, fsync, close, rename, stat — on the in-memory SimFS and,
// side by side, on the real kernel on tmpfs through plain Glibc calls.
import Glibc
import SimFS

func seconds(_ clock: clockid_t = CLOCK_MONOTONIC) -> Double {
    var now = timespec()
    clock_gettime(clock, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Loops per second by the wall clock and by this thread's CPU time (the fairer figure on a busy machine).
struct Rate {
    var wall: Double
    var cpu: Double
}

func measure(loops: Int, _ body: () throws -> Void) rethrows -> Rate {
    let wallStart = seconds()
    let cpuStart = seconds(CLOCK_THREAD_CPUTIME_ID)
    try body()
    return Rate(wall: Double(loops) / (seconds() - wallStart),
                cpu: Double(loops) / (seconds(CLOCK_THREAD_CPUTIME_ID) - cpuStart))
}

let payload = [UInt8](repeating: 0x5a, count: 256)
let arguments = CommandLine.arguments
let loops = arguments.count > 1 ? Int(arguments[1]) ?? 200_000 : 200_000
/// The disk region keeps a pending entry change per create and rename until the directory is fsynced;
/// the loop fsyncs the directory once every `batch` loops (counted in the time) to keep that bounded.
let batch = 1_000

func simLoop(directory: String, loops: Int) throws -> Rate {
    let world = SimWorld(seed: 1, commandLine: "bench")
    world.opLogCapacity = 1 << 20
    let fs = world.machine(for: world.spawn(name: "bench")).fileSystem
    try fs.makeDirectories(directory, permissions: FilePermissions(rawValue: 0o755))
    let temporary = directory + "/tmp"
    let target = directory + "/target"
    return try measure(loops: loops) {
    for index in 0..<loops {
        let fd = try fs.open(temporary, [.write, .create, .exclusive], permissions: FilePermissions(rawValue: 0o644))
        _ = try payload.withUnsafeBytes { try fs.write(fd, $0) }
        try fs.fsync(fd)
        try fs.close(fd)
        try fs.rename(temporary, to: target)
        _ = try fs.stat(target)
        if index % batch == batch - 1 {
            let directoryFD = try fs.open(directory, [.read, .directory])
            try fs.fsync(directoryFD)
            try fs.close(directoryFD)
        }
    }
    }
}

func kernelLoop(directory: String, loops: Int) -> Rate {
    mkdir(directory, 0o755)
    let temporary = directory + "/tmp"
    let target = directory + "/target"
    var status = stat()
    let rate = measure(loops: loops) {
    for _ in 0..<loops {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        precondition(fd >= 0, "open: \(errno)")
        precondition(payload.withUnsafeBytes { write(fd, $0.baseAddress, 256) } == 256)
        precondition(fsync(fd) == 0)
        close(fd)
        precondition(rename(temporary, target) == 0)
        precondition(stat(target, &status) == 0)
    }
    }
    unlink(target)
    rmdir(directory)
    return rate
}

func show(_ name: String, _ rate: Rate) {
    func format(_ value: Double) -> String { "\(Int(value)) loops/s (\((1e6 / value * 100).rounded() / 100) µs)" }
    print(name + String(repeating: " ", count: max(1, 34 - name.count))
          + "wall " + format(rate.wall) + "   cpu " + format(rate.cpu))
}

/// A toy seed of a simulation: a fresh world, 3 processes writing 20 small files with fsyncs, one power
/// loss, a look at the result. Not part of the loop above; a hint for the simulation budget.
func worldCycle(count: Int) throws -> Rate {
    try measure(loops: count) {
        for seed in 0..<UInt64(count) {
            let world = SimWorld(seed: seed, commandLine: "bench")
            for p in 0..<3 {
                let fs = world.machine(for: world.spawn(name: "p\(p)")).fileSystem
                for f in 0..<7 {
                    let fd = try fs.open("/var/lib/o\(p)-\(f)", [.write, .create, .truncate])
                    _ = try payload.withUnsafeBytes { try fs.write(fd, UnsafeRawBufferPointer(rebasing: $0[0..<64])) }
                    try fs.fsync(fd)
                    try fs.close(fd)
                }
            }
            world.powerLoss(seed: seed)
            _ = try world.machine(for: world.spawn(name: "check")).fileSystem.readdir("/var/lib")
        }
    }
}

let kernelLoops = min(loops, 100_000)
let simDisk = try simLoop(directory: "/var/bench", loops: loops)
let simTmpfs = try simLoop(directory: "/dev/shm/bench", loops: loops)
let kernel = kernelLoop(directory: "/dev/shm/simfs-loop-\(getpid())", loops: kernelLoops)
show("SimFS, disk region (/var)", simDisk)
show("SimFS, tmpfs region (/dev/shm)", simTmpfs)
show("kernel tmpfs (/dev/shm), Glibc", kernel)
show("world cycles (new world, 21 files, power loss)", try worldCycle(count: 20_000))
print("ratio SimFS disk / kernel tmpfs (wall): \((simDisk.wall / kernel.wall * 100).rounded() / 100)x")
