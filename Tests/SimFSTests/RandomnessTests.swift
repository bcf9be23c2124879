import XCTest
@testable import SimFS

/// One PRNG, one bounded draw, one root of seeds per run; one errno table; one fault engine and op-log
/// record for the world and its FUSE server.
final class RandomnessTests: XCTestCase {
    /// Gives fixed values, then zeros.
    struct Scripted: RandomNumberGenerator {
        var values: [UInt64]
        mutating func next() -> UInt64 { values.isEmpty ? 0 : values.removeFirst() }
    }

    func testOutputReadsAheadWithoutDrawing() {
        var stream = SplitMix64(seed: 99)
        let ahead = (0..<5).map { stream.output($0) }
        XCTAssertEqual((0..<5).map { _ in stream.next() }, ahead)
        XCTAssertEqual(SplitMix64(seed: 99).output(4), ahead[4])
    }

    /// The documented order of `RunSeeds`: changing it changes every run's streams.
    func testRunSeedsAreTheRootStreamInOrder() {
        for seed: UInt64 in [0, 1, 0xdead_beef] {
            let root = SplitMix64(seed: seed)
            let seeds = RunSeeds(seed)
            XCTAssertEqual([seeds.boot, seeds.clock, seeds.listing, seeds.faults, seeds.powerLoss, seeds.processes,
                            seeds.scheduler, seeds.mountFaults, seeds.swarm], (0..<9).map { root.output($0) })
        }
        XCTAssertEqual(SimWorld(seed: 5).seeds, RunSeeds(5))
    }

    /// The bounded draw rejects a value at or above the largest multiple of the bound instead of folding
    /// it (the `% n` of the old scheduler draw), and is uniform.
    func testBoundedDrawRejectsTheTopAndIsUniform() {
        // 2^64 = 3k + 1: UInt64.max alone lies in the incomplete top block for bound 3, and is drawn again.
        var scripted = Scripted(values: [UInt64.max, 5])
        XCTAssertEqual(scripted.next(below: 3), 2)
        XCTAssertTrue(scripted.values.isEmpty)
        var kept = Scripted(values: [UInt64.max - 3, 5])
        XCTAssertEqual(kept.next(below: 3), 0)
        XCTAssertEqual(kept.values, [5])

        var random = SplitMix64(seed: 7)
        var counts = [0, 0, 0, 0, 0, 0, 0]
        for _ in 0..<70_000 { counts[random.below(7)] += 1 }
        for count in counts { XCTAssertEqual(Double(count), 10_000, accuracy: 500) }
        XCTAssertFalse(random.chance(0))
        XCTAssertTrue(random.chance(1))
    }

    /// A process's stream is `RunSeeds.process(boot:pid:)`: the same for the same boot and pid, else not.
    func testProcessStreamsComeFromBootAndPid() {
        let world = SimWorld(seed: 12)
        let first = world.spawn(name: "a")
        let second = world.spawn(name: "b")
        let a = world.machine(for: first).random.next()
        let b = world.machine(for: second).random.next()
        XCTAssertEqual(a, SplitMix64(seed: world.seeds.process(boot: 1, pid: first)).output(0))
        XCTAssertNotEqual(a, b)
        world.reboot()
        let again = world.spawn(name: "a")
        XCTAssertEqual(again, first)
        XCTAssertNotEqual(world.machine(for: again).random.next(), a, "a new boot gives new streams")
    }

    func testBootIDsAndPowerLossSeedsComeFromTheRoot() {
        let world = SimWorld(seed: 3)
        let (high, low) = world.seeds.bootID(1)
        XCTAssertEqual(world.bootID, SimWorld.formatUUID(high, low))
        XCTAssertEqual(world.seeds.powerLossSeed(4), SplitMix64(seed: world.seeds.powerLoss).output(4))
        XCTAssertNotEqual(world.seeds.powerLossSeed(4), world.seeds.powerLossSeed(5))
    }

    func testErrnoNamesParseAndPrint() {
        for name in ["EPERM", "ENOENT", "EIO", "EACCES", "EEXIST", "ENOSPC", "EROFS", "EDQUOT", "ESTALE", "ENOTEMPTY"] {
            XCTAssertEqual(Errno(name: name)?.name, name)
        }
        XCTAssertEqual(Errno(name: "enospc"), .noSpace)
        XCTAssertEqual(Errno(name: "28"), .noSpace)
        XCTAssertNil(Errno(name: "EWHAT"))
        XCTAssertNil(Errno(name: "0"))
        XCTAssertEqual(Errno(rawValue: 4242).name, "errno 4242")
        XCTAssertTrue(Errno.knownNames.contains("EROFS"))
    }

