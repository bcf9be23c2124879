// Applies a plan through the FileSystem seam. Every file is written to a temporary name in its directory and
// renamed into place, so no partial unit file is ever visible. An entry whose operation fails is rolled back
// (its new unit files and links removed) and the others go on.

public struct PlanWriter {
    public let fileSystem: any FileSystem
    private var knownDirectories: Set<String> = []
    private var temporaryCounter = 0
    /// Part of every temporary name, so that writers working side by side never pick the same one.
    private let temporaryTag: String

    public init(fileSystem: any FileSystem, lane: Int = 0) {
        self.fileSystem = fileSystem
        temporaryTag = lane == 0 ? "" : "\(lane)-"
    }

    /// Applies every entry; returns the messages for failures (systemd's wording where it has one) and
    /// whether any entry failed.
    public mutating func apply(_ plan: GeneratorPlan) -> (messages: [LogMessage], failed: Bool) {
        var messages: [LogMessage] = []
        var failed = false
        for entry in plan.entries where !apply(entry, messages: &messages) {
            failed = true
        }
        return (messages, failed)
    }

    /// Applies one entry, or none of it: returns false (its message appended) when it failed.
    public mutating func apply(_ entry: PlanEntry, messages: inout [LogMessage]) -> Bool {
        var created: [String] = []
        do {
            for operation in entry.operations {
                try apply(operation, created: &created, messages: &messages)
            }
            return true
        } catch {
            messages.append((error as? WriteFailure)?.message
                ?? LogMessage(.error, "Failed to write units: \(ErrorText.describe(error))"))
            for path in created.reversed() { try? fileSystem.unlink(path) }
            return false
        }
    }

    private struct WriteFailure: Error {
        var message: LogMessage
    }

    private mutating func apply(_ operation: PlanOperation, created: inout [String],
                                messages: inout [LogMessage]) throws {
        switch operation {
        case .makeDirectory(let path, let mode, let parentMode):
            let text = path.text
            do {
                try makeParents(of: text, mode: parentMode)
                try makeDirectory(text, mode: mode)
            } catch let error as Errno {
                throw WriteFailure(message: LogMessage(.error,
                    "Failed to create directory \(text): \(ErrorText.describe(error))"))
            }
        case .createUnit(let path, let contents):
            let text = path.text
            do {
                try writeAtomically(text, contents, mode: 0o644, replace: false)
                created.append(text)
            } catch let error as Errno {
                throw WriteFailure(message: LogMessage(.error,
                    "Failed to create unit file '\(text)': \(ErrorText.describe(error))"))
            }
        case .replaceDropIn(let path, let contents):
            let text = path.text
            do {
                try makeParents(of: text, mode: 0o755)
                try writeAtomically(text, contents, mode: 0o644, replace: true)
            } catch let error as Errno {
                if text.hasSuffix("/90-device-timeout.conf") {
                    throw WriteFailure(message: LogMessage(.error,
                        "Failed to write device drop-in: \(ErrorText.describe(error))"))
                }
                messages.append(LogMessage(.warning,
                    "Failed to write device timeout drop-in: \(ErrorText.describe(error))"))
            }
        case .symlink(let path, let target):
            let text = path.text
            do {
                try? makeParents(of: text, mode: 0o755)
                try fileSystem.symlink(target.text, at: text)
                created.append(text)
            } catch Errno.fileExists {
                return
            } catch let error as Errno {
                throw WriteFailure(message: LogMessage(.error,
                    "Failed to create symlink \"\(text)\": \(ErrorText.describe(error))"))
            }
        }
    }

    /// Creates the missing parents of `path` (not `path` itself) with `mode`.
    private mutating func makeParents(of path: String, mode: UInt16) throws {
        guard let slash = path.utf8.lastIndex(of: 0x2f) else { return }
        let parent = String(path[..<slash])
        if parent.isEmpty || knownDirectories.contains(parent) { return }
        try makeParents(of: parent, mode: mode)
        try makeDirectory(parent, mode: mode)
    }

    private mutating func makeDirectory(_ path: String, mode: UInt16) throws {
        if knownDirectories.contains(path) { return }
        do {
            try fileSystem.mkdir(path, permissions: FilePermissions(rawValue: CModeT(mode)))
        } catch Errno.fileExists {
            // Fine when it is a directory (or a link to one); mkdir of a child will tell otherwise.
        }
        knownDirectories.insert(path)
    }

    /// Writes `contents` to a new temporary file beside `path`, then renames it over (or, without `replace`,
    /// next to nothing: EEXIST when `path` exists).
    private mutating func writeAtomically(_ path: String, _ contents: Bytes, mode: UInt16, replace: Bool) throws {
        let temporary = try createTemporary(near: path, mode: mode)
        do {
            defer { try? fileSystem.close(temporary.descriptor) }
            try fileSystem.writeAll(temporary.descriptor, contents)
        } catch {
            try? fileSystem.unlink(temporary.path)
            throw error
        }
        do {
            try fileSystem.rename(temporary.path, to: path, noReplace: !replace)
        } catch {
            try? fileSystem.unlink(temporary.path)
            throw error
        }
    }

    private mutating func createTemporary(near path: String, mode: UInt16) throws
        -> (path: String, descriptor: Descriptor) {
        let slash = path.utf8.lastIndex(of: 0x2f)
        let directory = slash.map { String(path[...$0]) } ?? ""
        while true {
            temporaryCounter += 1
            // Short, so that it fits beside a 255-byte unit name.
            let candidate = directory + ".#generator-\(temporaryTag)\(temporaryCounter).tmp"
            do {
                let fd = try fileSystem.open(candidate, [.write, .create, .exclusive],
                                             permissions: FilePermissions(rawValue: CModeT(mode)))
                return (candidate, fd)
            } catch Errno.fileExists {
                continue
            }
        }
    }
}
