// mutex-holder ROOT PATH INDEX MODE: a real separate process for the contract suite's owner-died cases.
// It opens the segment at PATH (under ROOT) through HostMutexSegments, locks mutex INDEX, and sets byte 0
// of the data area to 1 to say so. MODE `exit` then exits without unlocking; MODE `hold` waits to be killed.
import Core
import Glibc

/// Writes `message` to standard error and exits with `status`.
func fail(_ message: String, status: Int32) -> Never {
    let line = Array((message + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(status)
}

let arguments = CommandLine.arguments
guard arguments.count == 5, let index = Int(arguments[3]), ["exit", "hold"].contains(arguments[4]) else {
    fail("usage: mutex-holder ROOT PATH INDEX exit|hold", status: 2)
}
do {
    let segment = try HostMutexSegments(root: arguments[1]).open(arguments[2])
    _ = try segment.lock(index)
    try [UInt8(1)].withUnsafeBytes { try segment.writeData(at: 0, $0) }
    print("locked")
    if arguments[4] == "hold" {
        while true { pause() }
    }
    exit(0)  // still holding the mutex
} catch {
    fail("mutex-holder: \(error)", status: 1)
}
