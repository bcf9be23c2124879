/// The settings of scenarios/README.md, "Settings": `key: value` lines, each key once (`about` may repeat).
extension ParseRun {
    mutating func applySetting(_ key: Word, value: [Word], _ line: SourceLine) throws {
        var cursor = WordCursor(line, path: path, words: value)
        guard ScenarioGrammar.settings.contains(key.text) else {
            throw error(line, column: key.column, found: Quote.word(key.text + ":"),
                        expected: "a setting (\(ScenarioGrammar.settings.map { $0 + ":" }.joined(separator: " "))) or a step",
                        suggestion: Spelling.nearest(key.text, in: ScenarioGrammar.settings).map { $0 + ":" })
        }
        if key.text != "about" {
            if let first = settingLines[key.text] {
                throw error(line, column: key.column, found: "a second `\(key.text):` (the first is on line \(first))",
                            expected: "each setting once")
            }
            settingLines[key.text] = line.number
        }
        switch key.text {
        case "scenario":
            let name = try cursor.next("the scenario's NAME")
            try cursor.end(after: "the NAME (one word)")
            syntax.name = name.text
        case "about":
            guard !cursor.atEnd else { throw cursor.error(at: nil, expected: "a TEXT saying what the scenario is for") }
            syntax.about.append(cursor.remaining.map(\.text).joined(separator: " "))
        case "switch":
            syntax.switchChance = try cursor.probability(try cursor.next("the switch probability P"), "switch")
            try cursor.end(after: "`switch: P`")
        case "pct-steps", "pct-depth":
            let what = key.text == "pct-steps" ? "the PCT steps K" : "the PCT depth D"
            let number = try cursor.wholeNumber(try cursor.next(what), in: 1...(key.text == "pct-steps" ? 1_000_000_000 : 100), what)
            try cursor.end(after: "`\(key.text): N`")
            if key.text == "pct-steps" { syntax.pctSteps = number } else { syntax.pctDepth = number }
        case "invariants":
            syntax.invariants = try names(&cursor, known: vocabulary.invariants, what: "an invariant")
        case "catches":
            // A foreign program's scenario names its upstream issue (`containers/podman#16784`), or `unreported`.
            syntax.catches = try names(&cursor, known: vocabulary.catalogue, what: "a catalogue entry (`bootsim catalog`)",
                                       allowUpstream: syntax.profile != nil)
        case "profile":
            syntax.profile = try cursor.next(oneOf: ["podman"], "a profile").text
            try cursor.end(after: "`profile: podman`")
        case "runtime":
            if let first = firstPodmanLine {
                throw error(line, column: key.column, found: "`runtime:` after the `podman` step on line \(first)",
                            expected: "`runtime:` before the first `podman` step (it decides what they run)")
            }
            let runtime = try cursor.next(oneOf: ["podman", "podrt"], "a runtime").text
            syntax.runtime = runtimeOverride ?? runtime
            try cursor.end(after: "`runtime: podman|podrt`")
        default:
            syntax.inject = try injectSpec(&cursor)
        }
    }

    /// One or more distinct names from `known`.
    func names(_ cursor: inout WordCursor, known: [String], what: String, allowUpstream: Bool = false) throws -> [String] {
        var names: [String] = []
        guard !cursor.atEnd else { throw cursor.error(at: nil, expected: "\(what): \(Quote.choice(known))") }
        while !cursor.atEnd {
            let word = try cursor.next(what)
            if allowUpstream, Self.isUpstreamIssue(word.text) {
                names.append(word.text)
                continue
            }
            try WordCursor.check(word, oneOf: known, allowUpstream ? what + ", an upstream issue OWNER/REPO#N or `unreported`" : what, cursor)
            guard !names.contains(word.text) else {
                throw cursor.error(at: word, found: "\(Quote.word(word.text)) a second time", expected: "each name once")
            }
            names.append(word.text)
        }
        return names
    }

    /// `containers/podman#16784`, or `unreported` (no upstream issue is known).
    static func isUpstreamIssue(_ text: String) -> Bool {
        if text == "unreported" { return true }
        let parts = text.split(separator: "#", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0].split(separator: "/").count == 2 && !parts[1].isEmpty && parts[1].allSatisfy(\.isNumber)
    }

    /// `inject: kill=P reboot=P power=P limit=N`, a rate P from 0 to 1 or `swarm`.
    func injectSpec(_ cursor: inout WordCursor) throws -> InjectSpec {
        var spec = InjectSpec()
        for (key, value) in try cursor.keyValuePairs(["kill", "reboot", "power", "limit"], what: "an injection") {
            if key.text == "limit" {
                spec.limit = try cursor.wholeNumber(value, in: 0...1_000_000, "limit (injections per run)")
                continue
            }
            let rate: InjectSpec.Rate = value.text == "swarm" ? .swarm
                : .fixed(try cursor.probability(value, "\(key.text) (a rate per scheduling point, or `swarm`)"))
            switch key.text {
            case "kill": spec.kill = rate
            case "reboot": spec.reboot = rate
            default: spec.power = rate
            }
        }
        return spec
    }
}
