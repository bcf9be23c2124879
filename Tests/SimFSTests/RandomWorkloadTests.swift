import XCTest
@testable import SimFS

/// Random namespace and data calls, fsyncs, reboots and power losses; the bookkeeping must stay consistent
/// and the same seed must give the same world.
final class RandomWorkloadTests: XCTestCase {
    func run(seed: UInt64, steps: Int) -> SimWorld {
        let world = SimWorld(seed: seed)
        var random = SplitMix64(seed: seed)
        var fs = world.machine(for: world.spawn(name: "fuzz")).fileSystem
        let directories = ["/var", "/var/a", "/var/a/b", "/var/c", "/tmp", "/tmp/d", "/run"]
        let names = ["f", "g", "h", "a", "b", "c", "d"]
        var open: [Descriptor] = []
        func pick<T>(_ items: [T]) -> T { items[Int(random.next(below: UInt64(items.count)))] }
        func path() -> String { pick(directories) + "/" + pick(names) }
        /// Often a sibling of `path`, so that renames and links find something.
        func near(_ path: String) -> String {
            guard random.chance(0.6), let slash = path.lastIndex(of: "/") else { return self.pathIn(directories, names, &random) }
            return String(path[..<slash]) + "/" + pick(names)
        }
        for _ in 0..<steps {
            let mode = FilePermissions(rawValue: 0o755)
            do {
                switch random.next(below: 16) {
                case 0: try fs.mkdir(random.chance(0.5) ? pick(directories) : path(), permissions: mode)
                case 1: try fs.rmdir(random.chance(0.3) ? pick(directories) : path())
                case 2: try fs.unlink(path())
                case 3:
                    let source = path()
                    try fs.rename(source, to: near(source), noReplace: random.chance(0.3))
                case 4:
                    let source = path()
                    try fs.link(source, at: near(source))
                case 5: try fs.symlink(path(), at: path())
                case 6: open.append(try fs.open(path(), [.readWrite, .create]))
                case 7:
                    if let fd = open.randomElement(using: &random) {
                        let bytes = [UInt8](repeating: UInt8(random.next(below: 256)), count: Int(random.next(below: 1500)))
                        _ = try bytes.withUnsafeBytes { try fs.pwrite(fd, $0, at: Int64(random.next(below: 2000))) }
                    }
                case 8: if let fd = open.randomElement(using: &random) { try fs.fsync(fd) }
                case 9: try fs.fsyncDirectory(pick(directories))
                case 10: if !open.isEmpty { try fs.close(open.remove(at: Int(random.next(below: UInt64(open.count))))) }
                case 11: try fs.truncate(path(), to: Int64(random.next(below: 3000)))
                case 12: _ = try fs.readdir(pick(directories))
                case 13: _ = try fs.readFile(path())
                case 14:
                    if random.chance(0.3) {
                        if random.chance(0.5) { world.reboot() } else { world.powerLoss(seed: random.next()) }
                        fs = world.machine(for: world.spawn(name: "fuzz")).fileSystem
                        open = []
                    }
                default: _ = try fs.stat(path())
                }
            } catch is Errno {
            } catch {
                XCTFail("seed \(seed): \(error)")
            }
        }
        return world
    }

    func pathIn(_ directories: [String], _ names: [String], _ random: inout SplitMix64) -> String {
        directories[Int(random.next(below: UInt64(directories.count)))] + "/"
            + names[Int(random.next(below: UInt64(names.count)))]
    }

    func testBookkeepingStaysConsistent() throws {
        var succeeded: Set<SimOp> = []
        for seed in 0..<60 as Range<UInt64> {
            let world = run(seed: seed, steps: 400)
            succeeded.formUnion(world.opLog.filter { $0.errno == 0 }.map(\.op))
            XCTAssertEqual(world.consistencyProblems(), [], "seed \(seed)")
            world.powerLoss(seed: seed)
            XCTAssertEqual(world.consistencyProblems(), [], "seed \(seed) after power loss")
            let bytes = world.serialized()
            let loaded = try SimWorld(serialized: bytes)
            XCTAssertEqual(loaded.serialized(), bytes, "seed \(seed)")
            XCTAssertEqual(loaded.consistencyProblems(), [], "seed \(seed) loaded")
        }
        // The workload must do real work, not only fail.
        XCTAssertTrue(succeeded.isSuperset(of: [.mkdir, .rmdir, .unlink, .rename, .link, .symlink, .write, .fsync,
                                                .truncate, .readdir, .reboot, .powerLoss]), "\(succeeded)")
    }

    func testSameSeedSameWorld() {
        let a = run(seed: 1234, steps: 1000)
        let b = run(seed: 1234, steps: 1000)
        XCTAssertEqual(a.traceHash, b.traceHash)
        XCTAssertEqual(a.serialized(), b.serialized())
        XCTAssertNotEqual(a.traceHash, run(seed: 1235, steps: 500).traceHash)

    }
}
