/// The container words (scenarios/README.md, "Containers"): `podrt start|run|stop|kill NAME` run podrt's
/// real start, stop and kill paths over the machine's OCI runtime, and the step `exit NAME CODE` makes a
/// running container's process exit, as if its command had ended.
enum ContainerGrammar {
    static let commands = ["start", "run", "stop", "kill"]
}

extension ParseRun {
    /// `start NAME`, `run NAME [exit=N]`, `stop NAME`, `kill NAME` (after `podrt`).
    func containerCommand(_ verb: Word, _ cursor: inout WordCursor) throws -> PodrtCommand {
        let name = try cursor.name(try cursor.next("the container's NAME"), "the container's NAME")
        switch verb.text {
        case "run":
            var code: Int?
            if !cursor.atEnd {
                let word = try cursor.next("exit=N")
                guard let (key, value) = WordCursor.pair(word), key.text == "exit" else {
                    throw cursor.error(at: word, expected: "exit=N (the code its command exits with at once) or the line's end",
                                       suggestion: Spelling.nearest(WordCursor.pair(word)?.key.text ?? word.text, in: ["exit"]).map { $0 + "=…" })
                }
                code = try cursor.wholeNumber(value, in: 0...255, "the exit code N of exit=N")
            }
            try cursor.end(after: "`run NAME [exit=N]`")
            return .run(name, exitCode: code)
        case "stop":
            try cursor.end(after: "`stop NAME`")
            return .stop(name)
        case "kill":
            try cursor.end(after: "`kill NAME`")
            return .kill(name)
        default:
            try cursor.end(after: "`start NAME`")
            return .start(name)
        }
    }

    /// The step `exit NAME CODE`.
    func containerExit(_ cursor: inout WordCursor) throws -> SyntaxAction {
        let name = try cursor.name(try cursor.next("the container's NAME"), "the container's NAME")
        let code = try cursor.wholeNumber(try cursor.next("the exit CODE (0 to 255)"), in: 0...255, "the exit CODE")
        try cursor.end(after: "`exit NAME CODE`")
        return .containerExit(name: name, code: Int32(code))
    }
}
