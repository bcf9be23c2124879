/// Reads a scenario file (format: scenarios/README.md) strictly: every unknown step, setting, key, value,
/// number, errno, op, invariant or catalogue name, every missing `end`, and every tab, mixed or odd
/// indentation is an error naming FILE:LINE:COLUMN, what was found, what was expected and, when one is near,
/// the valid word meant. Nothing is ignored, so a scenario that parses runs as written.
public struct ScenarioParser: Sendable {
    public var vocabulary: ScenarioVocabulary
    /// What the `podman` steps run whatever the file's `runtime:` says (`bootsim run --fuse --runtime`): the
    /// choice is made as each step is read, so it must be known before the first.
    public var runtimeOverride: String?

    public init(vocabulary: ScenarioVocabulary, runtimeOverride: String? = nil) {
        self.vocabulary = vocabulary
        self.runtimeOverride = runtimeOverride
    }

    public func parse(_ text: String, path: String) throws -> ScenarioSyntax {
        var run = ParseRun(lines: SourceLine.lines(of: text), path: path, vocabulary: vocabulary)
        run.runtimeOverride = runtimeOverride
        run.syntax.runtime = runtimeOverride
        try run.parse()
        return run.syntax
    }
}

/// The top-level steps (scenarios/README.md, "Steps") and settings ("Settings").
enum ScenarioGrammar {
    static let steps = ["write", "append", "remove", "cmdline", "config", "podrt", "generator", "together", "reboot",
                        "power-loss", "fault", "clear-faults", "check", "expect", "expect-fixture", "snapshot",
                        "exec", "podman", "expect-output", "expect-file", "check-cmd", "exit"]
    static let settings = ["scenario", "about", "inject", "switch", "pct-steps", "pct-depth", "invariants", "catches",
                           "profile", "runtime"]
}

/// One pass over a file's lines.
struct ParseRun {
    let lines: [SourceLine]
    let path: String
    let vocabulary: ScenarioVocabulary
    var index = 0
    var syntax = ScenarioSyntax()
    /// The line each setting was first given on (each but `about` may be given once).
    var settingLines: [String: Int] = [:]
    var snapshotLine: Int?
    var hasGroup = false
    /// The first `podman` step's line (`runtime:` must come before it).
    var firstPodmanLine: Int?
    var runtimeOverride: String?

    init(lines: [SourceLine], path: String, vocabulary: ScenarioVocabulary) {
        self.lines = lines
        self.path = path
        self.vocabulary = vocabulary
    }

    func error(_ line: SourceLine, column: Int, found: String, expected: String, suggestion: String? = nil) -> ScenarioError {
        ScenarioError(path: path, line: line.number, column: column, found: found, expected: expected, suggestion: suggestion)
    }

    mutating func parse() throws {
        while index < lines.count {
            let line = lines[index]
            index += 1
            if line.isBlank { continue }
            try checkPlain(line)
            if line.isComment { continue }
            if line.indent > 0 {
                throw error(line, column: 1, found: "\(line.indent) space\(line.indent == 1 ? "" : "s") of indentation",
                            expected: "a step or setting at the start of the line (only the lines inside a "
                                + "`write`, `append` or `together` block are indented)")
            }
            if let setting = Self.setting(line) {
                try applySetting(setting.key, value: setting.value, line)
            } else {
                try step(line)
            }
        }
        guard !syntax.steps.isEmpty else {
            let line = lines.last ?? SourceLine(number: 1, text: "")
            throw error(line, column: lines.isEmpty ? 1 : line.endColumn,
                        found: lines.allSatisfy(\.isBlank) ? "an empty file" : "no steps",
                        expected: "at least one step (a scenario with settings and comments only runs nothing)")
        }
    }

    /// Outside write blocks a line is spaces and words: a tab (in the indentation: mixed or tab
    /// indentation) or a carriage return (a CRLF file) is an error where it stands.
    func checkPlain(_ line: SourceLine) throws {
        var column = 1
        var leading = true
        var spaces = 0
        for character in line.text {
            if character == "\t" {
                let found = leading ? (spaces > 0 ? "a tab after \(spaces) space\(spaces == 1 ? "" : "s") (mixed indentation)"
                                                  : "a tab in the indentation") : "a tab"
                throw error(line, column: column, found: found,
                            expected: leading ? "spaces: 2 for each block level" : "spaces between words")
            }
            if character == "\r" {
                throw error(line, column: column, found: "a carriage return (a CRLF line end)", expected: "lines ending in LF only")
            }
            if character == " " { if leading { spaces += 1 } } else { leading = false }
            column += 1
        }
        try checkLineEnd(line)
    }

