import XCTest
@testable import Core
@testable import Podrt
import SimFS

/// The static dir's entries are made durable once per store (`Runtime.makeStaticDirDurable`): the first
/// command fsyncs the parent of each directory on the path and records the chain; later ones find it recorded
/// and fsync nothing; a replaced directory on the path is synced again.
final class DurableDirectoriesTests: XCTestCase {
    /// Opens podrt once in `world` (one command's start); the directories it fsynced, in order.
    func directoriesSynced(by world: SimWorld) throws -> [String] {
        let start = world.opLog.count
        _ = try Runtime(machine: try simulatedPodrtProcess(world), options: RuntimeOptions(config: RuntimeConfig()))
        return world.opLog.dropFirst(start).filter { $0.op == .fsync && $0.errno == 0 }.map(\.path)
            .filter { ["/", "/var", "/var/lib"].contains($0) }
    }

    func testTheChainIsSyncedOncePerStoreAndAgainWhenADirectoryIsReplaced() throws {
        let world = SimWorld(seed: 24)
        XCTAssertEqual(try directoriesSynced(by: world), ["/", "/var", "/var/lib"], "a new store")
        XCTAssertEqual(try directoriesSynced(by: world), [], "recorded: nothing to sync")
        XCTAssertEqual(try directoriesSynced(by: world), [])

        // The store moved aside and copied back: /var/lib/podrt is a new directory, its entry not yet durable.
        let fs = try simulatedPodrtProcess(world).fileSystem
        try fs.rename("/var/lib/podrt", to: "/var/lib/podrt.old")
        try fs.makeDirectories("/var/lib/podrt", permissions: FilePermissions(rawValue: 0o700))
        let bytes = try fs.readFile("/var/lib/podrt.old/podrt.db")
        let fd = try fs.open("/var/lib/podrt/podrt.db", [.write, .create], permissions: FilePermissions(rawValue: 0o600))
        _ = try bytes.withUnsafeBytes { try fs.write(fd, $0) }
        try fs.close(fd)
        XCTAssertEqual(try directoriesSynced(by: world), ["/", "/var", "/var/lib"], "another chain")
        XCTAssertEqual(try directoriesSynced(by: world), [])
    }

    /// A record that does not read (not text) is podrt's own bookkeeping: the command syncs and writes it again,
    /// where a strict read would fail every command of the store.
    func testARecordThatDoesNotReadIsWrittenAgain() throws {
        let world = SimWorld(seed: 25)
        XCTAssertEqual(try directoriesSynced(by: world), ["/", "/var", "/var/lib"])
        let runtime = try Runtime(machine: try simulatedPodrtProcess(world), options: RuntimeOptions(config: RuntimeConfig()))
        try runtime.store.database.query("UPDATE runtime_info SET value = x'00ff' WHERE key = ?",
                                         [.text(Runtime.durableDirectoriesKey)])
        XCTAssertEqual(try directoriesSynced(by: world), ["/", "/var", "/var/lib"], "synced again")
        XCTAssertEqual(try directoriesSynced(by: world), [], "and recorded")
    }
}
