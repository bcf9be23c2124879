/// Saving a world to bytes and loading it back.
///
/// Format (all integers little-endian; `str` and `bytes` are a u32 length and the bytes; `[x]` is a u32
/// count and the items):
/// ```
/// "SIMWORLD" u32 version=2 (version 1 lacks the three fields after subdirs, and loads with them 0)
/// u64 seed, str commandLine, u64 bootCount, str bootID
/// u64 nextInode, u64 rootID, [u8 region u64 inode] regionRoots, u64 cmdlineInode, u64 bootIDInode
/// [inode]: u64 id, u8 region, u8 kind, u32 mode, u32 uid, u32 gid, i64 links, 3 × (i64 s, i64 ns) times,
///          bytes data, bytes durableData, u8 dirty, str target, [str name u64 inode] entries,
///          [str u64] durableEntries, u64 parent, str name, i64 durableLinks, i64 pendingLinks, i64 subdirs,
///          i64 hole, i64 durableHole, u64 rdev
/// [change]: [u64 directory, str name, u64 inode] slots, [u64] directories
/// u64 monotonic, i64 wallAtBoot, u64 opCost
/// [fault]: i64 id, u8 op (255 = any), str glob, u8 trigger (0 nth, 1 probability, 2 always), u64 value
///          (n, or the Double's bits), u8 effect (0 errno, 1 latency), u64 value, i64 pid (-1 = any), i64 matches
/// i64 nextFaultID, u64 faultRandom
/// u64 firstSequence, u64 traceHash, i64 capacity, [i32 pid, str name, u8 op, i32 errno, str path, str path2] log
/// [u64 inode, bytes data, [u8 ownerDied]] segments
/// i32 nextPid
/// ```
extension SimWorld {
    static let magic = Array("SIMWORLD".utf8)

    /// The world saved to bytes (see the format above). Processes are not saved.
    public func serialized() -> [UInt8] {
        let image = lock.withLock { makeImage() }
        var out = ByteWriter()
        out.raw(Self.magic)
        out.u32(2)
        out.u64(image.seed); out.str(image.commandLine); out.u64(image.bootCount); out.str(image.bootID)
        out.u64(image.nextInode); out.u64(image.rootID)
        let roots = image.regionRoots.sorted { $0.key.rawValue < $1.key.rawValue }
        out.u32(UInt32(roots.count))
        for (region, id) in roots { out.u8(region.rawValue); out.u64(id) }
        out.u64(image.procFiles.cmdline); out.u64(image.procFiles.bootID)
        out.u32(UInt32(image.inodes.count))
        for node in image.inodes {
            out.u64(node.id); out.u8(node.region.rawValue); out.u8(Self.kinds.firstIndex(of: node.kind).map(UInt8.init)!)
            out.u32(node.permissions); out.u32(node.uid); out.u32(node.gid); out.i64(Int64(node.linkCount))
            for time in [node.accessTime, node.modificationTime, node.changeTime] {
                out.i64(time.seconds); out.i64(time.nanoseconds)
            }
            out.bytes(node.data); out.bytes(node.durableData); out.u8(node.dataDirty ? 1 : 0); out.str(node.target)
            out.entries(node.entries); out.entries(node.durableEntries)
            out.u64(node.parent); out.str(node.name)
            out.i64(Int64(node.durableLinks)); out.i64(Int64(node.pendingLinks)); out.i64(Int64(node.subdirectoryCount))
            out.i64(node.hole); out.i64(node.durableHole); out.u64(node.specialDevice)
        }
        out.u32(UInt32(image.pending.count))
        for change in image.pending {
            out.u32(UInt32(change.slots.count))
            for slot in change.slots { out.u64(slot.directory); out.str(slot.name); out.u64(slot.inode) }
            out.u32(UInt32(change.directories.count))
            for id in change.directories { out.u64(id) }
        }
        out.u64(image.monotonic); out.i64(image.wallAtBoot); out.u64(image.opCost)
        out.u32(UInt32(image.faults.count))
        for fault in image.faults {
            let rule = fault.rule
            out.i64(Int64(fault.id)); out.u8(rule.op?.rawValue ?? 255); out.str(rule.path)
            switch rule.trigger {
            case .nth(let n): out.u8(0); out.u64(UInt64(n))
            case .probability(let p): out.u8(1); out.u64(p.bitPattern)
            case .always: out.u8(2); out.u64(0)
            }
            switch rule.effect {
            case .error(let errno): out.u8(0); out.u64(UInt64(UInt32(bitPattern: errno.rawValue)))
            case .latency(let nanoseconds): out.u8(1); out.u64(nanoseconds)
            }
            out.i64(Int64(rule.pid?.rawValue ?? -1)); out.i64(Int64(fault.matches))
        }
        out.i64(Int64(image.nextFaultID)); out.u64(image.faultRandom.state)
        out.u64(image.log.firstSequence); out.u64(image.log.hash)
        out.i64(image.log.capacity == Int.max ? -1 : Int64(image.log.capacity))
        out.u32(UInt32(image.log.records.count))
        for record in image.log.records {
            out.u32(UInt32(bitPattern: record.pid.rawValue)); out.str(record.processName); out.u8(record.op.rawValue)
            out.u32(UInt32(bitPattern: record.errno)); out.str(record.path); out.str(record.path2)
        }
        out.u32(UInt32(image.segments.count))
        for segment in image.segments {
            out.u64(segment.inode); out.bytes(segment.data)
            out.u32(UInt32(segment.ownerDied.count))
            for died in segment.ownerDied { out.u8(died ? 1 : 0) }
        }
        out.u32(UInt32(bitPattern: image.nextPid))
        return out.buffer
    }

