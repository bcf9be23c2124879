/// The steps of scenarios/README.md, "Steps", one line (or block) each.
extension ParseRun {
    mutating func step(_ line: SourceLine) throws {
        var cursor = WordCursor(line, path: path, from: 1)
        let keyword = line.words[0]
        switch keyword.text {
        case "write", "append":
            let target = try cursor.absolutePath(try cursor.next("the PATH to \(keyword.text)"), "the PATH to \(keyword.text)")
            try cursor.end(after: "`\(keyword.text) PATH` (the content follows on indented lines, then `end`)")
            let body = try block(line)
            add(.write(path: target, content: try content(body, opener: line), append: keyword.text == "append"), line)
        case "remove":
            let target = try cursor.absolutePath(try cursor.next("the PATH to remove"), "the PATH to remove")
            try cursor.end(after: "`remove PATH`")
            add(.remove(path: target), line)
        case "cmdline":
            add(.commandLine(cursor.remaining.map(\.text).joined(separator: " ")), line)
        case "config":
            add(.config(try configSettings(&cursor)), line)
        case "podrt", "generator", "exec", "podman":
            add(.group([try command(line)], together: false), line)
            hasGroup = true
        case "together":
            try cursor.end(after: "`together` (its commands follow on indented lines, then `end`)")
            let body = try block(line)
            add(.group(try commands(body, opener: line), together: true), line)
            hasGroup = true
        case "reboot", "power-loss", "clear-faults", "check", "snapshot":
            try cursor.end(after: Quote.word(keyword.text))
            if keyword.text == "snapshot" {
                if let first = snapshotLine {
                    throw error(line, column: keyword.column, found: "a second `snapshot` (the first is on line \(first))",
                                expected: "at most one `snapshot`: the steps before it run once, for every seed")
                }
                snapshotLine = line.number
            }
            let actions: [String: SyntaxAction] = ["reboot": .reboot, "power-loss": .powerLoss, "clear-faults": .clearFaults,
                                                   "check": .check, "snapshot": .snapshot]
            add(actions[keyword.text]!, line)
        case "fault":
            add(.fault(try faultSpec(&cursor)), line)
        case "exit":
            add(try containerExit(&cursor), line)
        case "expect":
            let verdict = try cursor.next("what the previous step's processes did: `ok`, `fail` or exit=N")
            if let (key, value) = WordCursor.pair(verdict), key.text == "exit" {
                let code = try cursor.wholeNumber(value, in: 0...255, "the exit status N of exit=N")
                try cursor.end(after: "`expect exit=N`")
                try requireGroup(keyword, line)
                add(.expectExit(Int32(code)), line)
                break
            }
            try WordCursor.check(verdict, oneOf: ["ok", "fail", "exit=N"], "what the previous step's processes did", cursor)
            try cursor.end(after: "`expect \(verdict.text)`")
            try requireGroup(keyword, line)
            add(.expect(ok: verdict.text == "ok"), line)
        case "expect-output", "expect-file", "check-cmd":
            try requireGroup(keyword, line, needed: keyword.text != "check-cmd")
            add(try foreignCheck(keyword, &cursor), line)
        case "expect-fixture":
            let name = try cursor.next("the fixture CASE whose expected tree the generator's must equal")
            try cursor.end(after: "`expect-fixture CASE`")
            syntax.fixtureReferences.append(FixtureReference(name: name.text, line: line.number, column: name.column))
            add(.expectFixture(name.text), line)
        case "end":
            throw error(line, column: keyword.column, found: "`end` with no block open",
                        expected: "a step (`end` closes a `write`, `append` or `together` block)")
        default:
            throw unknownStep(keyword, line)
        }
    }

    func requireGroup(_ keyword: Word, _ line: SourceLine, needed: Bool = true) throws {
        guard needed, !hasGroup else { return }
        throw error(line, column: keyword.column, found: "`\(keyword.text)` before any process step",
                    expected: "`\(keyword.text)` after the step whose processes it judges")
    }

    func unknownStep(_ word: Word, _ line: SourceLine) -> ScenarioError {
        let suggestion: String?
        if ScenarioGrammar.settings.contains(word.text) {
            suggestion = word.text + ":"
        } else if PodrtGrammar.commands.contains(word.text) {
            suggestion = "podrt " + word.text
        } else {
            suggestion = Spelling.nearest(word.text, in: ScenarioGrammar.steps + ScenarioGrammar.settings.map { $0 + ":" })
        }
        return error(line, column: word.column, found: Quote.word(word.text),
                     expected: "a step (\(ScenarioGrammar.steps.joined(separator: ", "))) or a `setting:`",
                     suggestion: suggestion)
    }

