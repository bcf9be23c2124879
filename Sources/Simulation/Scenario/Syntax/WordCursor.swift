/// One line's words, read left to right; every error points at the word it is about, or at the end of the
/// line when a word is missing.
struct WordCursor {
    let line: SourceLine
    let path: String
    private(set) var index: Int
    /// The words this cursor reads (a setting's value, or a line without its `@crash N`).
    let words: [Word]

    init(_ line: SourceLine, path: String, words: [Word]? = nil, from index: Int = 0) {
        self.line = line
        self.path = path
        self.words = words ?? line.words
        self.index = index
    }

    var atEnd: Bool { index >= words.count }
    var remaining: [Word] { atEnd ? [] : Array(words[index...]) }

    /// An error at `word`, or at the end of the line when nil.
    func error(at word: Word?, found: String? = nil, expected: String, suggestion: String? = nil) -> ScenarioError {
        ScenarioError(path: path, line: line.number, column: word?.column ?? line.endColumn,
                      found: found ?? word.map { Quote.word($0.text) } ?? "the end of the line",
                      expected: expected, suggestion: suggestion)
    }

    /// The next word; a missing one is an error that says what should have been there.
    mutating func next(_ expected: @autoclosure () -> String) throws -> Word {
        guard !atEnd else { throw error(at: nil, expected: expected()) }
        defer { index += 1 }
        return words[index]
    }

    /// The next word, which must be one of `choices`.
    mutating func next(oneOf choices: [String], _ what: String) throws -> Word {
        let word = try next("\(what): \(Quote.choice(choices))")
        try Self.check(word, oneOf: choices, what, self)
        return word
    }

    /// Nothing may follow.
    func end(after what: String) throws {
        guard atEnd else { throw error(at: words[index], expected: "the end of the line after \(what)") }
    }

    static func check(_ word: Word, oneOf choices: [String], _ what: String, _ cursor: WordCursor) throws {
        guard !choices.contains(word.text) else { return }
        throw cursor.error(at: word, expected: "\(what): \(Quote.choice(choices))",
                           suggestion: Spelling.nearest(word.text, in: choices))
    }

    // MARK: Values

    /// `KEY=VALUE` split into two words, each with its column; nil without `=`.
    /// The rest of the line as `KEY=VALUE` words, each KEY one of `keys` and given once (`config`, `inject:`);
    /// `what` names a KEY in the messages ("a config KEY").
    mutating func keyValuePairs(_ keys: [String], what: String) throws -> [(key: Word, value: Word)] {
        var pairs: [(key: Word, value: Word)] = []
        var seen: Set<String> = []
        guard !atEnd else { throw error(at: nil, expected: "KEY=VALUE (KEY one of \(Quote.choice(keys)))") }
        while !atEnd {
            let word = try next("KEY=VALUE")
            guard let (key, value) = WordCursor.pair(word) else {
                throw error(at: word, expected: "KEY=VALUE (KEY one of \(Quote.choice(keys)))",
                            suggestion: Spelling.nearest(word.text, in: keys).map { $0 + "=…" })
            }
            try WordCursor.check(key, oneOf: keys, what, self)
            guard seen.insert(key.text).inserted else {
                throw error(at: key, found: "\(Quote.word(key.text)) a second time", expected: "each KEY once per line")
            }
            pairs.append((key, value))
        }
        return pairs
    }

    static func pair(_ word: Word) -> (key: Word, value: Word)? {
        guard let equals = word.text.firstIndex(of: "=") else { return nil }
        let key = String(word.text[..<equals])
        let value = String(word.text[word.text.index(after: equals)...])
        return (Word(text: key, column: word.column), Word(text: value, column: word.column + key.count + 1))
    }

    /// A whole number in `range` written in decimal digits only (no sign, no `_`, no exponent).
    func wholeNumber(_ word: Word, in range: ClosedRange<Int>, _ what: String) throws -> Int {
        let expected = "\(what): a whole number from \(range.lowerBound)"
            + (range.upperBound == Int.max ? " up" : " to \(range.upperBound)")
        guard !word.text.isEmpty, word.text.count <= 18, word.text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int(word.text), range.contains(value) else {
            throw error(at: word, found: word.text.isEmpty ? "nothing" : nil, expected: expected)
        }
        return value
    }

    /// A probability from 0 to 1 in decimal notation (`0.002`, `1e-3`, `1`).
    func probability(_ word: Word, _ what: String) throws -> Double {
        let allowed: Set<Character> = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "e", "E", "-", "+"]
        guard !word.text.isEmpty, word.text.count <= 32, word.text.allSatisfy(allowed.contains),
              let value = Double(word.text), value.isFinite, value >= 0, value <= 1 else {
            throw error(at: word, found: word.text.isEmpty ? "nothing" : nil,
                        expected: "\(what): a probability from 0 to 1 (such as 0.002)")
        }
        return value
    }

    /// An absolute path on the simulated machine.
    func absolutePath(_ word: Word, _ what: String) throws -> String {
        guard word.text.hasPrefix("/") else {
            throw error(at: word, expected: "\(what): an absolute path (starting with `/`)")
        }
        return word.text
    }

    /// A name: a non-empty word that is not an option (`-x`). Its form is podrt's to judge at run time, so
    /// that a scenario can `expect fail` of a bad one.
    func name(_ word: Word, _ what: String) throws -> String {
        guard !word.text.isEmpty else { throw error(at: word, found: "nothing", expected: what) }
        guard !word.text.hasPrefix("-"), !word.text.hasPrefix("@") else { throw error(at: word, expected: what) }
        return word.text
    }
}
