import Core
import Glibc
import Testing

/// What a caller that is not root may not do (uid 1001; on the host and over FUSE this thread's fsuid, see
/// `ContractWorld.asUser`): read, write and search permission, sticky directories, and the owner's rights.
/// Over FUSE in the default mode (default_permissions) the kernel refuses first; SimFS's checks agree.
@Suite("FileSystem contract: refusals of a non-root caller")
struct PermissionRefusalTests {
    func mode(_ bits: mode_t) -> FilePermissions { FilePermissions(rawValue: bits) }

    @Test("open, create, lookup, remove in a sticky directory, truncate, chmod, chown and utimensat as uid 1001",
          arguments: ContractBackend.all)
    func refusals(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            // A mount of a host directory creates everything as its server, root: nothing is a user's own.
            guard let asUser = world.asUser else { return }
            let fs = world.fs
            // The host's scratch root is 0700; a mount's root may not be changed (it is its server's).
            try? fs.chmod("/", permissions: mode(0o755))
            try #require(try fs.lstat("/").permissions.rawValue & 0o005 == 0o005)
            try fs.mkdir("/t", permissions: mode(0o777))
            try fs.chmod("/t", permissions: mode(0o777))
            for name in ["priv", "ro", "sticky", "noread"] { try fs.mkdir("/t/" + name, permissions: mode(0o755)) }
            for name in ["priv/f", "ro/f", "sticky/mine", "secret", "readonly"] { try fs.put("/t/" + name, "data") }
            try fs.chmod("/t/priv", permissions: mode(0o700))
            try fs.chmod("/t/ro", permissions: mode(0o555))
            try fs.chmod("/t/sticky", permissions: mode(0o1777))
            try fs.chmod("/t/noread", permissions: mode(0o311))
            try fs.chmod("/t/secret", permissions: mode(0o600))
            let write: OpenOptions = .write
            try asUser(1001, 1001) {
                #expect(throws: Errno.permissionDenied) { try fs.open("/t/secret", .read) }
                #expect(throws: Errno.permissionDenied) { try fs.open("/t/readonly", write) }
                #expect(throws: Errno.permissionDenied) { try fs.open("/t/readonly", [.read, .truncate]) }
                #expect(throws: Errno.permissionDenied) { try fs.truncate("/t/readonly", to: 0) }
                #expect(try fs.text("/t/readonly") == "data")
                #expect(throws: Errno.permissionDenied) { try fs.open("/t/ro/new", [.write, .create]) }
                #expect(throws: Errno.fileExists) { try fs.open("/t/ro/f", [.write, .create, .exclusive]) }
                #expect(throws: Errno.permissionDenied) { try fs.mkdir("/t/ro/d", permissions: mode(0o755)) }
                #expect(throws: Errno.permissionDenied) { try fs.symlink("x", at: "/t/ro/l") }
                #expect(throws: Errno.permissionDenied) { try fs.rename("/t/ro/f", to: "/t/ro/g") }
                #expect(throws: Errno.permissionDenied) { try fs.unlink("/t/ro/f") }
                #expect(throws: Errno.permissionDenied) { try fs.lstat("/t/priv/f") }
                #expect(throws: Errno.permissionDenied) { try fs.readdir("/t/priv") }
                #expect(throws: Errno.permissionDenied) { try fs.readdir("/t/noread") }
                #expect(throws: Errno.noSuchFileOrDirectory) { try fs.lstat("/t/noread/none") }
                #expect(throws: Errno.notPermitted) { try fs.unlink("/t/sticky/mine") }
                #expect(throws: Errno.notPermitted) { try fs.rename("/t/sticky/mine", to: "/t/sticky/x") }
                try fs.put("/t/sticky/own", "x")
                try fs.rename("/t/sticky/own", to: "/t/sticky/own2")
                try fs.unlink("/t/sticky/own2")
                #expect(throws: Errno.notPermitted) { try fs.chmod("/t/readonly", permissions: mode(0o777)) }
                #expect(throws: Errno.notPermitted) { try fs.chown("/t/readonly", uid: 1001, gid: UInt32.max) }
                #expect(throws: Errno.notPermitted) { try fs.chown("/t/readonly", uid: UInt32.max, gid: 1001) }
                #expect(throws: Errno.notPermitted) {
                    try fs.setTimes("/t/readonly", access: .to(WallTime(seconds: 5)), modification: .omit, follow: true)
                }
                #expect(throws: Errno.permissionDenied) {
                    try fs.setTimes("/t/readonly", access: .now, modification: .now, follow: true)
                }
                // access(2) asks with the real uid, which a thread's fsuid does not change: PosixParityTests and
                // SimFSTests' PermissionTests cover it for a caller that is not root.
            }
            #expect(try fs.lstat("/t/sticky/mine").uid == 0)
            #expect(try fs.names("/t/sticky") == ["mine"])
        }
    }
}
