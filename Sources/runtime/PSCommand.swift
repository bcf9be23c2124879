import ArgumentParser
import Core
import Podrt

/// `--format` as podman takes it on ps, events and inspect: `table` (podrt's own table), `json`, or a Go
/// template (`{{.Names}}`, `table {{.ID}}\t{{.Names}}`; see docs/podrt-cli.md). A template that does not
/// parse is an error naming it and the column, exit 125.
struct TemplateFormatOption: ParsableArguments {
    @Option(help: ArgumentHelp("Output format: table, json, or a Go template such as '{{.Names}}' or "
                               + "'table {{.ID}}\\t{{.Names}}'.", valueName: "format"))
    var format: String = "table"

    /// The format read; `name` is the template's name in errors (podman's: ps, events, inspect).
    func read(_ name: String) throws -> ReportFormat {
        do { return try ReportFormat(format, name: name) } catch { throw usageFailure(error) }
    }
}

/// An error of podrt's own, printed, as exit 125 (podman's code for its own errors).
func usageFailure(_ error: any Error) -> ExitFailure {
    printError("Error: \(error)")
    return ExitFailure(code: 125)
}

/// Prints a template's output over the rows; an error running it is podrt's own (exit 125).
func printTemplate(_ format: ReportFormat, _ rows: [JSON], headers: [String: String] = [:]) throws {
    let text: String
    do { text = try format.render(rows, headers: headers) } catch { throw usageFailure(error) }
    if !text.isEmpty || !rows.isEmpty { print(text) }
}

struct PS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps", abstract: "List containers.",
        discussion: "Filters (--filter KEY=VALUE, repeatable): name (a regular expression), id (a prefix), "
            + "status (created, exited, paused, running, unknown), pod (name or id prefix), label (podrt "
            + "containers carry none, so it matches none), exited (an exit code). The same key twice matches "
            + "either value; different keys must all match. --sort takes "
            + ContainerReport.sortKeys.joined(separator: ", ") + ". "
            + "A container whose row in the state database does not read is not listed: it is reported on "
            + "standard error (naming the container and the database), the others are listed, and podrt exits 1.")

    @ParentCommand var podrt: PodrtCommand
    @OptionGroup var output: TemplateFormatOption
    @Flag(name: .shortAndLong, help: "Show every container, not only running ones.")
    var all = false
    @Flag(name: .shortAndLong, help: "Print only the container ids.")
    var quiet = false
    @Option(name: .shortAndLong, help: ArgumentHelp("Filter the listing, KEY=VALUE.", valueName: "filter"))
    var filter: [String] = []
    @Option(name: [.customShort("n"), .customLong("last")], help: "Show the n last created containers (all states).")
    var last: Int = -1
    @Flag(name: .customLong("no-trunc"), help: "Show full container and pod ids.")
    var noTrunc = false
    @Option(help: ArgumentHelp("Sort by: \(ContainerReport.sortKeys.joined(separator: ", ")).", valueName: "key"))
    var sort: String?

    func run() throws {
        let format = try output.read("ps")
        let filters: ContainerFilter
        do { filters = try ContainerFilter(filter) } catch { throw usageFailure(error) }
        if let sort, !ContainerReport.sortKeys.contains(sort) {
            throw usageFailure(ValidationError("invalid argument \"\(sort)\" for \"--sort\" flag: choose from "
                + ContainerReport.sortKeys.joined(separator: ", ")))
        }
        let runtime = try podrt.global.open()
        let listing = try runtime.listContainers(all: all || last >= 0)
        let pods = try runtime.listPods().objects  // for pod names only: `pod ls` reports its own rows
        let podsByID = Dictionary(pods.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let podNames = podsByID.mapValues(\.name)
        var containers = listing.objects
        var exits: [String: ContainerExit] = [:]
        if filters.needsExitCodes || format.isTemplate {
            for container in containers where container.state == .exited || container.state == .stopped {
                exits[container.id] = try runtime.recordedExit(of: container.id)
            }
        }
        if !filters.isEmpty {
            containers = containers.filter {
                filters.matches($0, pod: $0.podID.flatMap { podsByID[$0] }, exit: exits[$0.id])
            }
        }
        if last >= 0 { containers = Array(ContainerReport.sorted(containers, by: "created", podNames: podNames).prefix(last)) }
        if let sort { containers = ContainerReport.sorted(containers, by: sort, podNames: podNames) }

        if quiet {
            for container in containers { print(noTrunc ? container.id : String(container.id.prefix(12))) }
        } else {
            switch format {
            case .json: print(Listings.containers(containers, pods: pods).prettyPrinted())
            case .table: print(Listings.containerTable(containers, pods: pods))
            case .template:
                let now = runtime.machine.clock.wallNow()
                let rows = containers.map {
                    ContainerReport.row($0, podName: $0.podID.flatMap { podNames[$0] } ?? "", exit: exits[$0.id],
                                        noTrunc: noTrunc, now: now)
                }
                try printTemplate(format, rows, headers: ContainerReport.headers)
            }
        }
        try reportUnreadable(listing.unreadable)
    }
}

extension ReportFormat {
    var isTemplate: Bool {
        if case .template = self { return true }
        return false
    }
}
