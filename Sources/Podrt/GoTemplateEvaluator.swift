/// Runs a parsed `GoTemplate` over a `JSON` value, printing values as Go's fmt does (`[a b]` for a slice,
/// `map[k:v]` for a map) and testing truth as Go's `if` does (false, 0, "", empty and null are false).
struct GoTemplateEvaluator {
    let name: String

    func run(_ nodes: [GoTemplateNode], dot: JSON, into out: inout String) throws {
        for node in nodes {
            switch node {
            case let .text(text): out += text
            case let .action(action): out += Self.text(try evaluate(action, dot: dot))
            case let .ifBlock(action, then, otherwise):
                try run(Self.isTrue(try evaluate(action, dot: dot)) ? then : otherwise, dot: dot, into: &out)
            case let .rangeBlock(action, body, otherwise):
                let items: [JSON]
                switch try evaluate(action, dot: dot) {
                case let .array(values): items = values
                case let .object(members): items = members.sorted { $0.0 < $1.0 }.map(\.1)  // Go sorts map keys
                case .null: items = []
                case let other: throw failure(action, "range can't iterate over \(Self.text(other))")
                }
                if items.isEmpty { try run(otherwise, dot: dot, into: &out) }
                for item in items { try run(body, dot: item, into: &out) }
            }
        }
    }

    func failure(_ action: GoTemplateAction, _ message: String) -> GoTemplateError {
        GoTemplateError(name: name, line: action.position.line, column: action.position.column,
                        message: "executing \"\(name)\" at <\(action.source)>: \(message)")
    }

    func evaluate(_ action: GoTemplateAction, dot: JSON) throws -> JSON {
        try evaluate(action.operand, dot: dot, action: action)
    }

    func evaluate(_ operand: GoTemplateOperand, dot: JSON, action: GoTemplateAction) throws -> JSON {
        switch operand {
        case let .dot(fields):
            var value = dot
            for field in fields {
                guard case .object = value else {
                    throw failure(action, "can't evaluate field \(field) in type \(Self.typeName(value))")
                }
                guard let member = value[field] else { throw failure(action, "can't evaluate field \(field)") }
                value = member
            }
            return value
        case let .string(text): return .string(text)
        case let .number(value): return .number(value)
        case let .bool(value): return .bool(value)
        case let .call(function, arguments):
            let values = try arguments.map { try evaluate($0, dot: dot, action: action) }
            return try call(function, values, action: action)
        }
    }

    func call(_ function: String, _ arguments: [JSON], action: GoTemplateAction) throws -> JSON {
        let want = function == "join" ? 2 : 1
        guard arguments.count == want else {
            throw failure(action, "wrong number of args for \(function): want \(want) got \(arguments.count)")
        }
        switch function {
        case "json": return .string(arguments[0].serialized())
        case "upper", "lower":
            guard case let .string(text) = arguments[0] else {
                throw failure(action, "wrong type for value; expected string; got \(Self.typeName(arguments[0]))")
            }
            return .string(function == "upper" ? text.uppercased() : text.lowercased())
        default:  // join
            guard case let .array(items) = arguments[0] else {
                throw failure(action, "wrong type for value; expected []string; got \(Self.typeName(arguments[0]))")
            }
            guard case let .string(separator) = arguments[1] else {
                throw failure(action, "wrong type for value; expected string; got \(Self.typeName(arguments[1]))")
            }
            return .string(items.map(Self.text).joined(separator: separator))
        }
    }

    static func typeName(_ value: JSON) -> String {
        switch value {
        case .null: return "nil"
        case .bool: return "bool"
        case .number: return "int64"
        case .string: return "string"
        case .array: return "[]interface {}"
        case .object: return "struct"
        }
    }

    static func isTrue(_ value: JSON) -> Bool {
        switch value {
        case .null: return false
        case let .bool(flag): return flag
        case let .number(number): return number != 0
        case let .string(text): return !text.isEmpty
        case let .array(items): return !items.isEmpty
        case let .object(members): return !members.isEmpty
        }
    }

    /// A value as Go's `fmt.Print` shows it.
    static func text(_ value: JSON) -> String {
        switch value {
        case .null: return "<no value>"
        case let .bool(flag): return flag ? "true" : "false"
        case let .number(number): return String(number)
        case let .string(text): return text
        case let .array(items): return "[" + items.map(text).joined(separator: " ") + "]"
        case let .object(members):
            return "map[" + members.sorted { $0.0 < $1.0 }.map { "\($0.0):\(text($0.1))" }.joined(separator: " ") + "]"
        }
    }
}
