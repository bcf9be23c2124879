import Foundation
import XCTest
@testable import Core
@testable import Podrt
import SimFS

/// The JSON reader is strict (RFC 8259, integers only) and never traps; the TOML reader never traps either.
final class JSONReaderTests: XCTestCase {
    func assertRejects(_ text: String, _ message: String, at position: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try JSON.parse(text), file: file, line: line) { error in
            XCTAssertEqual("\(error)", "invalid JSON at \(position): \(message)", file: file, line: line)
        }
    }

    func testBadStringsAreRejectedWithWhereAndWhy() {
        assertRejects(#""\uD800\u0041""#, #"high surrogate \uD800 followed by \u0041, not by a low surrogate"#, at: "1:2 (byte 1)")
        assertRejects(#""\uD800""#, #"lone high surrogate \uD800 in a string (no \u low surrogate follows)"#, at: "1:2 (byte 1)")
        assertRejects(#""x\uD800y""#, #"lone high surrogate \uD800 in a string (no \u low surrogate follows)"#, at: "1:3 (byte 2)")
        assertRejects(#""\uDC00\uD800""#, #"lone low surrogate \uDC00 in a string"#, at: "1:2 (byte 1)")
        assertRejects(#""\udfff""#, #"lone low surrogate \uDFFF in a string"#, at: "1:2 (byte 1)")
        assertRejects(#""\uD83D\uD83D""#, #"high surrogate \uD83D followed by \uD83D, not by a low surrogate"#, at: "1:2 (byte 1)")
        assertRejects(#""\q""#, #"invalid escape \q in a string"#, at: "1:2 (byte 1)")
        assertRejects(#""\x41""#, #"invalid escape \x in a string"#, at: "1:2 (byte 1)")
        assertRejects(#""\u12""#, #"\u must be followed by four hex digits"#, at: "1:2 (byte 1)")
        assertRejects(#""\u+123""#, #"\u must be followed by four hex digits"#, at: "1:2 (byte 1)")
        assertRejects("[\n\"a\u{1}\"]", "raw control character U+0001 in a string (write it as an escape)", at: "2:3 (byte 4)")
        assertRejects("\"tab\there\"", "raw control character U+0009 in a string (write it as an escape)", at: "1:5 (byte 4)")
        assertRejects("\"new\nline\"", "raw control character U+000A in a string (write it as an escape)", at: "1:5 (byte 4)")
        assertRejects(#""open"#, "unterminated string (opened at byte 0)", at: "1:6 (byte 5)")
        assertRejects(#""\"#, "unterminated string: a backslash at the end", at: "1:3 (byte 2)")
        XCTAssertThrowsError(try JSON.parse(bytes: [0x22, 0xC3, 0x28, 0x22])) { error in
            XCTAssertEqual("\(error)", "invalid JSON at 1:2 (byte 1): invalid UTF-8 in a string")
        }
        XCTAssertThrowsError(try JSON.parse(bytes: [0x22, 0x61, 0xED, 0xA0, 0x80, 0x22])) { error in  // CESU surrogate
            XCTAssertEqual("\(error)", "invalid JSON at 1:3 (byte 2): invalid UTF-8 in a string")
        }
    }

    func testOtherMalformedInputIsRejected() {
        assertRejects("", "unexpected end of input, expected a value", at: "1:1 (byte 0)")
        assertRejects("[1,]", "expected a value, found ']'", at: "1:4 (byte 3)")
        assertRejects("[1 2]", "expected , or ] in an array", at: "1:4 (byte 3)")
        assertRejects(#"{"a" 1}"#, "expected : after a key", at: "1:6 (byte 5)")
        assertRejects(#"{"a":1,}"#, "expected a key (a string)", at: "1:8 (byte 7)")
        assertRejects("{\"a\": }", "expected a value, found '}'", at: "1:7 (byte 6)")
        assertRejects("01", "leading zero in a number", at: "1:1 (byte 0)")
        assertRejects("1.5", "only integers are supported", at: "1:2 (byte 1)")
        assertRejects("-", "expected a digit after -", at: "1:2 (byte 1)")
        assertRejects("99999999999999999999", "number out of the 64-bit integer range", at: "1:1 (byte 0)")
        assertRejects("nul", "expected null", at: "1:1 (byte 0)")
        assertRejects("true false", "trailing characters after the value", at: "1:6 (byte 5)")
        assertRejects(String(repeating: "[", count: 100_000), "nested deeper than 256 levels", at: "1:257 (byte 256)")
        XCTAssertEqual(try JSON.parse(String(repeating: "[", count: 256) + String(repeating: "]", count: 256)).serialized(),
                       String(repeating: "[", count: 256) + String(repeating: "]", count: 256))
        XCTAssertEqual(try JSON.parse("-9223372036854775808"), .number(.min))
    }

    func testValidEscapesAndSurrogatePairsRoundTrip() throws {
        XCTAssertEqual(try JSON.parse(#""\uD83D\uDE00 \ud800\udc00 \uDBFF\uDFFF""#).stringValue, "😀 \u{10000} \u{10FFFF}")
        XCTAssertEqual(try JSON.parse(#""\"\\\/\b\f\n\r\t\u0000\u00e9\uFFFF""#).stringValue, "\"\\/\u{8}\u{C}\n\r\t\u{0}é\u{FFFF}")
        // Every string survives serialize-then-parse: the planes' edges, surrogates' neighbours, controls.
        let scalars: [UInt32] = [0, 1, 0x1F, 0x20, 0x22, 0x5C, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF,
                                 0x10000, 0x1F600, 0x10FFFF]
        var text = String.UnicodeScalarView()
        for value in scalars { text.append(Unicode.Scalar(value)!) }
        let value = JSON.object([(String(text), .array([.string(String(text)), .string("")]))])
        XCTAssertEqual(try JSON.parse(value.serialized()), value)
        XCTAssertEqual(try JSON.parse(value.prettyPrinted()), value)
        // Seeded random strings of any scalars.
        var random = SplitMix64(seed: 18)
        for _ in 0..<500 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<random.below(12) {
                let plane = random.below(4)
                let value = UInt32(plane == 0 ? random.below(0x80) : plane == 1 ? random.below(0xD800)
                    : plane == 2 ? 0xE000 + random.below(0x2000) : 0x10000 + random.below(0x100000))
                scalars.append(Unicode.Scalar(value)!)
            }
            let string = JSON.string(String(scalars))
            XCTAssertEqual(try JSON.parse(string.serialized()), string)
        }
    }

    func testTOMLNeverTrapsOnDeepOrOddInput() {
        XCTAssertThrowsMessage(try parseTOML("a = " + String(repeating: "[", count: 100_000), file: "f"),
                               "f:1:69: invalid TOML: arrays and inline tables nested deeper than 64 levels")
        XCTAssertThrowsMessage(try parseTOML("a = " + String(repeating: "{b = ", count: 100_000), file: "f"),
                               "nested deeper than 64 levels")
        XCTAssertThrowsMessage(try parseTOML("[" + Array(repeating: "a", count: 100_000).joined(separator: ".") + "]", file: "f"),
                               "f:1:2: invalid TOML: a key of more than 64 dotted parts")
        for text in ["[", "a = \"\\", "a = '", "= 1", "a = [1,", "a = \"\u{0}\"\n[b", "\u{FF}", "a = 99999999999999999999",
                     "a = '''", "a = \"\"\"\\", "a = {", "a = {b", "a = {b = 1", "[[a]", "a = 1979-", "a = 0x", "a = \"\\u"] {
            XCTAssertThrowsError(try parseTOML(text, file: "f"), text.debugDescription)
        }
    }
}