    /// Loads a world saved by `serialized()`. EBADMSG if the bytes are not one.
    public convenience init(serialized bytes: [UInt8]) throws {
        var input = ByteReader(bytes)
        guard try input.raw(8) == Self.magic else { throw Errno.badMessage }
        let version = try input.u32()
        guard version == 1 || version == 2 else { throw Errno.badMessage }
        let image = WorldImage()
        image.seed = try input.u64(); image.commandLine = try input.str()
        image.bootCount = try input.u64(); image.bootID = try input.str()
        image.nextInode = try input.u64(); image.rootID = try input.u64()
        for _ in 0..<(try input.u32()) {
            guard let region = Region(rawValue: try input.u8()) else { throw Errno.badMessage }
            image.regionRoots[region] = try input.u64()
        }
        image.procFiles = (try input.u64(), try input.u64())
        for _ in 0..<(try input.u32()) {
            let id = try input.u64()
            guard let region = Region(rawValue: try input.u8()) else { throw Errno.badMessage }
            let kindIndex = Int(try input.u8())
            guard kindIndex < Self.kinds.count else { throw Errno.badMessage }
            let node = Inode(id: id, region: region, kind: Self.kinds[kindIndex], permissions: try input.u32(),
                             time: WallTime(seconds: 0))
            node.uid = try input.u32(); node.gid = try input.u32(); node.linkCount = Int(try input.i64())
            node.accessTime = WallTime(seconds: try input.i64(), nanoseconds: try input.i64())
            node.modificationTime = WallTime(seconds: try input.i64(), nanoseconds: try input.i64())
            node.changeTime = WallTime(seconds: try input.i64(), nanoseconds: try input.i64())
            node.data = try input.bytes(); node.durableData = try input.bytes()
            node.dataDirty = try input.u8() != 0; node.target = try input.str()
            node.entries = try input.entries(); node.durableEntries = try input.entries()
            node.parent = try input.u64(); node.name = try input.str()
            node.durableLinks = Int(try input.i64()); node.pendingLinks = Int(try input.i64())
            node.subdirectoryCount = Int(try input.i64())
            if version >= 2 {
                node.hole = try input.i64(); node.durableHole = try input.i64(); node.specialDevice = try input.u64()
                guard node.hole >= 0, node.durableHole >= 0 else { throw Errno.badMessage }
            }
            image.inodes.append(node)
        }
        for _ in 0..<(try input.u32()) {
            var slots: [EntrySlot] = []
            for _ in 0..<(try input.u32()) {
                slots.append(EntrySlot(directory: try input.u64(), name: try input.str(), inode: try input.u64()))
            }
            var directories: [UInt64] = []
            for _ in 0..<(try input.u32()) { directories.append(try input.u64()) }
            image.pending.append(EntryChange(slots: slots, directories: directories))
        }
        image.monotonic = try input.u64(); image.wallAtBoot = try input.i64(); image.opCost = try input.u64()
        for _ in 0..<(try input.u32()) {
            let id = Int(try input.i64())
            let opCode = try input.u8()
            let op = opCode == 255 ? nil : SimOp(rawValue: opCode)
            let path = try input.str()
            let triggerKind = try input.u8(), triggerValue = try input.u64()
            let trigger: FaultRule.Trigger = triggerKind == 0 ? .nth(Int(triggerValue))
                : (triggerKind == 1 ? .probability(Double(bitPattern: triggerValue)) : .always)
            let effectKind = try input.u8(), effectValue = try input.u64()
            let effect: FaultRule.Effect = effectKind == 0
                ? .error(Errno(rawValue: Int32(bitPattern: UInt32(truncatingIfNeeded: effectValue))))
                : .latency(nanoseconds: effectValue)
            let pid = try input.i64()
            let rule = FaultRule(op: op, path: path, trigger: trigger, effect: effect,
                                 pid: pid < 0 ? nil : ProcessID(rawValue: Int32(pid)))
            image.faults.append(ActiveFault(id: id, rule: rule, matches: Int(try input.i64())))
        }
        image.nextFaultID = Int(try input.i64()); image.faultRandom = SplitMix64(seed: try input.u64())
        image.log.firstSequence = try input.u64(); image.log.hash = try input.u64()
        let capacity = try input.i64()
        image.log.capacity = capacity < 0 ? Int.max : Int(capacity)
        for _ in 0..<(try input.u32()) {
            let pid = Int32(bitPattern: try input.u32())
            let name = try input.str()
            guard let op = SimOp(rawValue: try input.u8()) else { throw Errno.badMessage }
            var record = OpRecord(pid: pid, name: name, op: op, errno: Int32(bitPattern: try input.u32()),
                                  path: try input.str(), path2: try input.str())
            record.sequence = image.log.count
            image.log.records.append(record)
        }
        for _ in 0..<(try input.u32()) {
            let inode = try input.u64(), data = try input.bytes()
            var died: [Bool] = []
            for _ in 0..<(try input.u32()) { died.append(try input.u8() != 0) }
            image.segments.append(SegmentImage(inode: inode, data: data, ownerDied: died))
        }
        image.nextPid = Int32(bitPattern: try input.u32())
        guard input.atEnd else { throw Errno.badMessage }
        self.init(image: image)
    }