    /// The FUSE server's rules: SimFS's engine and glob, requests named by `SimOp`, its own seeded stream.
    func testFaultRulesServeMountRequests() {
        var rules = FaultRules(seed: 1)
        let pid = ProcessID(rawValue: 4000)
        rules.add(FaultRule(op: .lookup, path: "/etc/*", trigger: .always, effect: .error(.permissionDenied)))
        rules.add(FaultRule(op: .mkdir, path: "/tmp/**", trigger: .nth(2), effect: .error(.ioError)))
        XCTAssertEqual(rules.apply(.lookup, pid: pid, "/etc/x", "").errno, .permissionDenied)
        XCTAssertNil(rules.apply(.lookup, pid: pid, "/etc/d/x", "").errno, "* stays within a component")
        XCTAssertNil(rules.apply(.getattr, pid: pid, "/etc/x", "").errno)
        XCTAssertNil(rules.apply(.mkdir, pid: pid, "/tmp/a", "").errno)
        XCTAssertEqual(rules.apply(.mkdir, pid: pid, "/tmp/a/b", "").errno, .ioError)
        XCTAssertNil(rules.apply(.mkdir, pid: pid, "/tmp/c", "").errno)
        XCTAssertEqual(rules.active.map(\.description), ["lookup /etc/* EACCES always matched=1 fired=1",
                                                         "mkdir /tmp/** EIO nth=2 matched=3 fired=1"])
        XCTAssertTrue(SimOp.lookup.isMountRequest)
        XCTAssertFalse(SimOp.rename.isMountRequest)
        XCTAssertFalse(SimOp.lockRange.isMountRequest)

        func pattern(_ seed: UInt64) -> [Bool] {
            var rules = FaultRules(seed: seed)
            rules.add(FaultRule(op: nil, trigger: .probability(0.5), effect: .error(.ioError)))
            return (0..<64).map { _ in rules.apply(.write, pid: pid, "/var/f", "").errno != nil }
        }
        XCTAssertEqual(pattern(RunSeeds(8).mountFaults), pattern(RunSeeds(8).mountFaults))
        XCTAssertNotEqual(pattern(RunSeeds(8).mountFaults), pattern(RunSeeds(9).mountFaults))
    }

    /// One record type for both logs, one line format, errno by name.
    func testOpLogEntryLine() {
        var log = OpLog(capacity: 4)
        for index in 0..<6 {
            log.append(OpLogEntry(pid: ProcessID(rawValue: 77), processName: "cat", op: index == 5 ? .rename : .read,
                                  path: "/a", path2: index == 5 ? "/b" : "", errno: index == 5 ? Errno.ioError.rawValue : 0))
        }
        XCTAssertEqual(log.count, 6)
        XCTAssertEqual(log.records.map(\.sequence), [2, 3, 4, 5])
        XCTAssertEqual(log.records.first?.description, "#2 pid=77 cat read /a = 0")
        XCTAssertEqual(log.records.last?.description, "#5 pid=77 cat rename /a -> /b = EIO")
    }

    /// A snapshot made under another seed (a scenario's prefix) hands each restoring world its own fault
    /// stream; a world restoring its own snapshot continues the snapshot's.
    func testRestoredPrefixDrawsThisSeedsFaults() throws {
        let prefix = SimWorld(seed: 0)
        prefix.addFault(FaultRule(op: .stat, path: "/etc", trigger: .probability(0.5), effect: .error(.ioError)))
        let snapshot = prefix.snapshot()
        func pattern(_ world: SimWorld) -> [Bool] {
            let fs = world.machine(for: world.spawn(name: "p")).fileSystem
            return (0..<48).map { _ in (try? fs.stat("/etc")) == nil }
        }
        func restored(_ seed: UInt64) -> [Bool] {
            let world = SimWorld(seed: seed)
            world.restore(snapshot)
            return pattern(world)
        }
        XCTAssertEqual(restored(1), restored(1))
        XCTAssertNotEqual(restored(1), restored(2))
        let first = pattern(prefix)
        prefix.restore(snapshot)
        XCTAssertEqual(pattern(prefix), first)
    }
}
