/// The subset of Go's text/template that podman users write in `--format`: `{{.Field}}` and nested fields,
/// `{{.}}`, string literals, the functions `json`, `upper`, `lower` and `join`, pipes (`{{.Names | upper}}`),
/// `{{range}}…{{else}}…{{end}}`, `{{if}}…{{else}}…{{end}}` and the `{{-`/`-}}` trim markers. Anything else is
/// a `GoTemplateError` naming the template, the line and the column, as Go's own messages do. The data is a
/// `JSON` value; objects are Go structs (a missing field is an error), arrays are slices.
public struct GoTemplate: Sendable {
    public let name: String
    let nodes: [GoTemplateNode]

    public init(_ text: String, name: String) throws {
        self.name = name
        var parser = GoTemplateParser(text: Array(text.unicodeScalars), name: name)
        nodes = try parser.parseAll()
    }

    /// The template's output for `dot`.
    public func execute(_ dot: JSON) throws -> String {
        var out = ""
        try GoTemplateEvaluator(name: name).run(nodes, dot: dot, into: &out)
        return out
    }
}

/// A template that did not parse or did not run: `template: ps:1:13: executing "ps" at <.Foo>: …`.
public struct GoTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "template: \(name):\(line):\(column): \(message)" }
}

struct GoTemplatePosition: Hashable, Sendable {
    var line: Int
    var column: Int
}

/// An operand: `.`, `.A.B`, a string literal, a number, or a parenthesised pipeline.
indirect enum GoTemplateOperand: Sendable {
    case dot(fields: [String])
    case string(String)
    case number(Int64)
    case bool(Bool)
    case call(name: String, arguments: [GoTemplateOperand])
}

struct GoTemplateAction: Sendable {
    var operand: GoTemplateOperand
    var source: String
    var position: GoTemplatePosition
}

indirect enum GoTemplateNode: Sendable {
    case text(String)
    case action(GoTemplateAction)
    case ifBlock(GoTemplateAction, then: [GoTemplateNode], otherwise: [GoTemplateNode])
    case rangeBlock(GoTemplateAction, body: [GoTemplateNode], otherwise: [GoTemplateNode])
}
