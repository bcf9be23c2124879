import Core
import SimFS

/// A new podrt process on the simulated `world`, with a stand-in OCI runtime on its disk (podrt checks that
/// its configured runtime exists).
func simulatedPodrtProcess(_ world: SimWorld) throws -> Machine {
    let machine = world.machine(for: world.spawn(name: "podrt"))
    let fs = machine.fileSystem
    if try !fs.exists("/usr/bin/runc") {
        try fs.makeDirectories("/usr/bin", permissions: FilePermissions(rawValue: 0o755))
        let fd = try fs.open("/usr/bin/runc", [.write, .create], permissions: FilePermissions(rawValue: 0o755))
        try fs.fsync(fd)
        try fs.close(fd)
    }
    return machine
}
