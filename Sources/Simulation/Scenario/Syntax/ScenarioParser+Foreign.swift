/// Real programs in FUSE mode (scenarios/README.md, "Foreign programs"): `exec`, `podman`, and the checks
/// `expect-output`, `expect-file`, `check-cmd`.
extension ParseRun {
    /// `exec [as NAME] [env K=V…] CMD ARG…` or `podman ARG…`; under `runtime: podrt` a `podman` line is the
    /// podrt command it maps to.
    mutating func foreignCommand(_ program: Word, _ cursor: inout WordCursor, line: SourceLine, crash: Int?,
                                 repeatCount: Int) throws -> Command {
        if program.text == "podman" {
            guard syntax.profile == "podman" else {
                throw cursor.error(at: program, found: "`podman` without `profile: podman`",
                                   expected: "`profile: podman` before the first `podman` step (or `exec podman …` with a configuration of your own)")
            }
            if firstPodmanLine == nil { firstPodmanLine = line.number }
            let words = cursor.remaining
            guard !words.isEmpty else { throw cursor.error(at: nil, expected: "podman's ARGUMENTS (such as `ps -a`)") }
            if syntax.runtime == "podrt" {
                return Command(program: .podrt(try PodmanToPodrt.map(words, repeatCount: repeatCount, cursor)), crashAtOp: crash)
            }
            return Command(program: .exec(ExecCommand(arguments: words.map(\.text), podman: true, repeatCount: repeatCount)),
                           crashAtOp: crash)
        }
        var name: String?
        var environment: [String] = []
        while let word = cursor.remaining.first, word.text == "as" || word.text == "env" {
            _ = try cursor.next(word.text)
            if word.text == "as" {
                guard name == nil else { throw cursor.error(at: word, found: "a second `as`", expected: "one `as NAME`") }
                name = try cursor.name(try cursor.next("the process's NAME after `as`"), "the NAME of `as NAME`")
            } else {
                let pair = try cursor.next("K=V after `env`")
                guard let (key, _) = WordCursor.pair(pair), !key.text.isEmpty else {
                    throw cursor.error(at: pair, expected: "K=V after `env` (a variable and its value)")
                }
                environment.append(pair.text)
            }
        }
        let arguments = cursor.remaining.map(\.text)
        guard let first = arguments.first else { throw cursor.error(at: nil, expected: "the COMMAND to run and its arguments") }
        guard first.hasPrefix("/") || !first.contains("/") else {
            throw cursor.error(at: cursor.remaining.first, expected: "an absolute path or a program name found on PATH")
        }
        return Command(program: .exec(ExecCommand(name: name, environment: environment, arguments: arguments, repeatCount: repeatCount)),
                       crashAtOp: crash)
    }

    /// `expect-output [stdout|stderr] contains|lacks TEXT`, `expect-file PATH exists|absent|contains|lacks [TEXT]`,
    /// `check-cmd CMD ARG…`.
    func foreignCheck(_ keyword: Word, _ cursor: inout WordCursor) throws -> SyntaxAction {
        func text(_ after: String) throws -> String {
            guard !cursor.atEnd else { throw cursor.error(at: nil, expected: "the TEXT after `\(after)`") }
            return cursor.remaining.map(\.text).joined(separator: " ")
        }
        switch keyword.text {
        case "expect-output":
            var stream = try cursor.next(oneOf: ["stdout", "stderr", "contains", "lacks"], "stdout, stderr, contains or lacks")
            var stderr = false
            if stream.text == "stdout" || stream.text == "stderr" {
                stderr = stream.text == "stderr"
                stream = try cursor.next(oneOf: ["contains", "lacks"], "contains or lacks")
            }
            return .expectOutput(ExpectOutput(stderr: stderr, contains: stream.text == "contains", text: try text(stream.text)))
        case "expect-file":
            let target = try cursor.absolutePath(try cursor.next("the PATH to test"), "the PATH to test")
            let test = try cursor.next(oneOf: ["exists", "absent", "contains", "lacks"], "a file test")
            switch test.text {
            case "exists", "absent":
                try cursor.end(after: "`expect-file PATH \(test.text)`")
                return .expectFile(ExpectFile(path: target, test: test.text == "exists" ? .exists : .absent))
            default:
                let wanted = try text(test.text)
                return .expectFile(ExpectFile(path: target, test: test.text == "contains" ? .contains(wanted) : .lacks(wanted)))
            }
        default:
            guard !cursor.atEnd else { throw cursor.error(at: nil, expected: "the COMMAND that must exit 0, and its arguments") }
            let words = cursor.remaining.map(\.text)
            return .checkCommand(words)
        }
    }
}

