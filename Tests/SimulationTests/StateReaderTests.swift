import Core
import Podrt
import SimFS
@testable import Simulation
import XCTest

/// I4 reads refresh events from the raw log; a torn event shares its line with the next append.
final class StateReaderTests: XCTestCase {
    func testRefreshBootsAreFoundInWholeAndTornLines() {
        let log = """
        {"time":"1","type":"system","status":"refresh","bootID":"boot-a"}
        {"time":"2","type":"container","status":"create","name":"c1"}
        {"time":"3","type":"system","status":"ref{"time":"4","type":"system","status":"refresh","bootID":"boot-b"}
        {"time":"5","type":"system","status":"renumber","bootID":"boot-b"}
        {"time":"6","type":"container","status":"refresh","bootID":"boot-x"}
        {"time":"7","type":"system","status":"refresh","bootID":"boot-c
        """
        XCTAssertEqual(StateReader.refreshBoots(in: Array(log.utf8)), ["boot-a", "boot-b", "boot-c"])
        XCTAssertEqual(StateReader.refreshBoots(in: []), [])
        XCTAssertEqual(StateReader.refreshBoots(in: Array("\n\n{\"time\"".utf8)), [])
    }

    /// A podrt process on `world`, with stand-ins for runc and conmon on its disk.
    func podrtMachine(_ world: SimWorld) throws -> Machine {
        let machine = world.machine(for: world.spawn(name: "podrt"))
        try machine.fileSystem.makeDirectories("/usr/bin", permissions: FilePermissions(rawValue: 0o755))
        for tool in ["/usr/bin/runc", "/usr/bin/conmon"] {
            let fd = try machine.fileSystem.open(tool, [.write, .create], permissions: FilePermissions(rawValue: 0o755))
            try machine.fileSystem.close(fd)
        }
        return machine
    }

    /// podrt's options in the simulation: the database through the FileSystem VFS.
    func podrtOptions() -> RuntimeOptions {
        RuntimeOptions(config: RuntimeConfig())
    }

    /// A remembered reading answers only while the database file has the same bytes; after a change the
    /// database is read again and the new object is there.
    func testARememberedReadingIsUsedOnlyWhileTheBytesAreTheSame() throws {
        let world = SimWorld(seed: 3)
        let machine = try podrtMachine(world)
        try machine.fileSystem.makeDirectories("/var/lib/rootfs", permissions: FilePermissions(rawValue: 0o755))
        let options = podrtOptions()
        func create(_ name: String) throws {
            _ = try Runtime(machine: machine, options: options).createContainer(name: name, rootfs: "/var/lib/rootfs")
        }
        try create("first")
        let harness = world.machine(for: world.spawn(name: "harness"))
        var reader = StateReader(machine: harness, config: options.config)
        _ = reader.read(bootID: world.bootID)
        let first = try XCTUnwrap(reader.reading)
        XCTAssertEqual(first.objects?.map(\.name), ["first"])

        // The same bytes: the remembered objects come back, even when they are not what the file says.
        var stale = first
        stale.objects = [MachineState.Object(kind: "container", name: "remembered", lockID: 0, state: "", pid: 0)]
        var again = StateReader(machine: harness, config: options.config)
        again.remembered = stale
        XCTAssertEqual(again.read(bootID: world.bootID).objects?.map(\.name), ["remembered"])

        // Changed bytes: read again.
        try create("second")
        var after = StateReader(machine: harness, config: options.config)
        after.remembered = stale
        XCTAssertEqual(after.read(bootID: world.bootID).objects?.map(\.name).sorted(), ["first", "second"])
        XCTAssertNotEqual(after.reading?.bytes, first.bytes)
    }

    /// The kept connection answers as a new one: after a good reading, an image whose page 1 is identical
    /// (same change counter) but whose other pages are garbage is found broken, not served from a cache; a
    /// changed schema is parsed again.
    func testAKeptImageConnectionAnswersAsANewOne() throws {
        let world = SimWorld(seed: 5)
        let machine = try podrtMachine(world)
        let options = podrtOptions()
        let path = options.config.databasePath
        _ = try Runtime(machine: machine, options: options).createContainer(name: "first", rootfs: "/")
        let one = try machine.fileSystem.readFile(path)
        _ = try Runtime(machine: machine, options: options).createVolume(name: "second")
        let two = try machine.fileSystem.readFile(path)
        XCTAssertNotNil(DatabaseImageReader.schemaKey(one))
        XCTAssertEqual(DatabaseImageReader.schemaKey(one), DatabaseImageReader.schemaKey(two))

        var garbage = two
        for index in 4096..<garbage.count { garbage[index] = 0xA5 }
        var changedSchema = two
        changedSchema[40] &+= 1  // the schema cookie

        let kept = DatabaseImageReader()
        for image in [one, two, garbage, two, changedSchema, one] {
            let fresh = DatabaseImageReader().objects(in: image)
            let answer = kept.objects(in: image)
            XCTAssertEqual(answer.0, fresh.0)
            XCTAssertEqual(answer.1, fresh.1)
        }
        XCTAssertEqual(kept.objects(in: one).0?.map(\.name), ["first"])
        XCTAssertEqual(kept.objects(in: two).0?.map(\.name).sorted(), ["first", "second"])
        let broken = kept.objects(in: garbage)
        XCTAssertNil(broken.0)
        XCTAssertNotNil(broken.1)
        XCTAssertNil(DatabaseImageReader.schemaKey(Array(two[0..<100])))
    }

