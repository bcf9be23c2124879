import Foundation
import XCTest

/// Real LUKS images made once per test run with cryptsetup-bin (pbkdf2, 1000 iterations: fast).
final class Images: Sendable {
    let directory: String
    let key: String            // the key of every image except `offsetImage`
    let wrongKey: String
    let luks1: String
    let luks2: String
    let offsetKey: String      // 100 junk bytes, 64 key bytes, 50 junk bytes
    let offsetImage: String    // LUKS2 keyed with offsetKey at offset 100, size 64
    let header: String         // detached LUKS2 header for `headerData`
    let headerData: String
    let ext4: String
    let zeros: String
    let truncated: String      // the first 8 KiB of `luks2`
    let luks1UUID: String
    let luks2UUID: String

    static let shared = Images()

    private init() {
        let temporary = FileManager.default.temporaryDirectory.path
        Images.removeStale(in: temporary)
        let base = temporary + "/cryptcheck-\(getpid())"
        try? FileManager.default.removeItem(atPath: base)
        try! FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        chmod(base, 0o755)
        directory = base
        func path(_ name: String) -> String { base + "/" + name }
        key = path("key"); wrongKey = path("wrong"); offsetKey = path("offset.key")
        luks1 = path("luks1.img"); luks2 = path("luks2.img"); offsetImage = path("offset.img")
        header = path("header.img"); headerData = path("data.img"); ext4 = path("ext4.img")
        zeros = path("zeros.img"); truncated = path("truncated.img")

        Images.write(key, Images.random(64), mode: 0o600)
        Images.write(wrongKey, Images.random(64), mode: 0o600)
        Images.write(offsetKey, Images.random(214), mode: 0o600)
        for (file, size) in [(luks1, 4), (luks2, 3), (offsetImage, 3), (header, 1), (headerData, 2), (ext4, 2), (zeros, 2)] {
            Images.run("/usr/bin/truncate", "-s", "\(size)M", file)
        }
        let format = ["luksFormat", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000", "--batch-mode"]
        let small = ["--type", "luks2", "--luks2-metadata-size", "16k", "--luks2-keyslots-size", "512k"]
        Images.run("/usr/sbin/cryptsetup", format + ["--type", "luks1", luks1, key])
        Images.run("/usr/sbin/cryptsetup", format + small + ["--label", "cryptdata", luks2, key])
        Images.run("/usr/sbin/cryptsetup", format + small + ["--keyfile-offset", "100", "--keyfile-size", "64", offsetImage, offsetKey])
        Images.run("/usr/sbin/cryptsetup", format + small + ["--header", header, headerData, key])
        Images.run("/usr/sbin/mkfs.ext4", "-q", "-F", ext4)
        let head = FileManager.default.contents(atPath: luks2)!.prefix(8192)
        Images.write(truncated, Data(head), mode: 0o644)
        luks1UUID = Images.output("/usr/sbin/cryptsetup", "luksUUID", luks1)
        luks2UUID = Images.output("/usr/sbin/cryptsetup", "luksUUID", luks2)
        for file in [luks1, luks2, offsetImage, header, headerData, ext4, zeros] { chmod(file, 0o644) }
    }

    /// Removes the image directories of earlier test runs whose process is gone.
    static func removeStale(in directory: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix("cryptcheck-") {
            guard let pid = Int32(name.dropFirst("cryptcheck-".count)), kill(pid, 0) != 0 else { continue }
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    static func random(_ count: Int) -> Data {
        Data((0..<count).map { _ in UInt8.random(in: 0...255) })
    }

    static func write(_ path: String, _ data: Data, mode: mode_t) {
        _ = FileManager.default.createFile(atPath: path, contents: data)
        chmod(path, mode)
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: String...) -> Int32 { run(executable, arguments) }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try! process.run()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "\(executable) \(arguments) failed")
        return process.terminationStatus
    }

    static func output(_ executable: String, _ arguments: String...) -> String {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = pipe
        try! process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
