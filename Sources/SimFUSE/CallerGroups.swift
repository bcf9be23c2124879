import Glibc

extension Caller {
    /// The supplementary groups of the thread `pid` (the "Groups:" line of its /proc status, which is
    /// where libfuse's `fuse_req_getgroups` reads them); none when the thread is gone. By pid rather than
    /// request, so it stays safe to call after the request was answered.
    static func groups(of pid: Int32) -> [UInt32] {
        guard pid > 0 else { return [] }
        let fd = Glibc.open("/proc/\(pid)/task/\(pid)/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { Glibc.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Groups:") }) else { return [] }
        let words = line.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" })
        return words.compactMap { UInt32($0) }
    }
}
