import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// Refresh cost at scale: one transaction plus one bitmap reservation per object, so linear in N.
final class RefreshScaleTests: XCTestCase {
    /// Inserts containers, pods and volumes in one transaction (creating 10,000 one by one costs an fsync each).
    func populate(_ runtime: Runtime, containers: Int, pods: Int, volumes: Int) throws {
        try runtime.store.transaction {
            for index in 0..<volumes {
                try runtime.store.insert(Volume(name: "v\(index)", lockID: try runtime.locks.allocate(), created: 0))
            }
            for index in 0..<pods {
                try runtime.store.insert(Pod(id: "pod\(index)", name: "p\(index)", lockID: try runtime.locks.allocate(),
                                             created: 0))
            }
            for index in 0..<containers {
                var container = Container(id: "ctr\(index)", name: "c\(index)", lockID: try runtime.locks.allocate(),
                                          podID: nil, created: Int64(index), rootfs: "/r", command: ["/bin/true"],
                                          volumes: [VolumeMount(volume: "v0", destination: "/d")], runtime: "runc")
                container.state = index % 2 == 0 ? .running : .created
                container.pid = Int32(1000 + index)
                try runtime.store.insert(container)
            }
        }
    }

    func timedRefresh(objects: Int, scratch: ScratchMachine) throws -> Double {
        let config = scratch.config(numLocks: 16384)
        try populate(try scratch.open(config), containers: objects * 9 / 10, pods: objects * 3 / 100,
                     volumes: objects - objects * 9 / 10 - objects * 3 / 100)
        try scratch.reboot()
        let start = DispatchTime.now().uptimeNanoseconds
        let runtime = try scratch.open(config)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        XCTAssertEqual(runtime.startup, .refreshed)
        XCTAssertEqual(try runtime.locks.allocated().count, objects)
        XCTAssertTrue(try runtime.lockReport().isClean)
        XCTAssertEqual(try runtime.containers(all: false), [], "every running container became exited")
        return elapsed
    }

    func testRefreshOfTenThousandObjects() throws {
        let small = try timedRefresh(objects: 1000, scratch: ScratchMachine())
        let large = try timedRefresh(objects: 10000, scratch: ScratchMachine())
        print("refresh (open + refresh) of 1,000 objects: \(Int(small * 1000)) ms; of 10,000: \(Int(large * 1000)) ms")
        // Generous bounds: this also runs in debug builds on a shared machine.
        XCTAssertLessThan(large, 2.0)
    }
}
