import Core
import Glibc

/// Where scenario files and their fixture cases are on the real disk. A relative path is taken from the
/// working directory, and made absolute first, so that every "not found" names the path it tried. Fixture
/// cases resolve from the scenario file, not from where bootsim runs: the nearest `Fixtures/generator` in the
/// scenario's directory or above it (the repository, found by walking up, as git finds `.git`).
public enum ScenarioPaths {
    /// `path` made absolute against the working directory, with `.` and `..` components resolved.
    public static func absolute(_ path: String) -> String {
        var components: [Substring] = []
        let full = path.hasPrefix("/") ? path : workingDirectory() + "/" + path
        for component in full.split(separator: "/") {
            if component == "." { continue }
            if component == ".." { if !components.isEmpty { components.removeLast() }; continue }
            components.append(component)
        }
        return "/" + components.joined(separator: "/")
    }

    public static func workingDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(cString: buffer)
    }

    /// The directory holding `path` (absolute).
    public static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    static func isDirectory(_ path: String) -> Bool { (try? HostFileSystem().stat(path).kind) == .directory }

    /// `directory` and each directory above it, nearest first.
    static func upward(from directory: String) -> [String] {
        var found = [directory]
        while found.last! != "/" { found.append(parent(found.last!)) }
        return found
    }

    /// The nearest `relative` directory (such as `Fixtures/generator`) in `directory` or above it.
    public static func nearest(_ relative: String, above directory: String) -> String? {
        upward(from: directory).map { ($0 == "/" ? "" : $0) + "/" + relative }.first(where: isDirectory)
    }

    /// The running program's own path (`/proc/self/exe`), for finding the repository it was built in.
    public static func executable() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A file or directory that is not there, with the path tried.
public struct PathNotFound: Error, CustomStringConvertible {
    public var what: String
    public var path: String
    public var hint = ""
    public var description: String { "no \(what) at \(path)\(hint.isEmpty ? "" : " (\(hint))")" }
}

/// Where the generator fixture cases of a scenario are: an explicit directory (`--fixtures`), or the nearest
/// `Fixtures/generator` above the scenario file. A case named with a `/` is a path from the scenario's
/// directory.
public struct FixtureSource: Sendable {
    /// Absolute; nil when none was found.
    public var directory: String?
    /// Where it was looked for, for the error when it was not found.
    public var searched: String

    public init(directory: String) {
        self.directory = ScenarioPaths.absolute(directory)
        searched = self.directory!
    }

    /// The nearest `Fixtures/generator` in `scenarioDirectory` or above it.
    public init(above scenarioDirectory: String) {
        directory = ScenarioPaths.nearest("Fixtures/generator", above: scenarioDirectory)
        searched = "Fixtures/generator in \(scenarioDirectory) or any directory above it"
    }

    /// The cases of the directory.
    public var names: [String] { directory.map(FixtureCase.names(in:)) ?? [] }
}
