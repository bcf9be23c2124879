import XCTest
@testable import SimFS

final class SnapshotTests: XCTestCase {
    /// A world with durable and pending files, a symlink, a hard link, tmpfs content, a fault and a segment.
    func populatedWorld() throws -> SimWorld {
        let (world, m) = makeWorld(seed: 21, commandLine: "rd.luks=0")
        let fs = m.fileSystem
        try fs.makeDirectories("/etc/systemd/system", permissions: FilePermissions(rawValue: 0o755))
        try fs.write("/etc/systemd/system/a.service", "[Unit]\n", sync: true)
        try fs.fsyncDirectory("/etc/systemd/system")
        try fs.write("/etc/pending", "not yet durable")
        try fs.symlink("/etc/pending", at: "/etc/link")
        try fs.link("/etc/pending", at: "/etc/hard")
        try fs.write("/run/state", "tmpfs")
        let segment = try m.mutexes.create("/dev/shm/locks", mutexCount: 3, dataSize: 16)
        _ = try segment.lock(1)
        try [UInt8(9)].withUnsafeBytes { try segment.writeData(at: 0, $0) }
        world.addFault(FaultRule(op: .rename, path: "/etc/**", trigger: .nth(3), effect: .error(.ioError)))
        return world
    }

    func listing(_ world: SimWorld) throws -> [String: String] {
        let fs = world.machine(for: world.spawn(name: "lister")).fileSystem
        var result: [String: String] = [:]
        func walk(_ directory: String) throws {
            for entry in try fs.readdir(directory) {
                let path = (directory == "/" ? "" : directory) + "/" + entry.name
                if path == "/proc" { continue }
                switch entry.kind {
                case .directory: result[path] = "dir"; try walk(path)
                case .symbolicLink: result[path] = "-> " + (try fs.readlink(path))
                default: result[path] = try fs.text(path)
                }
            }
        }
        try walk("/")
        return result
    }

    func testSnapshotRestoreInMemory() throws {
        let world = try populatedWorld()
        let before = try listing(world)
        let snapshot = world.snapshot()
        let fs = world.machine(for: world.spawn(name: "vandal")).fileSystem
        try fs.unlink("/etc/pending")
        try fs.write("/etc/new", "x")
        world.reboot()
        world.restore(snapshot)
        XCTAssertEqual(try listing(world), before)
        // Pending state came back too: a power loss can still drop the unsynced file.
        var sawDropped = false
        for seed in 0..<20 as Range<UInt64> {
            world.restore(snapshot)
            world.powerLoss(seed: seed)
            if try !world.machine(for: world.spawn(name: "check")).fileSystem.exists("/etc/pending") { sawDropped = true }
        }
        XCTAssertTrue(sawDropped)
    }

    func testSerializeRoundTrip() throws {
        let world = try populatedWorld()
        let bytes = world.serialized()
        let loaded = try SimWorld(serialized: bytes)
        XCTAssertEqual(loaded.serialized(), bytes)
        XCTAssertEqual(loaded.seed, world.seed)
        XCTAssertEqual(loaded.bootID, world.bootID)
        XCTAssertEqual(loaded.commandLine, "rd.luks=0")
        XCTAssertEqual(loaded.traceHash, world.traceHash)
        XCTAssertEqual(loaded.opLog, world.opLog)
        XCTAssertEqual(loaded.faults, world.faults)
        XCTAssertEqual(try listing(loaded), try listing(world))
        // The segment survives with its data; the mutex its owner held comes back owner-dead.
        let m = loaded.machine(for: loaded.spawn(name: "user"))
        let segment = try m.mutexes.open("/dev/shm/locks")
        var byte: [UInt8] = [0]
        try byte.withUnsafeMutableBytes { try segment.readData(at: 0, into: $0) }
        XCTAssertEqual(byte, [9])
        XCTAssertEqual(try segment.lock(0), .acquired)
        XCTAssertEqual(try segment.lock(1), .ownerDied)
        // Both worlds go on identically.
        let a = world.powerLoss(seed: 5)
        let b = loaded.powerLoss(seed: 5)
        XCTAssertEqual(a, b)
        XCTAssertEqual(try listing(loaded), try listing(world))
    }

    func testSerializeRoundTripKeepsDevicesHolesAndOwners() throws {
        let (world, m) = makeWorld(seed: 4)
        let fs = m.fileSystem
        try fs.mknod("/etc/null", kind: .characterDevice, permissions: FilePermissions(rawValue: 0o666), device: 0x0103)
        try fs.write("/etc/sparse", "head", sync: true)
        try fs.truncate("/etc/sparse", to: 1 << 40)
        let fd = try fs.open("/etc/sparse", .write)
        try fs.fsync(fd)
        try fs.close(fd)
        try fs.truncate("/etc/sparse", to: 1 << 41)  // pending: a power loss falls back to 1 TiB
        try fs.lchown("/etc/null", uid: 7, gid: 8)
        try fs.fsyncDirectory("/etc")
        let loaded = try SimWorld(serialized: world.serialized())
        XCTAssertEqual(loaded.serialized(), world.serialized())
        let view = loaded.machine(for: loaded.spawn(name: "check")).fileSystem
        let device = try view.lstat("/etc/null")
        XCTAssertEqual(device.kind, .characterDevice)
        XCTAssertEqual(device.specialDevice, 0x0103)
        XCTAssertEqual(device.uid, 7)
        XCTAssertEqual(device.gid, 8)
        XCTAssertEqual(try view.stat("/etc/sparse").size, 1 << 41)
        _ = loaded.powerLoss(seed: 1)
        let after = loaded.machine(for: loaded.spawn(name: "after")).fileSystem
        let size = try after.stat("/etc/sparse").size
        XCTAssertTrue(size == 1 << 40 || size == 1 << 41, "\(size)")
        let read = try after.open("/etc/sparse", .read)
        var bytes = [UInt8](repeating: 1, count: 8)
        _ = try bytes.withUnsafeMutableBytes { try after.pread(read, into: $0, at: 0) }
        XCTAssertEqual(bytes, Array("head".utf8) + [0, 0, 0, 0])
        try after.close(read)
    }

    func testGarbageIsRejected() {
        XCTAssertThrowsError(try SimWorld(serialized: Array("not a world".utf8)))
        let bytes = SimWorld(seed: 1).serialized()
        XCTAssertThrowsError(try SimWorld(serialized: Array(bytes.dropLast())))
    }
}
