import Foundation
import XCTest
@testable import Core
@testable import Podrt

/// containers.conf as podman reads it: TOML 1.0 whatever podrt ignores, the keys podrt knows however they are
/// spelled, and the files in podman's order.
final class ConfigFileTests: XCTestCase {
    let file = "/etc/containers/containers.conf"

    func read(_ text: String) throws -> RuntimeConfig {
        var config = RuntimeConfig()
        let setAt = try config.apply(try parseTOML(text, file: file), file: file)
        try config.checkRuntime(setAt: setAt)
        return config
    }

    /// The issue's five silent misreads: each spelling of the same key is read.
    func testEverySpellingOfAKnownKeyIsRead() throws {
        for text in ["engine.num_locks = 64", "[\"engine\"]\nnum_locks = 64", "[engine]\n'num_locks' = 64",
                     "[engine]\n\"num_locks\" = 64", "engine = { num_locks = 64 }", "[ engine ]\nnum_locks = 0x40",
                     "[engine]\nnum_locks = 0o100", "[engine]\nnum_locks = 0b100_0000", "[engine]\nnum_locks = +6_4"] {
            XCTAssertEqual(try read(text).numLocks, 64, text)
        }
        for text in ["[engine.\"runtimes\"]\nfoo = [\"/x\"]", "[engine]\nruntimes.foo = [\"/x\"]",
                     "[engine]\nruntimes = { foo = [\"/x\"] }", "engine.runtimes.'foo' = ['/x']",
                     "[engine.runtimes]\nfoo = [\n  \"\"\"/x\"\"\", # a comment\n]"] {
            let config = try read(text)
            XCTAssertEqual(config.runtimes["foo"], ["/x"], text)
            XCTAssertNotNil(config.runtimes["runc"], "\(text): the built-in runtimes stay")
        }
    }

