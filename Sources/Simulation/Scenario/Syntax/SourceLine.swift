// The scenario parser is plain Swift (no imports), so that the fuzz target (Fuzz/Sources/scenario-fuzz)
// compiles these files as they are, through symbolic links, and libFuzzer sees their coverage.

/// A word of a scenario line: a run of characters other than spaces, and the 1-based column it starts at.
public struct Word: Hashable, Sendable {
    public var text: String
    public var column: Int
}

/// One line of a scenario file, split for the parser: its indentation and its words with their columns, so
/// that every error can name FILE:LINE:COLUMN.
struct SourceLine {
    /// 1-based.
    var number: Int
    /// The line as written, without its "\n".
    var text: Substring
    /// The leading spaces (a tab stops the count; `checkPlain` refuses it).
    var indent: Int
    /// The words after the indentation, split at spaces.
    var words: [Word]
    /// The column just after the last character: where "the end of the line" is.
    var endColumn: Int
    /// The line ended in CR LF (Swift reads "\r\n" as one character, so the split keeps the mark).
    var endsInCarriageReturn = false

    init(number: Int, text: Substring, endsInCarriageReturn: Bool = false) {
        self.number = number
        self.text = text
        self.endsInCarriageReturn = endsInCarriageReturn
        var column = 1, indent = 0, current = "", start = 0
        var words: [Word] = []
        var leading = true
        for character in text {
            if character == " " {
                if leading { indent += 1 }
                if !current.isEmpty { words.append(Word(text: current, column: start)) }
                current = ""
            } else {
                leading = false
                if current.isEmpty { start = column }
                current.append(character)
            }
            column += 1
        }
        if !current.isEmpty { words.append(Word(text: current, column: start)) }
        self.indent = indent
        self.words = words
        endColumn = column
    }

    var isBlank: Bool { words.isEmpty }
    var isComment: Bool { words.first?.text.hasPrefix("#") == true }

    /// All the lines of `text` (a final "\n" ends the last line rather than starting an empty one).
    static func lines(of text: String) -> [SourceLine] {
        var lines: [SourceLine] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\n" || character == "\r\n" {
                lines.append(SourceLine(number: lines.count + 1, text: text[start..<index], endsInCarriageReturn: character == "\r\n"))
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        if start < text.endIndex { lines.append(SourceLine(number: lines.count + 1, text: text[start...])) }
        return lines
    }
}

/// A scenario file that does not parse: where (FILE:LINE:COLUMN), what was found there, what was expected,
/// and the nearest valid word when one is near.
public struct ScenarioError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    public var found: String
    public var expected: String
    public var suggestion: String?

    public init(path: String, line: Int, column: Int, found: String, expected: String, suggestion: String? = nil) {
        self.path = path
        self.line = line
        self.column = column
        self.found = found
        self.expected = expected
        self.suggestion = suggestion
    }

    /// What went wrong, without the place.
    public var message: String {
        "found \(found), expected \(expected)" + (suggestion.map { "; did you mean `\($0)`?" } ?? "")
    }

    public var description: String { "\(path):\(line):\(column): \(message)" }
}

/// How errors quote what they found and list what they expected.
enum Quote {
    static func word(_ text: String) -> String { "`\(text)`" }

    /// "`a`", "`a` or `b`", "`a`, `b` or `c`".
    static func choice(_ words: [String]) -> String {
        let quoted = words.map(word)
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
    }
}
