import Foundation
import XCTest
@testable import Podrt

/// podrt's TOML reader against python's tomllib (toml-oracle.py): the same documents must be accepted or rejected
/// by both, and when accepted read to the same tree, kinds included (TOMLCanonical.swift). The fixed corpus is
/// Fixtures/toml; the generated documents come from a fixed seed and from a new one each run, printed on failure
/// (`TOML_DIFF_SEED=N swift test --filter TOMLDifferentialTests` replays one).
final class TOMLDifferentialTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let documentsPerSeed = 3000

    func testCorpusAgreesWithTomllib() throws {
        let corpus = Self.repository.appendingPathComponent("Fixtures/toml")
        var files: [String] = []
        for folder in ["valid", "invalid", "containers.conf"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent(folder).path)
            files += names.sorted().map { folder + "/" + $0 }
        }
        let documents = try files.map {
            try XCTUnwrap(String(data: Data(contentsOf: corpus.appendingPathComponent($0)), encoding: .utf8), $0)
        }
        let results = try compare(documents, names: files, context: "corpus")
        // The corpus says what it is: valid/ is accepted, invalid/ rejected, by both readers.
        for (file, accepted) in zip(files, results) {
            XCTAssertEqual(accepted, !file.hasPrefix("invalid/"), "\(file): accepted \(accepted)")
        }
        XCTAssertGreaterThanOrEqual(files.count, 100, "the corpus")
    }

    func testGeneratedDocumentsAgreeWithTomllib() throws {
        var seeds: [UInt64] = [1]
        if let text = ProcessInfo.processInfo.environment["TOML_DIFF_SEED"], let seed = UInt64(text) {
            seeds = [seed]
        } else {
            seeds.append(UInt64.random(in: 2...UInt64.max))
        }
        for seed in seeds {
            var generator = TOMLGenerator(seed: seed)
            let documents = (0..<Self.documentsPerSeed).map { _ in generator.document() }
            let results = try compare(documents, names: documents.indices.map { "document \($0)" },
                                      context: "seed \(seed) (replay: TOML_DIFF_SEED=\(seed))")
            // The generator must exercise both paths, or the comparison proves little.
            let accepted = results.filter { $0 }.count
            print("TOML differential, seed \(seed): \(documents.count) documents, \(accepted) accepted by both, "
                  + "\(documents.count - accepted) rejected by both")
            XCTAssertGreaterThan(accepted, Self.documentsPerSeed / 4, "seed \(seed): accepted (about 37 % are)")
            XCTAssertGreaterThan(results.count - accepted, Self.documentsPerSeed / 4, "seed \(seed): rejected (about 63 % are)")
        }
    }

    /// The comparison sees kinds and values, not only acceptance: values that differ only in kind, or by one bit,
    /// are told apart by the oracle, and podrt's reading matches each.
    func testTheComparisonTellsKindsAndValuesApart() throws {
        let documents = ["a = 1", "a = 1.0", "a = '1'", "a = true", "a = 1979-05-27", "a = 1979-05-27T00:00:00",
                         "a = 1979-05-27T00:00:00Z", "a = 1979-05-27T00:00:00+00:01", "a = 00:00:00", "a = [1]",
                         "a = {b = 1}", "[[a]]\nb = 1", "a = 0.1", "a = 0.10000000000000002", "a = -0.0", "a = 0.0",
                         "a = \"\\u00e9\"", "a = \"e\\u0301\"", "a = 1\nb = 1", "a = 1\nb = 2"]
        let oracle = try tomllib(documents).map { $0["ok"]?.stringValue }
        XCTAssertEqual(Set(oracle.compactMap { $0 }).count, documents.count, "\(oracle)")
        _ = try compare(documents, names: documents, context: "kinds")
    }

    /// Compares each document's reading by both; returns whether each was accepted.
    func compare(_ documents: [String], names: [String], context: String,
                 file: StaticString = #filePath, line: UInt = #line) throws -> [Bool] {
        let oracle = try tomllib(documents)
        XCTAssertEqual(oracle.count, documents.count, context)
        var accepted: [Bool] = []
        var failures = 0
        for (index, document) in documents.enumerated() {
            let ours: Result<String, Error> = Result { TOMLCanonical.text(try parseTOML(document, file: "doc.toml")) }
            let theirs = oracle[index]
            switch (ours, theirs["ok"]?.stringValue) {
            case let (.success(mine), reference?) where mine == reference: accepted.append(true)
            case (.failure(let error), nil) where error is TOMLError: accepted.append(false)
            default:
                accepted.append(false)
                failures += 1
                if failures <= 10 {
                    XCTFail("""
                        \(context), \(names[index]): podrt and tomllib disagree on \(document.debugDescription)
                          podrt:   \((try? ours.get()) ?? "rejected: \(ours)")
                          tomllib: \(theirs["ok"]?.stringValue ?? "rejected: \(theirs["error"]?.stringValue ?? "?")")
                        """, file: file, line: line)
                }
            }
        }
        XCTAssertEqual(failures, 0, "\(context): disagreements", file: file, line: line)
        return accepted
    }

    /// Runs toml-oracle.py over the documents at once.
    func tomllib(_ documents: [String]) throws -> [JSON] {
        let script = Self.repository.appendingPathComponent("Tests/RuntimeTests/TOML/toml-oracle.py").path
        let input = JSON.array(documents.map { .string($0) }).serialized()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Write from another thread: the oracle's output may fill its pipe before it has read all of the input.
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            struct OracleFailed: Error, CustomStringConvertible { var description: String }
            throw OracleFailed(description: "toml-oracle.py (python3 3.11 or later, for tomllib) failed: "
                               + String(decoding: errors, as: UTF8.self))
        }
        return try XCTUnwrap(JSON.parse(String(decoding: output, as: UTF8.self)).arrayValue)
    }
}