    /// Every line, content too, ends in LF alone.
    func checkLineEnd(_ line: SourceLine) throws {
        guard line.endsInCarriageReturn else { return }
        throw error(line, column: line.endColumn, found: "a carriage return (a CRLF line end)", expected: "lines ending in LF only")
    }

    /// `key: value` (or `key:value`): the key's word and the value's words, when the line is a setting.
    static func setting(_ line: SourceLine) -> (key: Word, value: [Word])? {
        let first = line.words[0]
        guard let colon = first.text.firstIndex(of: ":") else { return nil }
        let key = first.text[..<colon]
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        let rest = String(first.text[first.text.index(after: colon)...])
        return (Word(text: String(key), column: first.column),
                (rest.isEmpty ? [] : [Word(text: rest, column: first.column + key.count + 1)]) + line.words.dropFirst())
    }

    mutating func add(_ action: SyntaxAction, _ line: SourceLine) {
        syntax.steps.append(SyntaxStep(action: action, line: line.number))
    }

    // MARK: Blocks

    /// The lines of the block `opener` starts, up to its `end` (a line `end` at the start), which is consumed.
    mutating func block(_ opener: SourceLine) throws -> [SourceLine] {
        var body: [SourceLine] = []
        var indentedEnd: Int?
        while index < lines.count {
            let line = lines[index]
            index += 1
            if line.indent == 0, line.words.first?.text == "end" {
                try checkPlain(line)
                try WordCursor(line, path: path, from: 1).end(after: "`end`")
                return body
            }
            if line.words.count == 1, line.words[0].text == "end", indentedEnd == nil { indentedEnd = line.number }
            body.append(line)
        }
        let keyword = opener.words[0].text
        let hint = indentedEnd.map { " (the `end` on line \($0) is indented, so it is part of the block)" } ?? ""
        throw error(opener, column: opener.words[0].column,
                    found: "no `end` for this `\(keyword)` block before the end of the file\(hint)",
                    expected: "`end` at the start of a line after the block's indented lines")
    }

    /// A `write`/`append` block's content: each line with its 2 spaces of indentation stripped; a line of
    /// fewer spaces only is an empty line. The content is verbatim (tabs and `#` included).
    func content(_ body: [SourceLine], opener: SourceLine) throws -> String {
        var text = ""
        for line in body {
            try checkLineEnd(line)
            if line.text.hasPrefix("  ") {
                text += line.text.dropFirst(2) + "\n"
            } else if line.text.allSatisfy({ $0 == " " }) {
                text += "\n"
            } else {
                let first = line.text.first == "\t" ? "a tab" : line.indent == 1 ? "1 space of indentation"
                    : "\(Quote.word(line.words.first?.text ?? "")) at the start of the line"
                throw error(line, column: 1, found: first,
                            expected: "a content line of the `\(opener.words[0].text)` on line \(opener.number) indented "
                                + "by 2 spaces, or `end` at the start of a line")
            }
        }
        return text
    }

    /// A `together` block's commands: one per line, indented by exactly 2 spaces; comments and blank lines
    /// are skipped.
    mutating func commands(_ body: [SourceLine], opener: SourceLine) throws -> [Command] {
        var commands: [Command] = []
        for line in body where !line.isBlank {
            try checkPlain(line)
            if line.isComment { continue }
            guard line.indent == 2 else {
                let found = line.indent == 0 ? "\(Quote.word(line.words[0].text)) at the start of the line"
                    : "\(line.indent) spaces of indentation"
                throw error(line, column: line.indent == 0 ? 1 : line.words[0].column, found: found,
                            expected: "a `podrt`, `generator`, `exec` or `podman` command of the `together` on line \(opener.number) "
                                + "indented by 2 spaces, or `end` at the start of a line")
            }
            commands.append(try command(line))
        }
        guard !commands.isEmpty else {
            throw error(opener, column: opener.words[0].column, found: "a `together` block with no commands",
                        expected: "at least one `podrt` or `generator` line inside it")
        }
        return commands
    }
}
