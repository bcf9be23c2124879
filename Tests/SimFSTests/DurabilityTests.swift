import XCTest
@testable import SimFS

final class DurabilityTests: XCTestCase {
    let oldText = "old contents\n"
    let newText = String(repeating: "new contents, long enough to span several sectors. ", count: 40)

    /// /etc/conf durably holds `oldText`; then write-temp + fsync + rename, with or without the dir fsync.
    func replaceThenLosePower(seed: UInt64, directoryFsync: Bool) throws -> (world: SimWorld, text: String) {
        let (world, m) = makeWorld(seed: 42)
        let fs = m.fileSystem
        try fs.write("/etc/conf", oldText, sync: true)
        try fs.fsyncDirectory("/etc")
        try fs.write("/etc/conf.tmp", newText, sync: true)
        try fs.rename("/etc/conf.tmp", to: "/etc/conf")
        if directoryFsync { try fs.fsyncDirectory("/etc") }
        world.powerLoss(seed: seed)
        let after = world.machine(for: world.spawn(name: "after")).fileSystem
        return (world, try after.text("/etc/conf"))
    }

    func testRenameWithoutDirectoryFsyncGivesOldOrNewNeverTorn() throws {
        var sawOld = false
        var sawNew = false
        for seed in 0..<200 as Range<UInt64> {
            let text = try replaceThenLosePower(seed: seed, directoryFsync: false).text
            XCTAssertTrue(text == oldText || text == newText, "seed \(seed): torn file \(text.prefix(40))")
            if text == oldText { sawOld = true }
            if text == newText { sawNew = true }
        }
        XCTAssertTrue(sawOld, "no seed kept the old file")
        XCTAssertTrue(sawNew, "no seed kept the new file")
    }

    func testRenameWithDirectoryFsyncGivesNew() throws {
        for seed in 0..<100 as Range<UInt64> {
            XCTAssertEqual(try replaceThenLosePower(seed: seed, directoryFsync: true).text, newText, "seed \(seed)")
        }
    }

    func testSameSeedSameOutcome() throws {
        for seed in [3, 17, 99] as [UInt64] {
            let a = try replaceThenLosePower(seed: seed, directoryFsync: false)
            let b = try replaceThenLosePower(seed: seed, directoryFsync: false)
            XCTAssertEqual(a.text, b.text)
            XCTAssertEqual(a.world.traceHash, b.world.traceHash)
            XCTAssertEqual(a.world.serialized(), b.world.serialized())
        }
    }

    func testUnsyncedAppendsTearOnlyAtSectorBoundaries() throws {
        let head = [UInt8](repeating: 0x41, count: 100)
        let tail = (0..<2000).map { UInt8(0x61 + $0 % 26) }
        let full = head + tail
        var lengths: Set<Int> = []
        for seed in 0..<300 as Range<UInt64> {
            let (world, m) = makeWorld(seed: 5)
            let fs = m.fileSystem
            let fd = try fs.open("/var/log", [.write, .create, .append])
            try fs.writeAll(fd, head)
            try fs.fsync(fd)
            try fs.fsyncDirectory("/var")
            for chunk in stride(from: 0, to: tail.count, by: 300) {
                try fs.writeAll(fd, Array(tail[chunk..<min(chunk + 300, tail.count)]))
            }
            world.powerLoss(seed: seed)
            let after = try world.machine(for: world.spawn(name: "after")).fileSystem.readFile("/var/log")
            XCTAssertEqual(after, Array(full.prefix(after.count)), "seed \(seed): not a prefix")
            XCTAssertTrue(after.count == head.count || after.count == full.count || after.count % 512 == 0,
                          "seed \(seed): torn at \(after.count)")
            lengths.insert(after.count)
        }
        XCTAssertTrue(lengths.contains(head.count))
        XCTAssertTrue(lengths.contains(full.count))
        XCTAssertFalse(lengths.subtracting([head.count, full.count]).isEmpty, "no torn outcome seen")
    }

    func testOverwriteInPlaceTearsBySector() throws {
        let old = [UInt8](repeating: 0x11, count: 4096)
        let new = [UInt8](repeating: 0x22, count: 4096)
        var sawMixed = false
        for seed in 0..<100 as Range<UInt64> {
            let (world, m) = makeWorld(seed: 9)
            let fs = m.fileSystem
            let fd = try fs.open("/var/db", [.readWrite, .create])
            try fs.writeAll(fd, old)
            try fs.fsync(fd)
            try fs.fsyncDirectory("/var")
            _ = try new.withUnsafeBytes { try fs.pwrite(fd, $0, at: 0) }
            world.powerLoss(seed: seed)
            let after = try world.machine(for: world.spawn(name: "after")).fileSystem.readFile("/var/db")
            XCTAssertEqual(after.count, 4096)
            for sector in stride(from: 0, to: 4096, by: 512) {
                let bytes = Set(after[sector..<sector + 512])
                XCTAssertEqual(bytes.count, 1, "seed \(seed): sector \(sector) is itself torn")
            }
            if Set(after).count == 2 { sawMixed = true }
        }
        XCTAssertTrue(sawMixed)
    }

