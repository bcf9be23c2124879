// One fuzz input = the bytes of a containers.conf. The TOML reader must return entries or throw a TOMLError
// naming a line of the file, never trap, and applying the entries to a configuration must succeed or throw a
// ConfigError. A violated invariant is a precondition failure, which libFuzzer reports as a crash.


@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    let entries: [TOMLEntry]
    do {
        entries = try parseTOML(text, file: "fuzz.conf")
    } catch let error as TOMLError {
        precondition(error.line >= 1 && error.line <= lines, "error on line \(error.line) of \(lines): \(error)")
        return 0
    } catch {
        preconditionFailure("not a TOMLError: \(error)")
    }
    for entry in entries { precondition(entry.line >= 1 && entry.line <= lines, "entry on line \(entry.line) of \(lines)") }
    var config = RuntimeConfig()
    do { try config.apply(entries, file: "fuzz.conf") } catch is ConfigError {} catch {
        preconditionFailure("not a ConfigError: \(error)")
    }
    return 0
}