    /// A pair of images read before is answered from the reader's memo, as SQLite answered it the first
    /// time; a pair that differs in either image (the same file with another WAL) is read again.
    func testARepeatedReadingIsAnsweredFromTheMemoAsSQLiteAnsweredIt() throws {
        let world = SimWorld(seed: 9)
        let machine = try podrtMachine(world)
        let options = podrtOptions()
        let path = options.config.databasePath
        let writer = try Runtime(machine: machine, options: options)  // kept open: the commits stay in the WAL
        _ = try writer.createVolume(name: "first")
        let db = try machine.fileSystem.readFile(path)
        let afterFirst = try machine.fileSystem.readFile(path + "-wal")
        _ = try writer.createVolume(name: "second")
        let wal = try machine.fileSystem.readFile(path + "-wal")
        var garbage = db
        for index in 100..<200 { garbage[index] = 0xA5 }  // page 1's b-tree header and cell pointers

        let reader = DatabaseImageReader()
        reader.memoLimit = DatabaseImageReader.exploreMemoLimit
        let pairs = [(db, afterFirst), (db, wal), (db, []), (garbage, []), (db, wal), (db, afterFirst), (garbage, []), (db, [])]
        for (index, (image, log)) in pairs.enumerated() {
            let hitsBefore = reader.memoHits
            let answer = reader.objects(in: image, wal: log)
            let fresh = DatabaseImageReader().objects(in: image, wal: log)
            XCTAssertEqual(answer.0, fresh.0, "pair \(index)")
            XCTAssertEqual(answer.1, fresh.1, "pair \(index)")
            XCTAssertEqual(reader.memoHits - hitsBefore, index < 4 ? 0 : 1, "pair \(index): read before from the memo")
        }
        XCTAssertEqual(reader.objects(in: db, wal: wal).0?.map(\.name).sorted(), ["first", "second"])
        XCTAssertEqual(reader.objects(in: db, wal: afterFirst).0?.map(\.name), ["first"])
        XCTAssertNil(reader.objects(in: garbage).0)
    }

    /// With WAL the committed state may lie in `podrt.db-wal`: a process that has not closed its connection
    /// (a crash) leaves its commits there, and the checker reads them; a torn or damaged last frame, or
    /// frames past the last commit, are not committed state, and the checker does not read them.
    func testTheCheckerReadsTheWALsCommittedFramesOnly() throws {
        let world = SimWorld(seed: 7)
        let machine = try podrtMachine(world)
        let options = podrtOptions()
        let path = options.config.databasePath
        let writer = try Runtime(machine: machine, options: options)  // kept open: no checkpoint at close
        _ = try writer.createVolume(name: "first")
        let afterFirst = try machine.fileSystem.readFile(path + "-wal")
        _ = try writer.createVolume(name: "second")
        let db = try machine.fileSystem.readFile(path)
        let wal = try machine.fileSystem.readFile(path + "-wal")
        XCTAssertGreaterThan(wal.count, afterFirst.count)

        let harness = world.machine(for: world.spawn(name: "harness"))
        var reader = StateReader(machine: harness, config: options.config)
        XCTAssertEqual(reader.read(bootID: world.bootID).objects?.map(\.name).sorted(), ["first", "second"])
        XCTAssertEqual(reader.reading?.wal, wal)
        // The database file alone lacks them: they are only in the WAL.
        XCTAssertEqual(DatabaseImageReader().objects(in: db).0?.map(\.name) ?? [], [])

        let images = DatabaseImageReader.forThisThread
        XCTAssertEqual(images.objects(in: db, wal: afterFirst).0?.map(\.name), ["first"])
        var torn = wal
        torn.removeLast(100)  // the last commit frame cut short
        XCTAssertEqual(images.objects(in: db, wal: torn).0?.map(\.name), ["first"])
        var damaged = wal
        damaged[wal.count - 10] ^= 0xFF  // its checksum no longer matches
        XCTAssertEqual(images.objects(in: db, wal: damaged).0?.map(\.name), ["first"])
        XCTAssertEqual(images.objects(in: db, wal: wal).0?.map(\.name).sorted(), ["first", "second"])
        // A WAL whose header is torn holds nothing.
        var headless = wal
        headless[0] ^= 0xFF
        XCTAssertNotEqual(images.objects(in: db, wal: headless).0?.map(\.name) ?? [], ["first", "second"])
        withExtendedLifetime(writer) {}
    }
}
