// One fuzz input = the bytes of a scenario file, decoded as `Scenario.load` decodes them for `bootsim run`. The
// strict parser (Syntax/, linked) must return steps or throw a ScenarioError at a FILE:LINE:COLUMN inside the
// text, never trap; and what it returns must convert as `Scenario.faultRule` converts it (its errno and op
// names known). A violated invariant is a precondition failure, which libFuzzer reports as a crash.
import Core

/// The vocabulary of `ScenarioVocabulary.simulation`: errno names and ops from the same (linked) tables; the
/// invariant and catalogue names as they are today (they only decide which words are valid, not which code runs).
let vocabulary = ScenarioVocabulary(
    errnoNames: Errno.knownNames.split(separator: " ").map(String.init),
    ops: SimOp.allCases.filter { !$0.isMountRequest && ![.reboot, .powerLoss, .processExit].contains($0) }.map(\.description),
    mountRequests: SimOp.allCases.filter(\.isMountRequest).map(\.description),
    invariants: ["E1", "G1", "G2", "G3", "I1", "I2", "I3", "I4", "I5", "I6", "I7", "P1", "P2", "P3", "P4"],
    catalogue: ["volume-locks-not-reserved", "duplicate-lock-ids", "stale-shm-alive-gone", "alive-deleted-while-running",
                "tmpdir-not-on-tmpfs", "alive-lock-released-early", "renumber-erange", "renumber-forgets-volumes",
                "num-locks-rounding", "failed-create-leaks-lock", "alive-before-refresh", "keydev-percent-unescaped",
                "database-without-dir-fsync", "synchronous-off", "refresh-keeps-running"],
    maxNumLocks: 1048576)  // RuntimeConfig.maxNumLocks

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = SourceLine.lines(of: text)
    /// A place the text has: a line of the file (line 1 of an empty one), a column up to just after its end.
    func inside(_ line: Int, _ column: Int) -> Bool {
        guard line >= 1, line <= max(lines.count, 1), column >= 1 else { return false }
        return column <= (lines.isEmpty ? 1 : lines[line - 1].endColumn)
    }
    let syntax: ScenarioSyntax
    do {
        syntax = try ScenarioParser(vocabulary: vocabulary).parse(text, path: "fuzz.scenario")
    } catch let error as ScenarioError {
        precondition(inside(error.line, error.column), "error outside the text (\(lines.count) lines): \(error)")
        precondition(!error.found.isEmpty && !error.expected.isEmpty, "an error that says nothing: \(error)")
        precondition(error.description.hasPrefix("fuzz.scenario:\(error.line):\(error.column): "), "\(error)")
        return 0
    } catch {
        preconditionFailure("not a ScenarioError: \(error)")
    }
    precondition(!syntax.steps.isEmpty, "a scenario without steps parsed")
    for step in syntax.steps {
        precondition(step.line >= 1 && step.line <= lines.count, "a step on line \(step.line) of \(lines.count)")
        if case let .fault(spec) = step.action {
            if case let .errno(name) = spec.effect { precondition(Errno(name: name) != nil, "unknown errno \(name)") }
            if let op = spec.op { precondition(SimOp(name: op).map { !$0.isMountRequest } == true, "bad op \(op)") }
        }
    }
    for reference in syntax.fixtureReferences {
        precondition(inside(reference.line, reference.column) && !reference.name.isEmpty, "fixture \(reference)")
    }
    return 0
}
