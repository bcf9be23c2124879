import Glibc
import SimFS

/// What one transition of a simulated process touches, for `bootsim explore`'s reduction. A transition is
/// the call a process is about to make (where it waits at a scheduling point) plus its own computation up to
/// its next call.
///
/// The dependence relation (two transitions of different processes whose order may matter):
/// - either is `global`: clock reads and sleeps (every call advances the virtual clock by `opCost`, so a
///   clock value depends on how many calls came before it), spawn, wait, kill and isAlive (the process
///   table), a call whose path the seam did not see, and a process's last transition (its exit releases
///   what it still holds: `ExploreChooser.ended`);
/// - both belong to processes that map one file shared (SQLite's WAL index, the `-shm` file): that memory
///   is read and written between calls, where no call announces it;
/// - they name related resources and at least one of them writes: a path is related to itself and to every
///   path below it (a directory, its entries, and resolution through it; a symlink is only reached through
///   its own path), a segment to its mutexes (`seg/#3`) and its data (`seg/#data`), a mutex to itself;
///   a blocked process's wake-up writes the lock it waits for (the release that woke it enables it);
/// - when a power cut can be injected, every write is related to every other (`#pending`): the disk's list
///   of pending changes is ordered, and a cut keeps a prefix of it.
/// Everything else is independent: reads of one file, calls on unrelated paths, different mutexes,
/// randomness and the environment (each process has its own), an empty transition (a process resumed
/// after a sleep or at its start runs only its own code up to its next call).
/// Not modelled (stated, not hidden): timestamps (mtime, ctime follow the op count) and inode numbers are
/// taken as unobserved, and a database file is one resource (pages of one file are not told apart).
struct Footprint: Hashable {
    enum Kind: UInt8 { case local, read, write, global }
    var kind: Kind
    var resources: [String] = []
    var mapped: [String] = []

    static let local = Footprint(kind: .local)
    static let global = Footprint(kind: .global)

    init(kind: Kind, resources: [String] = [], mapped: [String] = []) {
        self.kind = kind
        self.resources = resources
        self.mapped = mapped
    }

    /// The footprint of `op` on `touching` (what the seam wrapper saw: a path, two joined by a newline, a
    /// lock); `writes`: the call may create or truncate (an open).
    init(_ op: SimOp, _ touching: String?, writes: Bool, mapped: [String], orderWrites: Bool) {
        self.mapped = mapped
        switch op {
        case .random, .environment:
            kind = .local
            return
        case .read, .fstat, .stat, .lstat, .readlink, .readdir, .realpath, .segmentRead, .segmentOpen:
            kind = .read
        case .open:
            kind = writes ? .write : .read
        case .monotonicNow, .wallNow, .sleep, .spawn, .wait, .kill, .isAlive, .reboot, .powerLoss, .processExit:
            kind = .global
            return
        default:
            kind = .write
        }
        guard let touching else {
            kind = .global
            return
        }
        // Most calls touch one path: no split (a split by Characters cost 14% of an explore).
        var text = touching
        let joined = text.withUTF8 { $0.isEmpty || memchr($0.baseAddress!, 0x0A, $0.count) != nil }
        if joined {
            resources = touching.utf8.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
        } else {
            resources = [touching]
        }
        if orderWrites, kind == .write { resources.append("#pending") }
    }

    /// A blocked process made runnable again: it retries the lock it waits for.
    init(waitingFor key: WaitKey, mapped: [String]) {
        self.mapped = mapped
        switch key {
        case let .mutex(path, index): kind = .write; resources = [path + "/#\(index)"]
        case let .flock(path): kind = .write; resources = [path]
        case .child: kind = .global
        }
    }

    /// Whether this transition and `other` (of another process) may not commute.
    func dependent(_ other: Footprint) -> Bool {
        for path in mapped where other.mapped.contains(path) { return true }
        if kind == .local || other.kind == .local { return false }
        if kind == .global || other.kind == .global { return true }
        if kind == .read && other.kind == .read { return false }
        for mine in resources {
            for theirs in other.resources where Self.related(mine, theirs) { return true }
        }
        return false
    }

    /// A path and every path below it (by whole components).
    static func related(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let (short, long) = a.utf8.count < b.utf8.count ? (a, b) : (b, a)
        guard long.hasPrefix(short) else { return false }
        if short.hasSuffix("/") { return true }
        return long.utf8[long.utf8.index(long.utf8.startIndex, offsetBy: short.utf8.count)] == UInt8(ascii: "/")
    }
}
