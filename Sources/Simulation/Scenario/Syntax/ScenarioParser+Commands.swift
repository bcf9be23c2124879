/// The process lines of `podrt`, `generator` and `together` steps (scenarios/README.md, "podrt words").
enum PodrtGrammar {
    static let commands = ["ps", "info", "locks", "renumber", "reset", "create", "rm"] + ContainerGrammar.commands
    static let creatable = ["container", "pod", "volume", "containers", "pods", "volumes"]
}

extension ParseRun {
    /// `podrt WORDS… [@crash N]` or `generator [fixture=CASE] [@crash N]`.
    mutating func command(_ line: SourceLine) throws -> Command {
        var words = line.words
        let probe = WordCursor(line, path: path)
        var crash: Int?
        var repeatCount: Int?
        while words.count >= 2, ["@crash", "@repeat"].contains(words[words.count - 2].text) {
            let marker = words[words.count - 2].text
            if marker == "@crash", crash == nil {
                crash = try probe.wholeNumber(words[words.count - 1], in: 1...Int.max, "the op number N of `@crash N`")
            } else if marker == "@repeat", repeatCount == nil, words.first?.text == "podman" || words.first?.text == "exec" {
                repeatCount = try probe.wholeNumber(words[words.count - 1], in: 1...100_000, "the count N of `@repeat N`")
            } else {
                throw probe.error(at: words[words.count - 2], expected: "one `@crash N` (and `@repeat N` on `exec` and `podman` lines only)")
            }
            words.removeLast(2)
        }
        if let stray = words.first(where: { $0.text.hasPrefix("@") }) {
            throw probe.error(at: stray, expected: stray.text == "@crash" ? "`@crash N`, the last two words of the line"
                                  : "`@crash N` at the end of the line",
                              suggestion: stray.text == "@crash" ? nil : Spelling.nearest(stray.text, in: ["@crash"]))
        }
        var cursor = WordCursor(line, path: path, words: words)
        let program = try cursor.next(oneOf: ["podrt", "generator", "exec", "podman"], "a process")
        if program.text == "exec" || program.text == "podman" {
            return try foreignCommand(program, &cursor, line: line, crash: crash, repeatCount: repeatCount ?? 1)
        }
        if program.text == "generator" {
            var fixture: String?
            while !cursor.atEnd {
                let word = try cursor.next("fixture=CASE")
                guard let (key, value) = WordCursor.pair(word), key.text == "fixture", fixture == nil, !value.text.isEmpty else {
                    throw cursor.error(at: word, expected: fixture == nil ? "fixture=CASE or `@crash N`" : "one fixture=CASE",
                                       suggestion: fixture == nil ? Spelling.nearest(word.text, in: ["fixture"]).map { $0 + "=…" } : nil)
                }
                fixture = value.text
                syntax.fixtureReferences.append(FixtureReference(name: value.text, line: line.number, column: value.column))
            }
            return Command(program: .generator(fixture: fixture), crashAtOp: crash)
        }
        return Command(program: .podrt(try podrtCommand(&cursor)), crashAtOp: crash)
    }

    func podrtCommand(_ cursor: inout WordCursor) throws -> PodrtCommand {
        let verb = try cursor.next(oneOf: PodrtGrammar.commands, "a podrt command")
        let command: PodrtCommand
        switch verb.text {
        case "ps": command = .ps
        case "info": command = .info
        case "locks": command = .locks
        case "renumber": command = .renumber
        case "reset": command = .reset
        case "create": return try create(&cursor)
        case "rm": return try remove(&cursor)
        default: return try containerCommand(verb, &cursor)
        }
        try cursor.end(after: "`podrt \(verb.text)`")
        return command
    }

    /// `create container NAME [pod=P] [volume=V]…`, `create pod|volume NAME`, `create containers|pods|volumes PREFIX N`.
    func create(_ cursor: inout WordCursor) throws -> PodrtCommand {
        let kind = try cursor.next(oneOf: PodrtGrammar.creatable, "what to create")
        let single = kind.text.hasSuffix("s") ? String(kind.text.dropLast()) : kind.text
        guard !kind.text.hasSuffix("s") else {
            let prefix = try cursor.name(try cursor.next("the name PREFIX of the \(kind.text)"), "the name PREFIX")
            let count = try cursor.wholeNumber(try cursor.next("how many \(kind.text) (N)"), in: 1...vocabulary.maxNumLocks,
                                               "how many \(kind.text)")
            try cursor.end(after: "`create \(kind.text) PREFIX N`")
            return .createMany(PodrtObjectKind(rawValue: single)!, prefix: prefix, count: count)
        }
        let name = try cursor.name(try cursor.next("the \(single)'s NAME"), "the \(single)'s NAME")
        guard single == "container" else {
            try cursor.end(after: "`create \(single) NAME`")
            return single == "pod" ? .createPod(name) : .createVolume(name)
        }
        var pod: String?
        var volumes: [String] = []
        while !cursor.atEnd {
            let word = try cursor.next("pod=POD or volume=VOLUME")
            let pair = WordCursor.pair(word)
            switch pair?.key.text {
            case "pod" where pod == nil: pod = try cursor.name(pair!.value, "the POD of pod=POD")
            case "volume": volumes.append(try cursor.name(pair!.value, "the VOLUME of volume=VOLUME"))
            default:
                throw cursor.error(at: word, expected: pod == nil || pair?.key.text != "pod" ? "pod=POD or volume=VOLUME"
                                       : "one pod=POD (a container is in at most one pod)",
                                   suggestion: Spelling.nearest(pair?.key.text ?? word.text, in: ["pod", "volume"]).map { $0 + "=…" })
            }
        }
        return .createContainer(name: name, pod: pod, volumes: volumes)
    }

    /// `rm [-f] container|pod|volume NAME`.
    func remove(_ cursor: inout WordCursor) throws -> PodrtCommand {
        var force = false
        var kind = try cursor.next("`-f` or what to remove: `container`, `pod` or `volume`")
        if kind.text == "-f" || kind.text == "--force" {
            force = true
            kind = try cursor.next("what to remove: `container`, `pod` or `volume`")
        }
        try WordCursor.check(kind, oneOf: ["container", "pod", "volume"], force ? "what to remove" : "`-f` or what to remove", cursor)
        let name = try cursor.name(try cursor.next("the \(kind.text)'s NAME (or id)"), "the \(kind.text)'s NAME (or id)")
        try cursor.end(after: "`rm \(force ? "-f " : "")\(kind.text) NAME`")
        return .remove(PodrtObjectKind(rawValue: kind.text)!, name: name, force: force)
    }
}
