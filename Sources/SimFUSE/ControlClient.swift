import Glibc

/// The client side of the control channel: one connection per command. The words go out separated by
/// NUL bytes, then the write side is shut; the answer is a status line and text.
public enum ControlClient {
    public struct Answer: Sendable {
        public var status: Int32
        public var text: String
    }

    /// Connects to the control socket of the mount at `mountPoint`; nil (with errno set) when nothing
    /// answers there.
    static func connect(socket path: String) -> Int32? {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        let result = SocketIO.withAddress(path) { Glibc.connect(fd, $0, $1) }
        guard result == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Whether a server answers on the socket at `path`.
    public static func answers(at path: String) -> Bool {
        guard let fd = connect(socket: path) else { return false }
        close(fd)
        return true
    }

    /// Sends `words` to the mount at `mountPoint` and waits for the answer.
    public static func send(_ words: [String], to mountPoint: String) throws -> Answer {
        let normalized = ControlPaths.normalize(mountPoint)
        let path = ControlPaths.socket(for: normalized)
        guard let fd = connect(socket: path) else {
            throw MountError("\(normalized) is not a bootsim mount (nothing answers on \(path))")
        }
        defer { close(fd) }
        var message: [UInt8] = []
        for word in words { message += Array(word.utf8) + [0] }
        guard SocketIO.writeAll(fd, message) else { throw MountError("lost the control connection to \(normalized)") }
        shutdown(fd, Int32(SHUT_WR))
        let reply = SocketIO.readAll(fd)
        guard let newline = reply.firstIndex(of: UInt8(ascii: "\n")),
              let status = Int32(String(decoding: reply[..<newline], as: UTF8.self)) else {
            throw MountError("the server of \(normalized) closed the connection without an answer")
        }
        return Answer(status: status, text: String(decoding: reply[(newline + 1)...], as: UTF8.self))
    }
}