    /// `config KEY=VALUE …`: `num_locks` (podrt's bounds), `tmp_dir`, `static_dir`, `lock_type` (`shm`, `file`).
    func configSettings(_ cursor: inout WordCursor) throws -> [ConfigSetting] {
        var settings: [ConfigSetting] = []
        for (key, value) in try cursor.keyValuePairs(["num_locks", "tmp_dir", "static_dir", "lock_type"],
                                                     what: "a config KEY") {
            switch key.text {
            case "num_locks":
                settings.append(.numLocks(try cursor.wholeNumber(value, in: 1...vocabulary.maxNumLocks, "num_locks")))
            case "tmp_dir": settings.append(.tmpDir(try cursor.absolutePath(value, "tmp_dir")))
            case "static_dir": settings.append(.staticDir(try cursor.absolutePath(value, "static_dir")))
            default:
                try WordCursor.check(value, oneOf: ["shm", "file"], "a lock_type", cursor)
                settings.append(.lockType(value.text))
            }
        }
        return settings
    }

    /// `fault OP GLOB ERRNO|latency=NS [nth=N | p=P | always]`.
    func faultSpec(_ cursor: inout WordCursor) throws -> FaultSpec {
        let opWord = try cursor.next("the OP a rule matches (`*` for any)")
        if vocabulary.mountRequests.contains(opWord.text) {
            throw cursor.error(at: opWord, found: "\(Quote.word(opWord.text)), a FUSE request",
                               expected: "a call a simulated process makes (such as `open`, `write`, `rename`, `fsync`)")
        }
        if opWord.text != "*" { try WordCursor.check(opWord, oneOf: vocabulary.ops, "an OP", cursor) }
        let globWord = try cursor.next("the path GLOB a rule matches")
        guard globWord.text.hasPrefix("/") || globWord.text.hasPrefix("*") else {
            throw cursor.error(at: globWord, expected: "an absolute path GLOB (starting with `/`, or `**` for any path)")
        }
        let effectWord = try cursor.next("an ERRNO (such as `EIO`) or latency=NS")
        let effect: FaultSpec.Effect
        if let (key, value) = WordCursor.pair(effectWord), key.text == "latency" {
            effect = .latency(nanoseconds: UInt64(try cursor.wholeNumber(value, in: 0...Int.max, "latency in nanoseconds")))
        } else if let number = Int(effectWord.text), effectWord.text.allSatisfy(\.isNumber) {
            guard (1...4095).contains(number) else {
                throw cursor.error(at: effectWord, expected: "an errno number from 1 to 4095, or a name such as `EIO`")
            }
            effect = .errno(effectWord.text)
        } else {
            let upper = effectWord.text.uppercased()
            guard vocabulary.errnoNames.contains(upper) else {
                throw cursor.error(at: effectWord, expected: "an ERRNO (\(vocabulary.errnoNames.joined(separator: " "))), "
                                       + "an errno number or latency=NS",
                                   suggestion: Spelling.nearest(upper, in: vocabulary.errnoNames))
            }
            effect = .errno(upper)
        }
        var trigger = FaultSpec.Trigger.always
        if !cursor.atEnd {
            let word = try cursor.next("a trigger")
            let expected = "a trigger: nth=N, p=P or `always`"
            if word.text == "always" {
                trigger = .always
            } else if let (key, value) = WordCursor.pair(word), key.text == "nth" || key.text == "p" {
                trigger = key.text == "nth" ? .nth(try cursor.wholeNumber(value, in: 1...Int.max, "nth"))
                    : .probability(try cursor.probability(value, "p"))
            } else {
                let key = WordCursor.pair(word)?.key.text ?? word.text
                throw cursor.error(at: word, expected: expected,
                                   suggestion: Spelling.nearest(key, in: ["nth", "p", "always"]).map { $0 == "always" ? $0 : $0 + "=…" })
            }
        }
        try cursor.end(after: "the fault rule")
        return FaultSpec(op: opWord.text == "*" ? nil : opWord.text, glob: globWord.text, effect: effect, trigger: trigger)
    }
}
