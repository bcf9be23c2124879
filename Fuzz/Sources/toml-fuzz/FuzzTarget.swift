// One fuzz input = the bytes of a containers.conf. The TOML reader must return a document or throw a TOMLError
// naming a line and column inside the file, never trap; applying the document to a configuration must succeed or
// throw a ConfigError naming a line of the file; and every key's line must be one of the file's lines.


@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let lines = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    let document: TOMLTable
    do {
        document = try parseTOML(bytes: bytes, file: "fuzz.conf")
    } catch let error as TOMLError {
        precondition(error.line >= 1 && error.line <= lines && error.column >= 1, "error at \(error.line):\(error.column) of \(lines) lines: \(error)")
        return 0
    } catch {
        preconditionFailure("not a TOMLError: \(error)")
    }
    checkLines(document, lines: lines)
    var config = RuntimeConfig()
    do {
        let setAt = try config.apply(document, file: "fuzz.conf")
        try config.checkRuntime(setAt: setAt)
    } catch let error as ConfigError {
        precondition(error.line.map { $0 >= 1 && $0 <= lines } ?? true, "config error outside the file: \(error)")
    } catch {
        preconditionFailure("not a ConfigError: \(error)")
    }
    return 0
}

func checkLines(_ table: TOMLTable, lines: Int) {
    for key in table.keys {
        let line = table.line(of: key)!
        precondition(line >= 1 && line <= lines, "key \(key) on line \(line) of \(lines)")
        if case let .table(inner)? = table[key] { checkLines(inner, lines: lines) }
    }
}
