// One fuzz input = the bytes of one JSON text (an events-log line, a config column). The reader must parse it
// or throw a JSONSyntaxError, never trap; what it parses must serialize, compact and indented, and parse back
// to the same value; and a value that is an event must print and round-trip as one. A violated invariant is a
// precondition failure, which libFuzzer reports as a crash.


@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let value: JSON
    do {
        value = try JSON.parse(bytes: bytes)
    } catch let error as JSONSyntaxError {
        precondition(error.offset >= 0 && error.offset <= bytes.count, "offset \(error.offset) outside the input")
        precondition(error.line >= 1 && error.column >= 1, "line or column below 1: \(error)")
        _ = error.description
        return 0
    } catch {
        preconditionFailure("not a JSONSyntaxError: \(error)")
    }
    for text in [value.serialized(), value.prettyPrinted()] {
        guard let again = try? JSON.parse(text) else { preconditionFailure("what was written does not read: \(text)") }
        precondition(again == value, "round trip changed \(value.serialized()) into \(again.serialized())")
    }
    if let event = Event(json: value) {
        _ = event.text
        precondition(Event(json: event.json) == event, "event round trip changed \(event)")
    }
    return 0
}