/// What a `podman …` line runs under `runtime: podrt`: the podrt command of the same meaning. Only the
/// commands the foreign scenarios use are mapped; anything else is an error at its word.
enum PodmanToPodrt {
    static let known = "create --name N, volume create N, pod create --name N, ps, rm [-f] N, volume rm [-f] N, pod rm [-f] N, "
        + "system renumber, system reset, import (podrt info)"

    static func map(_ words: [Word], repeatCount: Int, _ cursor: WordCursor) throws -> PodrtCommand {
        let texts = words.map(\.text)
        func unmapped(_ word: Word? = nil) -> ScenarioError {
            cursor.error(at: word ?? words[0], found: "`podman \(texts.joined(separator: " "))`, which has no podrt counterpart",
                         expected: "under `runtime: podrt`, one of: \(known)")
        }
        /// The value of `--name N` or `--name=N`.
        func named(_ rest: ArraySlice<String>) -> String? {
            if let at = rest.firstIndex(of: "--name"), at + 1 < rest.endIndex { return rest[at + 1] }
            return rest.first { $0.hasPrefix("--name=") }.map { String($0.dropFirst("--name=".count)) }
        }
        /// Positional words (not flags, nor a flag's value).
        func positional(_ rest: ArraySlice<String>) -> [String] { rest.filter { !$0.hasPrefix("-") } }
        func created(_ kind: PodrtObjectKind, _ name: String?) throws -> PodrtCommand {
            guard let name, !name.isEmpty else { throw unmapped() }
            if repeatCount > 1 || name.contains("{i}") {
                guard name.hasSuffix("{i}"), !name.dropLast(3).contains("{i}") else { throw unmapped() }
                return .createMany(kind, prefix: String(name.dropLast(3)), count: repeatCount)
            }
            switch kind {
            case .container:
                var volumes: [String] = []
                var pod: String?
                for (at, word) in texts.enumerated() where at + 1 < texts.count {
                    if word == "-v" || word == "--volume" { volumes.append(String(texts[at + 1].split(separator: ":")[0])) }
                    if word == "--pod" { pod = texts[at + 1] }
                }
                return .createContainer(name: name, pod: pod, volumes: volumes)
            case .pod: return .createPod(name)
            case .volume: return .createVolume(name)
            }
        }
        guard repeatCount == 1 || texts.contains("create") else { throw unmapped() }
        let rest = texts.dropFirst()
        func removal(_ kind: PodrtObjectKind, _ rest: ArraySlice<String>) throws -> PodrtCommand {
            let names = positional(rest)
            guard names.count == 1 else { throw unmapped() }
            return .remove(kind, name: names[0], force: rest.contains("-f") || rest.contains("--force"))
        }
        switch (texts[0], rest.first) {
        case ("create", _), ("container", "create"):
            return try created(.container, named(texts[0] == "create" ? rest : rest.dropFirst()))
        case ("volume", "create"): return try created(.volume, positional(rest.dropFirst()).first)
        case ("pod", "create"): return try created(.pod, named(rest.dropFirst()))
        case ("ps", _), ("container", "ls"), ("container", "list"): return .ps
        case ("rm", _): return try removal(.container, rest)
        case ("volume", "rm"): return try removal(.volume, rest.dropFirst())
        case ("pod", "rm"): return try removal(.pod, rest.dropFirst())
        // podrt has no images (its containers run /var/lib/rootfs): an import maps to a command that changes
        // nothing, and the image a create names is ignored.
        case ("import", _), ("image", "import"): return .info
        case ("system", "renumber"): return .renumber
        case ("system", "reset"): return .reset
        default: throw unmapped()
        }
    }
}
