import XCTest
@testable import Core
@testable import Podrt

final class ConfigTests: XCTestCase {
    func parse(_ text: String) throws -> RuntimeConfig {
        var config = RuntimeConfig()
        let file = "/etc/podrt/containers.conf"
        let setAt = try config.apply(try parseTOML(text, file: file), file: file)
        try config.checkRuntime(setAt: setAt)
        return config
    }

    func testDefaults() throws {
        let config = try parse("")
        XCTAssertEqual(config.numLocks, 2048)
        XCTAssertEqual(config.lockType, .shm)
        XCTAssertEqual(config.tmpDir, "/run/podrt")
        XCTAssertEqual(config.staticDir, "/var/lib/podrt")
        XCTAssertEqual(config.runtime, "runc")
        XCTAssertEqual(config.lockSegmentPath, "/dev/shm/podrt_lock_" + RuntimeConfig.storeHash("/var/lib/podrt"))
    }

    /// The segment's name derives from the store, so two stores never meet in one segment; `lock_path` sets it.
    func testLockSegmentDerivesFromTheStore() throws {
        let other = try parse("[engine]\nstatic_dir = \"/srv/store2\"\n")
        XCTAssertTrue(other.lockSegmentPath.hasPrefix("/dev/shm/podrt_lock_"))
        XCTAssertNotEqual(other.lockSegmentPath, try parse("").lockSegmentPath)
        XCTAssertEqual(RuntimeConfig.storeHash("a"), "af63dc4c8601ec8c", "FNV-1a 64")
        XCTAssertEqual(try parse("[engine]\nlock_path = \"/dev/shm/mine\"\n").lockSegmentPath, "/dev/shm/mine")
    }

    func testEngineTableAndRuntimes() throws {
        let config = try parse("""
            # a comment
            [engine]
            num_locks = 4096   # trailing comment
            lock_type = "file"
            tmp_dir = '/run/x'
            static_dir = "/var/lib/x"
            events_logfile_path = "/var/log/podrt.events"
            runtime = "kata"
            conmon_path = ["/opt/conmon",
                           "/usr/bin/conmon",]

            [engine.runtimes]
            kata = ["/opt/kata/bin/kata-runtime"]
            """)
        XCTAssertEqual(config.numLocks, 4096)
        XCTAssertEqual(config.lockType, .file)
        XCTAssertEqual(config.tmpDir, "/run/x")
        XCTAssertEqual(config.staticDir, "/var/lib/x")
        XCTAssertEqual(config.eventsLog, "/var/log/podrt.events")
        XCTAssertEqual(config.runtime, "kata")
        XCTAssertEqual(config.conmonPath, ["/opt/conmon", "/usr/bin/conmon"])
        XCTAssertEqual(config.runtimes["kata"], ["/opt/kata/bin/kata-runtime"])
        XCTAssertNotNil(config.runtimes["runc"])
    }

    func testBadValuesNameFileAndLine() {
        XCTAssertThrowsMessage(try parse("[engine]\nlock_type = \"sem\""),
                               "/etc/podrt/containers.conf:2: unknown lock type \"sem\"")
        XCTAssertThrowsMessage(try parse("[engine]\n\nnum_locks = 0"),
                               "/etc/podrt/containers.conf:3: num_locks must be between 1 and 1048576, not 0")
        XCTAssertThrowsMessage(try parse("[engine]\nnum_locks = 1048577"), "containers.conf:2: num_locks must be")
        XCTAssertThrowsMessage(try parse("[engine]\nruntime = \"nope\""),
                               "containers.conf:2: unknown default runtime \"nope\"")
        XCTAssertThrowsMessage(try parse("[engine]\nnum_locks = \"many\""),
                               "/etc/podrt/containers.conf:2: engine.num_locks must be an integer, not a string")
        XCTAssertThrowsMessage(try parse("[engine\n"),
                               "/etc/podrt/containers.conf:1:8: invalid TOML: expected ] to close the table header, found end of line")
        XCTAssertThrowsMessage(try parse("[engine]\ntmp_dir = \"/x"),
                               "/etc/podrt/containers.conf:2:14: invalid TOML: unterminated string (it began at column 11)")
    }

    func testOverridesWinAndAreChecked() throws {
        var overrides = ConfigOverrides()
        overrides.numLocks = 64
        overrides.lockType = "file"
        overrides.staticDir = "/s"
        overrides.tmpDir = "/t"
        var config = try parse("[engine]\nnum_locks = 4096")
        try config.apply(overrides)
        XCTAssertEqual(config.numLocks, 64)
        XCTAssertEqual(config.lockType, .file)
        XCTAssertEqual(config.staticDir, "/s")
        XCTAssertEqual(config.tmpDir, "/t")
        overrides.lockType = "flock"
        XCTAssertThrowsMessage(try config.apply(overrides), "unknown lock type \"flock\"")
        overrides.lockType = nil
        overrides.numLocks = 0
        XCTAssertThrowsMessage(try config.apply(overrides), "num_locks must be between 1 and 1048576")
    }

    func testJSONRoundTrip() throws {
        let value = JSON.object([("a", .string("q\"uo\\te\n\u{1}é")), ("n", .number(-42)), ("t", .bool(true)),
                                 ("z", .null), ("list", .array([.number(1), .object([])]))])
        XCTAssertEqual(try JSON.parse(value.serialized()), value)
        XCTAssertEqual(try JSON.parse(value.prettyPrinted()), value)
        XCTAssertEqual(try JSON.parse(#"{"s": "\u00e9\ud83d\ude00"}"#)["s"]?.stringValue, "é😀")
        XCTAssertThrowsError(try JSON.parse("{\"a\": }"))
    }

    func testTimestamps() {
        XCTAssertEqual(Timestamp.rfc3339(WallTime(seconds: 0)), "1970-01-01T00:00:00.000000000Z")
        XCTAssertEqual(Timestamp.rfc3339(WallTime(seconds: 1_795_576_071, nanoseconds: 5)),
                       "2026-11-25T03:07:51.000000005Z")
        let now = WallTime(seconds: 10_000)
        XCTAssertEqual(Timestamp.parseSince("2026-11-25T03:07:51Z", now: now), WallTime(seconds: 1_795_576_071))
        XCTAssertEqual(Timestamp.parseSince("1h2m", now: now), WallTime(seconds: 10_000 - 3720))
        XCTAssertEqual(Timestamp.parseSince("123", now: now), WallTime(seconds: 123))
        XCTAssertNil(Timestamp.parseSince("yesterday", now: now))
    }
}
