/// The JUnit XML report (`--report junit FILE`), in the layout Jenkins' xunit plugin, GitLab and GitHub
/// Actions' test reporters read (Fixtures/junit/junit-10.xsd): one `<testsuite>` for the run, one
/// `<testcase>` per scenario, and a `<failure>` that lists its failing seeds with the replay commands.
extension RunReport {
    /// How many failing seeds a `<failure>` lists; the JSON report has them all.
    public static let junitSeedsListed = 20

    public func junitXML() -> String {
        let suiteName = "bootsim \(mode)" + (shardCount > 1 ? " (shards \(shardList) of \(shardCount))" : "")
        let time = Self.seconds(milliseconds)
        let failing = scenarios.filter { $0.failed > 0 }.count
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuites name="bootsim" tests="\#(scenarios.count)" failures="\#(failing)" errors="0" time="\#(time)">"# + "\n"
        xml += #"  <testsuite name="\#(xmlAttribute(suiteName))" tests="\#(scenarios.count)" failures="\#(failing)" errors="0" skipped="0" time="\#(time)">"# + "\n"
        xml += "    <properties>\n"
        for (name, value) in properties {
            xml += #"      <property name="\#(xmlAttribute(name))" value="\#(xmlAttribute(value))"/>"# + "\n"
        }
        xml += "    </properties>\n"
        for scenario in scenarios { xml += junitCase(scenario) }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// The shards covered, as `1,2,4`.
    var shardList: String { shards.map(\.index).sorted().map(String.init).joined(separator: ",") }

    var properties: [(String, String)] {
        var list = [("bootsim.version", bootsimVersion), ("mode", mode), ("strategy", options.strategy),
                    ("seeds", "\(seedRange) (\(seedCount) per scenario, before sharding)"),
                    ("shards", "\(shardList) of \(shardCount)")]
        if let pctDepth = options.pctDepth { list.append(("pct-depth", String(pctDepth))) }
        if let bug = options.bug { list.append(("bug", bug)) }
        if options.determinism > 0 { list.append(("determinism", String(options.determinism))) }
        return list
    }

    func junitCase(_ scenario: ScenarioReport) -> String {
        var xml = #"    <testcase name="\#(xmlAttribute(scenario.name))" classname="bootsim.\#(xmlAttribute(mode))" "#
            + #"file="\#(xmlAttribute(scenario.file))" time="\#(Self.seconds(scenario.milliseconds))">"# + "\n"
        if scenario.failed > 0 {
            let invariants = Array(Set(scenario.failures.map(\.invariant) + (scenario.nondeterministic.isEmpty ? [] : ["determinism"])))
                .sorted().joined(separator: " ")
            var message = "\(scenario.failed) of \(scenario.seedsRun) seeds failed"
            if let first = scenario.failures.first { message += "; seed \(first.seed): \(first.invariant) broken: \(first.message)" }
            var body = ""
            for failure in scenario.failures.prefix(Self.junitSeedsListed) {
                body += "seed \(failure.seed): \(failure.invariant) broken: \(failure.message)\n"
                body += "  after the step at \(scenario.file):\(failure.line)\n"
                body += "  replay: \(failure.replay)\n"
            }
            if scenario.failures.count > Self.junitSeedsListed {
                body += "... and \(scenario.failures.count - Self.junitSeedsListed) more failing seeds (the JSON report lists them all)\n"
            }
            for seed in scenario.nondeterministic {
                body += "seed \(seed.seed): NONDETERMINISM: trace hash \(String(seed.first, radix: 16)) then \(String(seed.second, radix: 16))\n"
            }
            xml += #"      <failure type="\#(xmlAttribute(invariants))" message="\#(xmlAttribute(message))">"# + xmlText(body) + "</failure>\n"
        }
        var out = "\(scenario.seedsRun) seeds: \(scenario.passed) passed, \(scenario.failed) failed\n"
        if !scenario.traceHashes.isEmpty {
            out += "trace hashes: " + scenario.traceHashes.map { "seed \($0.seed) \(String($0.traceHash, radix: 16))" }
                .joined(separator: ", ") + "\n"
        }
        xml += "      <system-out>" + xmlText(out) + "</system-out>\n"
        xml += "    </testcase>\n"
        return xml
    }

    /// Milliseconds as seconds with three decimals, as JUnit's `time` attributes hold them.
    static func seconds(_ milliseconds: Int64) -> String {
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

/// `text` with XML's special characters as references, and the control characters XML 1.0 cannot carry
/// (all below U+0020 but tab, newline and return) as U+FFFD. In an attribute value, tabs and line breaks
/// are references too, or a parser would read them as spaces.
private func xmlText(_ text: String) -> String { xmlEscaped(text, inAttribute: false) }

private func xmlAttribute(_ text: String) -> String { xmlEscaped(text, inAttribute: true) }

private func xmlEscaped(_ text: String, inAttribute: Bool) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "\t", "\n", "\r":
            if inAttribute { out += "&#\(scalar.value);" } else { out.unicodeScalars.append(scalar) }
        default: out.unicodeScalars.append(scalar.value < 0x20 ? "\u{FFFD}" : scalar)
        }
    }
    return out
}
