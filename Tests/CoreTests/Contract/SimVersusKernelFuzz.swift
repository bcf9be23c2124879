// The same random calls on the kernel (in a scratch directory) and on SimFS (at the same absolute paths):
// every result and errno must agree. The first difference in a seed is reported with the tree it happened in.
@testable import Core
import SimFS
import Glibc
import Testing

@Suite("SimFS against the kernel (plain and anchored paths): random calls")
struct SimVersusKernelFuzz {
    @Test("200 seeds × 300 random calls agree, node types, owners, times and sizes included") func randomCallsAgree() throws {
        var total = 0
        var mismatches: [String] = []
        for seed in 0..<200 as Range<UInt64> {
            let base = try Scratch.makeDirectory()
            defer { Scratch.remove(base) }
            umask(0o022)
            // Odd seeds resolve below the scratch directory from an anchor descriptor, as the generator does.
            let host = seed % 2 == 0 ? HostFileSystem() : HostFileSystem(anchors: [base])
            if seed % 2 == 1 { #expect(host.anchors.count == 1) }
            let world = SimWorld(seed: seed)
            let sim = world.machine(for: world.spawn(name: "diff")).fileSystem
            try sim.makeDirectories(base, permissions: FilePermissions(rawValue: 0o700))
            var state = seed &* 6364136223846793005 &+ 1442695040888963407
            func next(_ n: Int) -> Int {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Int((state >> 33) % UInt64(n))
            }
            let names = ["a", "b", "c", "d", "a/b", "a/c", "b/a", "x/y", ".", "a/.", "a/..", "l", "l/a", "m", "l/"]
            func path() -> String {
                var p = base + "/" + names[next(names.count)]
                if next(6) == 0 { p += "/" }
                return p
            }
            var hostFDs: [Descriptor] = []
            var simFDs: [Descriptor] = []
            for step in 0..<300 {
                let op = next(26)
                let fdPick = next(8)
                let p1 = path(), p2 = path()
                let noReplace = next(3) == 0
                func run(_ fs: any FileSystem, _ fds: inout [Descriptor]) -> String {
                    do {
                        switch op {
                        case 0: try fs.mkdir(p1, permissions: FilePermissions(rawValue: 0o755)); return "ok"
                        case 1: try fs.rmdir(p1); return "ok"
                        case 2: try fs.unlink(p1); return "ok"
                        case 3: try fs.rename(p1, to: p2, noReplace: noReplace); return "ok"
                        case 4: try fs.link(p1, at: p2); return "ok"
                        case 5:
                            let targets = ["a", "b", "x/y", base + "/c", "nowhere", "l", "a/b"]
                            try fs.symlink(targets[step % targets.count], at: p1); return "ok"
                        case 6:
                            var options: OpenOptions = []
                            let bits = step * 7 + op
                            options.insert(bits % 3 == 0 ? .read : (bits % 3 == 1 ? .write : .readWrite))
                            if bits & 8 != 0 { options.insert(.create) }
                            if bits & 16 != 0 { options.insert(.exclusive) }
                            if bits & 32 != 0 { options.insert(.truncate) }
                            if bits & 64 != 0 { options.insert(.directory) }
                            if bits & 128 != 0 { options.insert(.noFollow) }
                            if bits & 256 != 0 { options.insert(.append) }
                            let fd = try fs.open(p1, options)
                            fds.append(fd)
                            return "ok"
                        case 7:
                            let s = try fs.stat(p1); return "\(s.kind) \(s.kind == .directory ? 0 : s.size) \(s.permissions.rawValue) \(s.kind == .directory ? 0 : s.linkCount) \(s.uid):\(s.gid) \(s.specialDevice)"
                        case 8:
                            let s = try fs.lstat(p1); return "\(s.kind) \(s.kind == .directory ? 0 : s.size) \(s.kind == .directory ? 0 : s.linkCount)"
                        case 9: return try fs.readlink(p1)
                        case 10: return try fs.readdir(p1).map(\.name).sorted().joined(separator: ",")
                        case 11: try fs.truncate(p1, to: Int64(step % 5)); return "ok"
                        case 12: return try fs.realpath(p1)
                        case 13:
                            let fd = try fs.open(p1, [.write, .create, .append])
                            defer { try? fs.close(fd) }
                            try fs.writeAll(fd, Array("x\(step)".utf8)); return "ok"
                        case 14:
                            return String(decoding: try fs.readFile(p1), as: UTF8.self)
                        // Node types, owners, times and sizes.
                        case 21:
                            // No FIFOs, sockets or devices: the other calls would open them, which SimFS does not
                            // model (ENXIO), and a FIFO's open blocks. The contract suite makes them.
                            let kinds: [FileKind] = [.regular, .directory, .symbolicLink]
                            let kind = kinds[step % kinds.count]
                            try fs.mknod(p1, kind: kind, permissions: FilePermissions(rawValue: 0o640), device: 0x0105)
                            let s = try fs.lstat(p1); return "\(s.kind) \(s.permissions.rawValue) \(s.specialDevice)"
                        case 22:
                            let ids: [UInt32] = [UInt32.max, 0, 1001, 1002]
                            let uid = ids[step % 4], gid = ids[(step / 4) % 4]
                            if step % 3 == 0 { try fs.lchown(p1, uid: uid, gid: gid) } else { try fs.chown(p1, uid: uid, gid: gid) }
                            let s = try fs.lstat(p1); return "\(s.uid):\(s.gid) \(s.permissions.rawValue)"
                        case 23:
                            let changes: [TimeChange] = [.omit, .to(WallTime(seconds: 1_000_000_000 + Int64(step), nanoseconds: 123_456_789)),
                                                         .to(WallTime(seconds: 5, nanoseconds: 999_999_999))]
                            let follow = step % 2 == 0
                            try fs.setTimes(p1, access: changes[step % 3], modification: changes[(step / 3) % 3], follow: follow)
                            let s = follow ? try fs.stat(p1) : try fs.lstat(p1)
                            // Only times set explicitly compare: the host's clock is not the simulation's.
                            func shown(_ change: TimeChange, _ time: WallTime) -> String {
                                if case .to = change { return "\(time.seconds).\(time.nanoseconds)" }
                                return "-"
                            }
                            return shown(changes[step % 3], s.accessTime) + " " + shown(changes[(step / 3) % 3], s.modificationTime)
                        case 24:
                            try fs.chmod(p1, permissions: FilePermissions(rawValue: [0o4755, 0o2755, 0o2745, 0o1777, 0o6711][step % 5]))
                            let s = try fs.stat(p1); return "\(s.permissions.rawValue)"
                        case 25:
                            try fs.truncate(p1, to: [1 << 40, 999_999_999_999, 3][step % 3])
                            let fd = try fs.open(p1, .readWrite)
                            defer { try? fs.close(fd) }
                            try fs.pwrite(fd, "tail", at: 1 << 16)
                            let s = try fs.fstat(fd)
                            let seen = "\(s.size) \(try fs.pread(fd, count: 6, at: (1 << 16) - 1)) \(try fs.pread(fd, count: 3, at: s.size - 2))"
                            // Back to a small size: appends past 1 GiB are a documented SimFS limit (ENOSPC).
                            try fs.ftruncate(fd, to: 5)
                            return seen
                        default:
                            guard !fds.isEmpty else { return "no fd" }
                            let fd = fds[fdPick % fds.count]
                            switch op {
                            case 15: return "\(try fs.write(fd, "w\(step)"))"
                            case 16: return String(decoding: try fs.pread(fd, count: 8, at: Int64(step % 4)), as: UTF8.self)
                            case 17: try fs.ftruncate(fd, to: Int64(step % 6)); return "ok"
                            case 18: let st = try fs.fstat(fd); return "\(st.kind) \(st.kind == .directory ? 0 : st.size) \(st.kind == .directory ? 0 : st.linkCount)"
                            case 19: return try fs.read(fd, count: 5)
                            default:
                                try fs.close(fd)
                                fds.removeAll { $0 == fd }
                                return "closed"
                            }
                        }
                    } catch let e as Errno {
                        return "errno \(e.rawValue)"
                    } catch {
                        return "other \(error)"
                    }
                }
                let a = run(host, &hostFDs)
                let b = run(sim, &simFDs)
                total += 1
                if a != b {
                    mismatches.append("seed \(seed) step \(step) op \(op) \(p1.replacingBase(base)) \(p2.replacingBase(base)): host \(a.replacingBase(base)) sim \(b.replacingBase(base))")
                    if mismatches.count <= 6 {
                        var listing: [String] = []
                        func walk(_ d: String) {
                            for e in (try? host.readdir(d)) ?? [] {
                                let p = d + "/" + e.name
                                if e.kind == .symbolicLink { listing.append(p.replacingBase(base) + " -> " + ((try? host.readlink(p)) ?? "?").replacingBase(base)) }
                                else { listing.append(p.replacingBase(base) + " \(e.kind)") }
                                if e.kind == .directory { walk(p) }
                            }
                        }
                        walk(base)
                        mismatches.append("   tree: " + listing.sorted().joined(separator: "; "))
                    }
                    break
                }
            }
            for fd in hostFDs { try? host.close(fd) }
        }
        #expect(total == 200 * 300)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20).joined(separator: "\n"))")
    }
}

extension String {
    func replacingBase(_ base: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: base) {
            result += rest[..<range.lowerBound] + "$B"
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
