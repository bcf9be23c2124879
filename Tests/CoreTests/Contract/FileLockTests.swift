import Core
import Testing

/// flock(2): whole-file advisory locks owned by open file descriptions.
@Suite("FileSystem contract: flock")
struct FileLockTests {
    @Test("two exclusive locks conflict: the second is EWOULDBLOCK without waiting", arguments: ContractBackend.all)
    func exclusiveConflict(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/lock", "")
            let first = try fs.open("/t/lock", .read)
            let second = try fs.open("/t/lock", .read)
            defer { try? fs.close(first); try? fs.close(second) }
            try fs.flock(first, .exclusive, wait: false)
            #expect(throws: Errno.wouldBlock) { try fs.flock(second, .exclusive, wait: false) }
            #expect(throws: Errno.wouldBlock) { try fs.flock(second, .shared, wait: false) }
        }
    }

    @Test("shared locks coexist, and keep out an exclusive one", arguments: ContractBackend.all)
    func sharedLocks(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/lock", "")
            let first = try fs.open("/t/lock", .read)
            let second = try fs.open("/t/lock", .read)
            let third = try fs.open("/t/lock", .read)
            defer { try? fs.close(first); try? fs.close(second); try? fs.close(third) }
            try fs.flock(first, .shared, wait: false)
            try fs.flock(second, .shared, wait: true)
            #expect(throws: Errno.wouldBlock) { try fs.flock(third, .exclusive, wait: false) }
        }
    }

    @Test("unlock lets another description take the lock", arguments: ContractBackend.all)
    func unlockReleases(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/lock", "")
            let first = try fs.open("/t/lock", .read)
            let second = try fs.open("/t/lock", .read)
            defer { try? fs.close(first); try? fs.close(second) }
            try fs.flock(first, .exclusive, wait: false)
            try fs.flock(first, .unlock, wait: false)
            try fs.flock(second, .exclusive, wait: false)
        }
    }

    @Test("closing the descriptor releases its lock", arguments: ContractBackend.all)
    func closeReleases(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/lock", "")
            let first = try fs.open("/t/lock", .read)
            let second = try fs.open("/t/lock", .read)
            defer { try? fs.close(second) }
            try fs.flock(first, .exclusive, wait: false)
            try fs.close(first)
            try fs.flock(second, .exclusive, wait: true)
        }
    }

    @Test("one description can relock and convert between shared and exclusive", arguments: ContractBackend.all)
    func convert(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/lock", "")
            let first = try fs.open("/t/lock", .read)
            let second = try fs.open("/t/lock", .read)
            defer { try? fs.close(first); try? fs.close(second) }
            try fs.flock(first, .shared, wait: false)
            try fs.flock(first, .exclusive, wait: false)
            try fs.flock(first, .exclusive, wait: false)
            #expect(throws: Errno.wouldBlock) { try fs.flock(second, .shared, wait: false) }
            try fs.flock(first, .shared, wait: false)
            try fs.flock(second, .shared, wait: false)
        }
    }

    @Test("locks belong to the file, not the name: a hard link shares them", arguments: ContractBackend.all)
    func lockFollowsInode(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/lock", "")
            try fs.link("/t/lock", at: "/t/other")
            let first = try fs.open("/t/lock", .read)
            let second = try fs.open("/t/other", .read)
            defer { try? fs.close(first); try? fs.close(second) }
            try fs.flock(first, .exclusive, wait: false)
            #expect(throws: Errno.wouldBlock) { try fs.flock(second, .exclusive, wait: false) }
        }
    }

    @Test("locks on different files do not conflict; a directory can be locked", arguments: ContractBackend.all)
    func separateFiles(_ backend: ContractBackend) throws {
        try backend.withFS { fs in
            try fs.put("/t/a", "")
            try fs.put("/t/b", "")
            let a = try fs.open("/t/a", .read)
            let b = try fs.open("/t/b", .read)
            let directory = try fs.open("/t", [.read, .directory])
            defer { try? fs.close(a); try? fs.close(b); try? fs.close(directory) }
            try fs.flock(a, .exclusive, wait: false)
            try fs.flock(b, .exclusive, wait: false)
            try fs.flock(directory, .exclusive, wait: false)
        }
    }
}
