import Core
import Testing

/// `access(2)` as root (the suite's caller): existence, and CAP_DAC_OVERRIDE with its one limit, execute
/// of a file that has no execute bit. PosixParityTests covers non-root callers on the mount.
@Suite("FileSystem contract: access")
struct AccessTests {
    @Test("access as root: read and write always, execute only with an execute bit on a file", arguments: ContractBackend.all)
    func accessAsRoot(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/f", "x")
            try fs.chmod("/t/f", permissions: FilePermissions(rawValue: 0o000))
            try fs.mkdir("/t/d", permissions: FilePermissions(rawValue: 0o755))
            try fs.chmod("/t/d", permissions: FilePermissions(rawValue: 0o000))
            try fs.symlink("f", at: "/t/l")
            try fs.access("/t/f", [], follow: true)
            try fs.access("/t/f", [.read, .write], follow: true)
            #expect(throws: Errno.permissionDenied) { try fs.access("/t/f", .execute, follow: true) }
            try fs.chmod("/t/f", permissions: FilePermissions(rawValue: 0o001))
            try fs.access("/t/f", [.read, .write, .execute], follow: true)
            try fs.access("/t/l", .execute, follow: true)
            try fs.access("/t/d", [.read, .write, .execute], follow: true)
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.access("/t/none", [], follow: true) }
            #expect(throws: Errno.noSuchFileOrDirectory) { try fs.access("/t/none/x", .read, follow: true) }
            #expect(throws: Errno.notDirectory) { try fs.access("/t/f/x", [], follow: true) }
        }
    }
}
