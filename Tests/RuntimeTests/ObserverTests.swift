import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// `RuntimeOptions.observer`: every create once committed, every removal before its row goes, forced
/// removals' containers included; a refused removal reports nothing.
final class ObserverTests: XCTestCase {
    final class Recorder: @unchecked Sendable {
        var changes: [ObjectChange] = []
    }

    func testForcedRemovalsReportWhatTheyTake() throws {
        let scratch = try ScratchMachine()
        let recorder = Recorder()
        var options = RuntimeOptions(config: scratch.config())
        options.observer = { recorder.changes.append($0) }
        let runtime = try Runtime(machine: scratch.machine, options: options)
        _ = try runtime.createVolume(name: "data")
        _ = try runtime.createPod(name: "web")
        _ = try runtime.createContainer(name: "app", volumes: [VolumeMount(volume: "data", destination: "/d")], rootfs: "/r")
        _ = try runtime.createContainer(name: "api", pod: "web", rootfs: "/r")
        _ = try runtime.createContainer(name: "db", rootfs: "/r")
        XCTAssertEqual(recorder.changes, [.created(.volume, name: "data"), .created(.pod, name: "web"),
                                          .created(.container, name: "app"), .created(.container, name: "api"),
                                          .created(.container, name: "db")])
        recorder.changes = []
        XCTAssertThrowsError(try runtime.removeVolume("data"))
        XCTAssertThrowsError(try runtime.removePod("web"))
        XCTAssertThrowsError(try runtime.createContainer(name: "db", rootfs: "/r"))
        XCTAssertEqual(recorder.changes, [], "refused: nothing created or removed")
        try runtime.removeVolume("data", force: true)
        try runtime.removePod("web", force: true)
        XCTAssertEqual(recorder.changes, [.removing(.container, name: "app"), .removing(.volume, name: "data"),
                                          .removing(.container, name: "api"), .removing(.pod, name: "web")])
        XCTAssertEqual(try runtime.containers().map(\.name), ["db"])
    }
}
