import XCTest

/// Core (and the generator) must not import Foundation: it costs milliseconds at every boot.
final class NoFoundationTests: XCTestCase {
    func testCoreImportsNoFoundation() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var offenders: [String] = []
        for directory in ["Sources/Core", "Sources/generator"] {
            let base = root.appendingPathComponent(directory)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            var sawSwift = false
            for case let file as String in walker where file.hasSuffix(".swift") {
                sawSwift = true
                let text = try String(contentsOf: base.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    if trimmed.range(of: #"^(@_exported\s+)?import\s+(Foundation|FoundationEssentials)\b"#,
                                     options: .regularExpression) != nil {
                        offenders.append("\(directory)/\(file)")
                    }
                }
            }
            if directory == "Sources/Core" { XCTAssertTrue(sawSwift, "found no Swift files under \(base.path)") }
        }
        XCTAssertEqual(offenders, [], "these files import Foundation")
    }
}
