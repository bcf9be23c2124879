import Podrt

/// The JSON report (`--report json FILE`), written and read with podrt's JSON value; docs/reports.md has
/// the schema. Seeds are numbers (a decimal string above 2^63−1, which JSON numbers here cannot hold);
/// trace hashes are hex strings, as `bootsim replay` prints them.
extension RunReport {
    public var json: JSON {
        .object([
            ("format", .string("bootsim-report")),
            ("formatVersion", .number(Self.formatVersion)),
            ("bootsimVersion", .string(bootsimVersion)),
            ("mode", .string(mode)),
            ("options", .object([
                ("strategy", .string(options.strategy)),
                ("pctDepth", options.pctDepth.map { .number(Int64($0)) } ?? .null),
                ("bug", options.bug.map(JSON.string) ?? .null),
                ("determinism", .number(Int64(options.determinism))),
            ])),
            ("seeds", .object([("first", Self.json(seed: firstSeed)), ("count", .number(Int64(seedCount)))])),
            ("shardCount", .number(Int64(shardCount))),
            ("shards", .array(shards.map { shard in
                .object([("index", .number(Int64(shard.index))), ("host", .string(shard.host)),
                         ("milliseconds", .number(shard.milliseconds))])
            })),
            ("complete", .bool(missingShards.isEmpty)),
            ("milliseconds", .number(milliseconds)),
            ("passed", .number(Int64(passed))),
            ("failed", .number(Int64(failed))),
            ("scenarios", .array(scenarios.map(\.json))),
        ])
    }

    /// Reads a report written by `json`; the totals and `complete` are derived again, not trusted.
    public init(json: JSON) throws(ReportProblem) {
        let fields = try JSONFields(json, "the report")
        guard json["format"]?.stringValue == "bootsim-report" else { throw ReportProblem("not a bootsim report (no \"format\": \"bootsim-report\")") }
        let format = try fields.int("formatVersion")
        guard format == Self.formatVersion else {
            throw ReportProblem("report format version \(format); this bootsim reads version \(Self.formatVersion)")
        }
        let options = try JSONFields(fields.value("options"), "options")
        let seeds = try JSONFields(fields.value("seeds"), "seeds")
        self.init(
            bootsimVersion: try fields.string("bootsimVersion"), mode: try fields.string("mode"),
            options: Options(strategy: try options.string("strategy"), pctDepth: try options.optionalInt("pctDepth"),
                             bug: try options.optionalString("bug"), determinism: try options.int("determinism")),
            firstSeed: try seeds.seed("first"), seedCount: try seeds.int("count"), shardCount: try fields.int("shardCount"),
            shards: try fields.objects("shards").map { shard throws(ReportProblem) in
                ShardRun(index: try shard.int("index"), host: try shard.string("host"),
                         milliseconds: Int64(try shard.int("milliseconds")))
            },
            scenarios: try fields.objects("scenarios").map { fields throws(ReportProblem) in try ScenarioReport(fields) })
    }

    static func json(seed: UInt64) -> JSON { seed <= UInt64(Int64.max) ? .number(Int64(seed)) : .string(String(seed)) }
}

extension ScenarioReport {
    var json: JSON {
        .object([
            ("name", .string(name)),
            ("file", .string(file)),
            ("digest", .string(digest)),
            ("seedsRun", .number(Int64(seedsRun))),
            ("passed", .number(Int64(passed))),
            ("failed", .number(Int64(failed))),
            ("milliseconds", .number(milliseconds)),
            ("failures", .array(failures.map { failure in
                .object([("seed", RunReport.json(seed: failure.seed)), ("invariant", .string(failure.invariant)),
                         ("message", .string(failure.message)), ("line", .number(Int64(failure.line))),
                         ("replay", .string(failure.replay))])
            })),
            ("nondeterministic", .array(nondeterministic.map { seed in
                .object([("seed", RunReport.json(seed: seed.seed)), ("first", .string(String(seed.first, radix: 16))),
                         ("second", .string(String(seed.second, radix: 16)))])
            })),
            ("traceHashes", .array(traceHashes.map { sample in
                .object([("seed", RunReport.json(seed: sample.seed)), ("hash", .string(String(sample.traceHash, radix: 16)))])
            })),
        ])
    }

    init(_ fields: JSONFields) throws(ReportProblem) {
        self.init(
            name: try fields.string("name"), file: try fields.string("file"), digest: try fields.string("digest"),
            seedsRun: try fields.int("seedsRun"), milliseconds: Int64(try fields.int("milliseconds")),
            failures: try fields.objects("failures").map { failure throws(ReportProblem) in
                FailingSeed(seed: try failure.seed("seed"), invariant: try failure.string("invariant"),
                            message: try failure.string("message"), line: try failure.int("line"),
                            replay: try failure.string("replay"))
            },
            nondeterministic: try fields.objects("nondeterministic").map { seed throws(ReportProblem) in
                NondeterministicSeed(seed: try seed.seed("seed"), first: try seed.hash("first"), second: try seed.hash("second"))
            },
            traceHashes: try fields.objects("traceHashes").map { sample throws(ReportProblem) in
                SeedHash(seed: try sample.seed("seed"), traceHash: try sample.hash("hash"))
            })
    }
}

/// Why a report could not be read or merged.
public struct ReportProblem: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The members of one JSON object, read with errors that name the missing or mistyped field.
struct JSONFields {
    let object: JSON
    let context: String

    init(_ object: JSON, _ context: String) throws(ReportProblem) {
        guard case .object = object else { throw ReportProblem("\(context) is not a JSON object") }
        self.object = object
        self.context = context
    }

    func value(_ key: String) throws(ReportProblem) -> JSON {
        guard let value = object[key] else { throw ReportProblem("\(context) has no \"\(key)\"") }
        return value
    }

    func wrong(_ key: String, _ wanted: String) -> ReportProblem { ReportProblem("\(context): \"\(key)\" is not \(wanted)") }

    func string(_ key: String) throws(ReportProblem) -> String {
        guard let text = try value(key).stringValue else { throw wrong(key, "a string") }
        return text
    }

    func int(_ key: String) throws(ReportProblem) -> Int {
        guard let number = try value(key).intValue, let int = Int(exactly: number) else { throw wrong(key, "an integer") }
        return int
    }

    func optionalString(_ key: String) throws(ReportProblem) -> String? {
        if object[key] == nil || object[key] == .null { return nil }
        return try string(key)
    }

    func optionalInt(_ key: String) throws(ReportProblem) -> Int? {
        if object[key] == nil || object[key] == .null { return nil }
        return try int(key)
    }

    func seed(_ key: String) throws(ReportProblem) -> UInt64 {
        let value = try value(key)
        if let number = value.intValue, number >= 0 { return UInt64(number) }
        if let text = value.stringValue, let seed = UInt64(text) { return seed }
        throw wrong(key, "a seed")
    }

    func hash(_ key: String) throws(ReportProblem) -> UInt64 {
        guard let hash = UInt64(try string(key), radix: 16) else { throw wrong(key, "a hex trace hash") }
        return hash
    }

    func objects(_ key: String) throws(ReportProblem) -> [JSONFields] {
        guard let items = try value(key).arrayValue else { throw wrong(key, "an array") }
        var objects: [JSONFields] = []
        for (index, item) in items.enumerated() { objects.append(try JSONFields(item, "\(context).\(key)[\(index)]")) }
        return objects
    }
}