    static let kinds: [FileKind] = [.regular, .directory, .symbolicLink, .characterDevice, .blockDevice, .fifo, .socket]
}

struct ByteWriter {
    var buffer: [UInt8] = []
    mutating func raw(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }
    mutating func u8(_ v: UInt8) { buffer.append(v) }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { buffer.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { buffer.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func bytes(_ v: [UInt8]) { u32(UInt32(v.count)); raw(v) }
    mutating func str(_ v: String) { bytes(Array(v.utf8)) }
    mutating func entries(_ v: [String: UInt64]) {
        u32(UInt32(v.count))
        for name in v.keys.sorted() { str(name); u64(v[name]!) }
    }
}

struct ByteReader {
    let buffer: [UInt8]
    var position = 0
    init(_ buffer: [UInt8]) { self.buffer = buffer }
    var atEnd: Bool { position == buffer.count }

    mutating func raw(_ count: Int) throws -> [UInt8] {
        guard count >= 0, buffer.count - position >= count else { throw Errno.badMessage }
        defer { position += count }
        return Array(buffer[position..<position + count])
    }
    mutating func u8() throws -> UInt8 { try raw(1)[0] }
    mutating func u32() throws -> UInt32 {
        try raw(4).enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }
    mutating func u64() throws -> UInt64 {
        try raw(8).enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }
    mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
    mutating func bytes() throws -> [UInt8] { try raw(Int(try u32())) }
    mutating func str() throws -> String { String(decoding: try bytes(), as: UTF8.self) }
    mutating func entries() throws -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        for _ in 0..<(try u32()) { result[try str()] = try u64() }
        return result
    }
}