    /// The issue's refusals: every construct under keys and tables podrt does not read is accepted and ignored.
    func testUnknownKeysAndTablesAreIgnoredWhateverTheirSyntax() throws {
        let text = #"""
            [containers]
            annotations = { "run.oci.keep_original_groups" = "1" }
            label = """multi
            line"""
            env = ['''a''', "\u00e9\U0001F600\r\b\f"]
            [machine]
            cpus = 1.5
            memory = 0x800
            mask = 0o755
            bits = 0b1010
            when = 1979-05-27T07:32:00-07:00
            day = 1979-05-27
            [[engine.service_destinations.list]]
            uri = "ssh://x"
            [[engine.service_destinations.list]]
            uri = "ssh://y"
            [engine]
            num_locks = 128
            """#
        XCTAssertEqual(try read(text).numLocks, 128)
    }

    /// Invalid TOML anywhere is refused, naming the file, line and column, where it used to be misread.
    func testInvalidTOMLIsRefusedWithItsPosition() {
        XCTAssertThrowsMessage(try read("[engine]\nnum_locks = 64\nnum_locks = 128"),
                               "\(file):3:1: invalid TOML: num_locks is defined twice")
        XCTAssertThrowsMessage(try read("[engine]\n[engine]"),
                               "\(file):2:1: invalid TOML: table engine is defined twice (first at line 1)")
        XCTAssertThrowsMessage(try read("[engine]\nnum locks = 64"),
                               "\(file):2:5: invalid TOML: expected = after the key num, found 'l'")
        XCTAssertThrowsMessage(try read("[engine]\nnum_locks = 064"), "\(file):2:13: invalid TOML: invalid value 064")
        XCTAssertThrowsMessage(try read("[machine]\ncpus = 1.5.1\n[engine]\nnum_locks = 64"),
                               "\(file):2:8: invalid TOML: invalid value 1.5.1")
        XCTAssertThrowsMessage(try parseTOML(bytes: Array("a = \"é".utf8.dropLast()) + [0x22], file: file),
                               "\(file):1:6: invalid TOML: not valid UTF-8")
    }

    /// A known key of the wrong type: the file, the line and the key.
    func testAKnownKeyOfTheWrongTypeNamesFileLineAndKey() {
        let cases = [
            ("[engine]\nnum_locks = 64.0", "\(file):2: engine.num_locks must be an integer, not a float"),
            ("\n\nengine = 1", "\(file):3: engine must be a table, not an integer"),
            ("[engine]\nlock_type = ['shm']", "\(file):2: engine.lock_type must be a string, not an array"),
            ("[engine]\n\nruntimes = ['x']", "\(file):3: engine.runtimes must be a table, not an array"),
            ("[engine.runtimes]\nfoo = \"/x\"", "\(file):2: engine.runtimes.foo must be an array of strings, not a string"),
            ("[engine.runtimes]\n\"a b\" = [1]", "\(file):2: engine.runtimes.\"a b\" must be an array of strings; it holds an integer"),
            ("[engine]\nconmon_path = [true]", "\(file):2: engine.conmon_path must be an array of strings; it holds a boolean"),
            ("[engine]\ntmp_dir = 1979-05-27", "\(file):2: engine.tmp_dir must be a string, not a local date"),
            ("[engine]\nruntime = \"kata\"", "\(file):2: unknown default runtime \"kata\": not in [engine.runtimes]"),
        ]
        for (text, message) in cases { XCTAssertThrowsMessage(try read(text), message) }
    }

    /// Debian 12's /usr/share/containers/containers.conf (golang-github-containers-common 0.50.1): it parses,
    /// and as it sets nothing podrt reads (every [engine] key is commented out), podrt's defaults stand.
    func testDebiansContainersConfParses() throws {
        let path = TOMLDifferentialTests.repository
            .appendingPathComponent("Fixtures/toml/containers.conf/debian-12-usr-share-containers.conf").path
        let document = try parseTOML(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), file: path)
        XCTAssertEqual(document.keys, ["containers", "secrets", "network", "engine", "machine"])
        guard case let .table(engine)? = document["engine"] else { return XCTFail("no [engine]") }
        XCTAssertEqual(engine.keys, ["runtimes", "volume_plugins"])
        var config = RuntimeConfig()
        try config.apply(document, file: path)
        XCTAssertEqual(config, RuntimeConfig())
    }

    // MARK: the files, in podman's order

    func write(_ scratch: ScratchMachine, _ path: String, _ text: String) throws {
        let full = scratch.root + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
    }

    func load(_ scratch: ScratchMachine, _ sources: ConfigSources = ConfigSources(),
              _ overrides: ConfigOverrides = ConfigOverrides()) throws -> RuntimeConfig {
        try RuntimeConfig.load(fileSystem: scratch.machine.fileSystem, sources: sources, overrides: overrides)
    }

    func testFilesAreReadInPodmansOrderAndEachSetsOnlyItsKeys() throws {
        let scratch = try ScratchMachine()
        XCTAssertEqual(try load(scratch), RuntimeConfig(), "no file at all: the defaults")
        try write(scratch, "/usr/share/containers/containers.conf",
                  "[engine]\nnum_locks = 100\nlock_type = \"file\"\n[engine.runtimes]\nkata = [\"/k\"]")
        try write(scratch, "/etc/containers/containers.conf", "[engine]\nnum_locks = 200\ntmp_dir = \"/etc-tmp\"")
        // Drop-ins in byte order of the name: "10.conf" < "B.conf" < "a.conf"; not *.conf, or a directory: skipped.
        try write(scratch, "/etc/containers/containers.conf.d/a.conf", "[engine]\nnum_locks = 300")
        try write(scratch, "/etc/containers/containers.conf.d/B.conf", "[engine]\nnum_locks = 250\nruntime = \"kata\"")
        try write(scratch, "/etc/containers/containers.conf.d/10.conf", "[engine]\ntmp_dir = \"/dropin-tmp\"\nnum_locks = 1")
        try write(scratch, "/etc/containers/containers.conf.d/notes.txt", "not TOML at all [")
        try write(scratch, "/etc/containers/containers.conf.d/dir.conf/x.conf", "not TOML at all [")
        try write(scratch, "/etc/podrt/containers.conf", "[engine]\nstatic_dir = \"/podrt-static\"")
        var config = try load(scratch)
        XCTAssertEqual(config.numLocks, 300)
        XCTAssertEqual(config.lockType, .file, "from /usr/share: no later file sets it")
        XCTAssertEqual(config.tmpDir, "/dropin-tmp")
        XCTAssertEqual(config.runtime, "kata")
        XCTAssertEqual(config.runtimes["kata"], ["/k"])
        XCTAssertEqual(config.staticDir, "/podrt-static")

        // --config takes the place of podrt's own file, after podman's files.
        try write(scratch, "/mine.conf", "[engine]\nnum_locks = 400")
        var sources = ConfigSources(environment: [:], explicitFile: "/mine.conf")
        config = try load(scratch, sources)
        XCTAssertEqual(config.numLocks, 400)
        XCTAssertEqual(config.staticDir, RuntimeConfig().staticDir)

        // CONTAINERS_CONF_OVERRIDE wins over every file; the flags win over it.
        try write(scratch, "/override.conf", "[engine]\nnum_locks = 500\nlock_path = \"/dev/shm/o\"")
        sources = ConfigSources(environment: ["CONTAINERS_CONF_OVERRIDE": "/override.conf"], explicitFile: "/mine.conf")
        XCTAssertEqual(try load(scratch, sources).numLocks, 500)
        XCTAssertEqual(try load(scratch, sources).lockSegmentPath, "/dev/shm/o")
        var flags = ConfigOverrides()
        flags.numLocks = 600
        XCTAssertEqual(try load(scratch, sources, flags).numLocks, 600)

        // CONTAINERS_CONF replaces podman's files and podrt's own; the override still applies after it.
        try write(scratch, "/only.conf", "[engine]\ntmp_dir = \"/only\"")
        sources = ConfigSources(environment: ["CONTAINERS_CONF": "/only.conf"])
        config = try load(scratch, sources)
        XCTAssertEqual(config.tmpDir, "/only")
        XCTAssertEqual(config.numLocks, 2048)
        XCTAssertEqual(config.staticDir, RuntimeConfig().staticDir)
        sources = ConfigSources(environment: ["CONTAINERS_CONF": "/only.conf", "CONTAINERS_CONF_OVERRIDE": "/override.conf"])
        XCTAssertEqual(try load(scratch, sources).numLocks, 500)
        XCTAssertEqual(try load(scratch, sources).tmpDir, "/only")
        // Empty variables count as unset, as in podman.
        XCTAssertEqual(try load(scratch, ConfigSources(environment: ["CONTAINERS_CONF": "", "CONTAINERS_CONF_OVERRIDE": ""])).numLocks, 300)
    }

    /// The built binary reads CONTAINERS_CONF and CONTAINERS_CONF_OVERRIDE from its environment, and the drop-ins.
    func testTheBinaryReadsTheVariablesAndTheDropIns() throws {
        try requirePodrtBinary()
        let scratch = try ScratchMachine()
        func podrt(_ environment: String, _ arguments: String) throws -> (ExitStatus, String) {
            let out = scratch.root + "/out"
            let status = try runShell("env -u CONTAINERS_CONF -u CONTAINERS_CONF_OVERRIDE \(environment) '\(podrtBinary)' "
                                      + "--machine-root '\(scratch.root)' \(arguments) > '\(out)' 2>&1", machine: scratch.machine)
            return (status, try String(contentsOfFile: out, encoding: .utf8))
        }
        try write(scratch, "/c.conf", "[engine]\nlock_type = \"file\"")
        var (status, output) = try podrt("CONTAINERS_CONF=/c.conf", "system info --format json")
        XCTAssertEqual(status, .exited(0), output)
        XCTAssertEqual(try JSON.parse(output)["locks"]?["lockType"], .string("file"))
        try write(scratch, "/o.conf", "engine.lock_type = 'shm'")
        (status, output) = try podrt("CONTAINERS_CONF=/c.conf CONTAINERS_CONF_OVERRIDE=/o.conf", "system info --format json")
        XCTAssertEqual(try JSON.parse(output)["locks"]?["lockType"], .string("shm"), output)
        try write(scratch, "/etc/containers/containers.conf.d/9.conf", "[engine]\nnum_locks = 1.5")
        (status, output) = try podrt("", "ps")
        XCTAssertNotEqual(status, .exited(0))
        XCTAssertTrue(output.contains("/etc/containers/containers.conf.d/9.conf:2: engine.num_locks must be an integer, not a float"), output)
    }

    func testNamedFilesMustExistAndErrorsNameTheFile() throws {
        let scratch = try ScratchMachine()
        XCTAssertThrowsMessage(try load(scratch, ConfigSources(environment: ["CONTAINERS_CONF": "/missing.conf"])),
                               "CONTAINERS_CONF file /missing.conf: cannot read")
        XCTAssertThrowsMessage(try load(scratch, ConfigSources(environment: ["CONTAINERS_CONF_OVERRIDE": "/missing.conf"])),
                               "CONTAINERS_CONF_OVERRIDE file /missing.conf: cannot read")
        XCTAssertThrowsMessage(try load(scratch, ConfigSources(environment: [:], explicitFile: "/missing.conf")),
                               "/missing.conf: cannot read")
        try write(scratch, "/etc/containers/containers.conf.d/50-bad.conf", "[engine]\nnum_locks = 1\n[engine]")
        XCTAssertThrowsMessage(try load(scratch),
                               "/etc/containers/containers.conf.d/50-bad.conf:3:1: invalid TOML: table engine is defined twice")
        try FileManager.default.removeItem(atPath: scratch.root + "/etc/containers/containers.conf.d/50-bad.conf")
        // The default runtime is checked once every file is read: a later file may add the runtime it names.
        try write(scratch, "/etc/containers/containers.conf", "[engine]\nruntime = \"kata\"")
        XCTAssertThrowsMessage(try load(scratch),
                               "/etc/containers/containers.conf:2: unknown default runtime \"kata\": not in [engine.runtimes]")
        try write(scratch, "/etc/containers/containers.conf.d/kata.conf", "[engine.runtimes]\nkata = [\"/k\"]")
        XCTAssertEqual(try load(scratch).runtime, "kata")
    }
}
