import ArgumentParser
import Core
import CryptCheck
import Glibc

/// `crypttab-check`: verifies every crypttab entry against the real LUKS headers and keys.
@main
struct CrypttabCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypttab-check",
        abstract: "Check crypttab entries against their LUKS headers and keys before the next boot.",
        discussion: """
            Reads the crypttab and the kernel command line the way systemd-cryptsetup-generator does, then for \
            each entry: resolves the device, loads the LUKS header (or the detached header=), compares header \
            UUIDs, tests the key file against the keyslots (no device-mapper, nothing is activated or written), \
            and flags unsafe swap/tmp entries, unknown options and names systemd 252 mangles.
            Exit status: 0 all good, 1 a problem was found, 2 a usage error.
            """)

    @Option(help: ArgumentHelp("The crypttab to check (a host path). Default: /etc/crypttab under --root.", valueName: "file"))
    var crypttab: String?

    @Option(help: ArgumentHelp("The kernel command line. Default: /proc/cmdline, or empty with --root.", valueName: "string"))
    var cmdline: String?

    @Option(help: ArgumentHelp("Check an offline tree: device specs, key files and headers resolve under <dir>.", valueName: "dir"))
    var root: String = "/"

    @Option(help: ArgumentHelp("An image file or a directory of images to probe for UUID=/LABEL= with no /dev/disk/by-* link (repeatable).", valueName: "path"))
    var scan: [String] = []

    @Flag(help: "Read the command line as the initrd does: rd.luks.* keys apply.")
    var initrd = false

    @Option(help: "Output format")
    var format: OutputFormat = .table

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    func validate() throws {
        guard let canonical = Glibc.realpath(root, nil) else {
            throw ValidationError("--root \(root): \(String(cString: strerror(errno)))")
        }
        free(canonical)
        for path in scan where access(path, F_OK) != 0 {
            throw ValidationError("--scan \(path): \(String(cString: strerror(errno)))")
        }
    }

    func run() throws {
        let canonicalRoot = Self.canonical(root)
        let machine = HostFileSystem(root: canonicalRoot)
        let host = HostFileSystem(root: "/")
        var problems: [InputProblem] = []
        var notes: [String] = []

        var table: (bytes: [UInt8], path: String)?
        if let crypttab {
            do { table = (try host.readFile(crypttab, limit: 64 << 20), crypttab) } catch {
                problems.append(InputProblem(source: crypttab, message: "cannot read the crypttab: \(Self.describe(error))"))
            }
        } else {
            let shown = canonicalRoot == "/" ? "/etc/crypttab" : "\(canonicalRoot)/etc/crypttab"
            do { table = (try machine.readFile("/etc/crypttab", limit: 64 << 20), shown) } catch Errno.noSuchFileOrDirectory {
                notes.append("\(shown) does not exist")
            } catch {
                problems.append(InputProblem(source: shown, message: "cannot read the crypttab: \(Self.describe(error))"))
            }
        }

        var commandLine = cmdline ?? ""
        if cmdline == nil && canonicalRoot == "/" {
            do { commandLine = String(decoding: try host.readFile("/proc/cmdline"), as: UTF8.self) } catch {
                problems.append(InputProblem(source: "/proc/cmdline", message: "cannot read: \(Self.describe(error))"))
            }
        }

        let context = CheckContext(fileSystem: machine, hostPrefix: canonicalRoot, scanPaths: scan)
        var report = CrypttabCheck(crypttab: table, commandLine: commandLine, initrd: initrd, context: context).run()
        report.inputProblems = problems + report.inputProblems
        report.notes = notes + report.notes
        print(format == .json ? JSONFormat.render(report) : TableFormat.render(report), terminator: "")
        throw ExitCode(report.exitCode)
    }

    /// `realpath(3)`, or the path itself when it does not resolve (validate() already checked it).
    static func canonical(_ path: String) -> String {
        guard let resolved = Glibc.realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func describe(_ error: any Error) -> String {
        switch error as? Errno {
        case .noSuchFileOrDirectory?: "no such file or directory"
        case .permissionDenied?: "permission denied"
        case .isDirectory?: "is a directory"
        default: "\(error)"
        }
    }

    /// Parses and runs; every usage error exits 2 (ArgumentParser's default would be 64).
    static func main() {
        let command: CrypttabCheckCommand
        do {
            command = try parse()
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            FileHandleShim.writeError(fullMessage(for: error) + "\n")
            Glibc.exit(2)
        }
        do {
            try command.run()
        } catch let exit as ExitCode {
            Glibc.exit(exit.rawValue)
        } catch {
            FileHandleShim.writeError("crypttab-check: \(error)\n")
            Glibc.exit(2)
        }
    }
}

/// Writes to standard error without Foundation.
enum FileHandleShim {
    static func writeError(_ text: String) {
        var text = text
        text.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
