// simfs-loop: create (O_CREAT|O_EXCL), write 256 B, fsync, close, rename, stat — on the in-memory SimFS and,
// side by side, on the real kernel on tmpfs through plain Glibc calls.
import Glibc
import SimFS

func seconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

let payload = [UInt8](repeating: 0x5a, count: 256)
let arguments = CommandLine.arguments
let loops = arguments.count > 1 ? Int(arguments[1]) ?? 200_000 : 200_000
/// The disk region keeps a pending entry change per create and rename until the directory is fsynced;
/// the loop fsyncs the directory once every `batch` loops (counted in the time) to keep that bounded.
let batch = 1_000

func simLoop(directory: String, loops: Int) throws -> Double {
    let world = SimWorld(seed: 1, commandLine: "bench")
    world.opLogCapacity = 1 << 20
    let fs = world.machine(for: world.spawn(name: "bench")).fileSystem
    try fs.makeDirectories(directory, permissions: FilePermissions(rawValue: 0o755))
    let temporary = directory + "/tmp"
    let target = directory + "/target"
    let start = seconds()
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
    return Double(loops) / (seconds() - start)
}

func kernelLoop(directory: String, loops: Int) -> Double {
    mkdir(directory, 0o755)
    let temporary = directory + "/tmp"
    let target = directory + "/target"
    var status = stat()
    let start = seconds()
    for _ in 0..<loops {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        precondition(fd >= 0, "open: \(errno)")
        precondition(payload.withUnsafeBytes { write(fd, $0.baseAddress, 256) } == 256)
        precondition(fsync(fd) == 0)
        close(fd)
        precondition(rename(temporary, target) == 0)
        precondition(stat(target, &status) == 0)
    }
    let rate = Double(loops) / (seconds() - start)
    unlink(target)
    rmdir(directory)
    return rate
}

func show(_ name: String, _ rate: Double) {
    let perLoop = 1e6 / rate
    print(name + String(repeating: " ", count: max(1, 34 - name.count))
          + "\(Int(rate)) loops/s  (\((perLoop * 100).rounded() / 100) µs/loop)")
}

let kernelLoops = min(loops, 100_000)
let simDisk = try simLoop(directory: "/var/bench", loops: loops)
let simTmpfs = try simLoop(directory: "/dev/shm/bench", loops: loops)
let kernel = kernelLoop(directory: "/dev/shm/simfs-loop-\(getpid())", loops: kernelLoops)
show("SimFS, disk region (/var)", simDisk)
show("SimFS, tmpfs region (/dev/shm)", simTmpfs)
show("kernel tmpfs (/dev/shm), Glibc", kernel)
print("ratio SimFS disk / kernel tmpfs: \((simDisk / kernel * 100).rounded() / 100)x")