    func testFsyncedFileWithoutDirectoryFsyncMayVanish() throws {
        var outcomes: Set<Bool> = []
        for seed in 0..<50 as Range<UInt64> {
            let (world, m) = makeWorld()
            try m.fileSystem.write("/etc/fresh", "synced data", sync: true)
            world.powerLoss(seed: seed)
            let fs = world.machine(for: world.spawn(name: "after")).fileSystem
            let exists = try fs.exists("/etc/fresh")
            if exists { XCTAssertEqual(try fs.text("/etc/fresh"), "synced data") }
            outcomes.insert(exists)
        }
        XCTAssertEqual(outcomes, [true, false])
    }

    func testDirectoryFsyncMakesNamesDurableButNotUnsyncedData() throws {
        var contents: Set<String> = []
        for seed in 0..<50 as Range<UInt64> {
            let (world, m) = makeWorld()
            try m.fileSystem.write("/etc/named", "unsynced")
            try m.fileSystem.fsyncDirectory("/etc")
            world.powerLoss(seed: seed)
            contents.insert(try world.machine(for: world.spawn(name: "after")).fileSystem.text("/etc/named"))
        }
        XCTAssertTrue(contents.isSubset(of: ["", "unsynced"]))
        XCTAssertEqual(contents, ["", "unsynced"])
    }

    func testFileInUnsyncedNewDirectoryVanishesWithIt() throws {
        for seed in 0..<50 as Range<UInt64> {
            let (world, m) = makeWorld()
            let fs = m.fileSystem
            try fs.mkdir("/var/new", permissions: FilePermissions(rawValue: 0o755))
            try fs.write("/var/new/f", "x", sync: true)
            try fs.fsyncDirectory("/var/new")
            world.powerLoss(seed: seed)
            let after = world.machine(for: world.spawn(name: "after")).fileSystem
            if try after.exists("/var/new") {
                XCTAssertEqual(try after.text("/var/new/f"), "x")
            }
        }
    }

    func testCleanRebootKeepsEverythingAndWipesTmpfs() throws {
        let (world, m) = makeWorld(commandLine: "one")
        let fs = m.fileSystem
        try fs.write("/etc/unsynced", "kept")
        for directory in ["/run", "/tmp", "/dev/shm"] {
            try fs.write(directory + "/file", "temporary")
            try fs.mkdir(directory + "/dir", permissions: FilePermissions(rawValue: 0o755))
        }
        let firstBoot = world.bootID
        world.reboot(commandLine: "two")
        XCTAssertNotEqual(world.bootID, firstBoot)
        XCTAssertEqual(world.bootCount, 2)
        XCTAssertThrowsError(try fs.stat("/etc")) { XCTAssertTrue($0 is ProcessKilled) }
        let after = world.machine(for: world.spawn(name: "after")).fileSystem
        XCTAssertEqual(try after.text("/etc/unsynced"), "kept")
        for directory in ["/run", "/tmp", "/dev/shm"] {
            XCTAssertEqual(try after.readdir(directory), [], directory)
        }
        XCTAssertEqual(try after.text("/proc/cmdline"), "two\n")
        XCTAssertEqual(try after.text("/proc/sys/kernel/random/boot_id"), world.bootID + "\n")
    }

    func testEveryBootHasNewBootIDAndEmptyTmpfs() throws {
        let (world, _) = makeWorld()
        var seen: Set<String> = [world.bootID]
        for round in 0..<20 {
            let fs = world.machine(for: world.spawn(name: "round")).fileSystem
            try fs.write("/run/marker", "x")
            try fs.write("/dev/shm/segment", "x")
            if round % 2 == 0 { world.reboot() } else { world.powerLoss(seed: UInt64(round)) }
            XCTAssertTrue(seen.insert(world.bootID).inserted)
            let after = world.machine(for: world.spawn(name: "check")).fileSystem
            XCTAssertFalse(try after.exists("/run/marker"))
            XCTAssertFalse(try after.exists("/dev/shm/segment"))
        }
    }

    func testBootIDsDependOnSeedOnly() {
        XCTAssertEqual(SimWorld(seed: 11).bootID, SimWorld(seed: 11).bootID)
        XCTAssertNotEqual(SimWorld(seed: 11).bootID, SimWorld(seed: 12).bootID)
    }
}
