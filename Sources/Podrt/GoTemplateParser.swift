/// Parses the `GoTemplate` subset: text and `{{…}}` actions, with `if`, `range`, `else` and `end` nesting.
struct GoTemplateParser {
    let text: [Unicode.Scalar]
    let name: String
    var index = 0
    /// The functions podman users write; anything else is Go's `function "X" not defined`.
    static let functions: Set<String> = ["json", "upper", "lower", "join"]

    init(text: [Unicode.Scalar], name: String) {
        self.text = text
        self.name = name
    }

    func position(_ offset: Int) -> GoTemplatePosition {
        var line = 1
        var column = 1
        for scalar in text[..<min(offset, text.count)] {
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return GoTemplatePosition(line: line, column: column)
    }

    func failure(_ offset: Int, _ message: String) -> GoTemplateError {
        let at = position(offset)
        return GoTemplateError(name: name, line: at.line, column: at.column, message: message)
    }

    /// One piece of the template: text, or an action's words with where it starts.
    enum Piece {
        case text(String)
        case action(words: String, start: Int)
    }

    /// Splits the template into text and actions, applying the trim markers.
    mutating func pieces() throws -> [Piece] {
        var pieces: [Piece] = []
        var textStart = 0
        var trimNext = false
        func append(_ scalars: ArraySlice<Unicode.Scalar>, trimLeading: Bool, trimTrailing: Bool) {
            var slice = scalars
            if trimLeading { while let first = slice.first, first.properties.isWhitespace { slice = slice.dropFirst() } }
            if trimTrailing { while let last = slice.last, last.properties.isWhitespace { slice = slice.dropLast() } }
            if !slice.isEmpty { pieces.append(.text(String(String.UnicodeScalarView(slice)))) }
        }
        while index < text.count {
            guard text[index] == "{", index + 1 < text.count, text[index + 1] == "{" else { index += 1; continue }
            let start = index
            var contentStart = index + 2
            let trimBefore = contentStart + 1 < text.count && text[contentStart] == "-"
                && text[contentStart + 1].properties.isWhitespace
            if trimBefore { contentStart += 1 }
            append(text[textStart..<start], trimLeading: trimNext, trimTrailing: trimBefore)
            // The action ends at the first `}}` outside a string literal.
            var cursor = contentStart
            var quote: Unicode.Scalar?
            var end: Int?
            while cursor < text.count {
                let scalar = text[cursor]
                if let open = quote {
                    if scalar == "\\" && open == "\"" { cursor += 2; continue }
                    if scalar == open { quote = nil }
                } else if scalar == "\"" || scalar == "`" {
                    quote = scalar
                } else if scalar == "}" && cursor + 1 < text.count && text[cursor + 1] == "}" {
                    end = cursor
                    break
                }
                cursor += 1
            }
            guard let end else { throw failure(start, "unclosed action") }
            var contentEnd = end
            trimNext = contentEnd - 2 >= contentStart && text[contentEnd - 1] == "-"
                && text[contentEnd - 2].properties.isWhitespace
            if trimNext { contentEnd -= 1 }
            pieces.append(.action(words: String(String.UnicodeScalarView(text[contentStart..<contentEnd])), start: start))
            index = end + 2
            textStart = index
        }
        append(text[textStart..<text.count], trimLeading: trimNext, trimTrailing: false)
        return pieces
    }

    mutating func parseAll() throws -> [GoTemplateNode] {
        var pieces = try self.pieces()[...]
        let (nodes, stop) = try parseList(&pieces)
        if let stop { throw failure(stop.start, "unexpected {{\(stop.keyword)}}") }
        return nodes
    }

    /// Nodes up to an `else` or `end` (returned as the stop), or to the end of the template.
    func parseList(_ pieces: inout ArraySlice<Piece>) throws -> ([GoTemplateNode], (keyword: String, start: Int)?) {
        var nodes: [GoTemplateNode] = []
        while let piece = pieces.popFirst() {
            switch piece {
            case let .text(text): nodes.append(.text(text))
            case let .action(words, start):
                let trimmed = words.trimmingSpaces()
                let keyword = trimmed.prefix { !$0.isWhitespace && $0 != "(" }
                switch keyword {
                case "else", "end":
                    guard trimmed == keyword else { throw failure(start, "{{\(trimmed)}} is not supported (only {{else}} and {{end}})") }
                    return (nodes, (String(keyword), start))
                case "if", "range":
                    let action = try self.action(String(trimmed.dropFirst(keyword.count)), start: start)
                    let (body, stop) = try parseList(&pieces)
                    var otherwise: [GoTemplateNode] = []
                    var last = stop
                    if stop?.keyword == "else" {
                        let (elseBody, elseStop) = try parseList(&pieces)
                        otherwise = elseBody
                        last = elseStop
                        if elseStop?.keyword == "else" { throw failure(elseStop!.start, "a second {{else}} in {{\(keyword)}}") }
                    }
                    guard last?.keyword == "end" else { throw failure(start, "{{\(keyword)}} without {{end}}") }
                    nodes.append(keyword == "if" ? .ifBlock(action, then: body, otherwise: otherwise)
                                                 : .rangeBlock(action, body: body, otherwise: otherwise))
                default:
                    if ["with", "define", "template", "block", "break", "continue"].contains(String(keyword)) {
                        throw failure(start, "{{\(keyword)}} is not supported")
                    }
                    nodes.append(.action(try action(trimmed, start: start)))
                }
            }
        }
        return (nodes, nil)
    }

    func action(_ words: String, start: Int) throws -> GoTemplateAction {
        var lexer = GoTemplateLexer(scalars: Array(words.unicodeScalars))
        let tokens: [GoTemplateToken]
        do { tokens = try lexer.tokens() } catch let error as GoTemplateLexError { throw failure(start, error.message) }
        guard !tokens.isEmpty else { throw failure(start, "missing value for command") }
        var rest = tokens[...]
        let operand = try pipeline(&rest, start: start)
        if let extra = rest.first { throw failure(start, "unexpected \(extra) in operand") }
        return GoTemplateAction(operand: operand, source: words.trimmingSpaces(), position: position(start))
    }

    /// `command | command …`: each result is the last argument of the next command, a function.
    func pipeline(_ tokens: inout ArraySlice<GoTemplateToken>, start: Int) throws -> GoTemplateOperand {
        var result = try command(&tokens, start: start, piped: nil)
        while tokens.first == .pipe {
            tokens.removeFirst()
            result = try command(&tokens, start: start, piped: result)
        }
        return result
    }

    func command(_ tokens: inout ArraySlice<GoTemplateToken>, start: Int, piped: GoTemplateOperand?) throws -> GoTemplateOperand {
        var operands: [GoTemplateOperand] = []
        var function: String?
        while let token = tokens.first, token != .pipe, token != .close {
            tokens.removeFirst()
            switch token {
            case let .identifier(word):
                if word == "true" || word == "false" { operands.append(.bool(word == "true")); continue }
                guard Self.functions.contains(word) else { throw failure(start, "function \"\(word)\" not defined (podrt has json, upper, lower and join)") }
                guard operands.isEmpty, function == nil else {
                    throw failure(start, "\(word) can only be the first word of a command")
                }
                function = word
            case let .field(fields): operands.append(.dot(fields: fields))
            case let .string(text): operands.append(.string(text))
            case let .number(value): operands.append(.number(value))
            case .open:
                operands.append(try pipeline(&tokens, start: start))
                guard tokens.popFirst() == .close else { throw failure(start, "unclosed left paren") }
            case .pipe, .close: break
            }
        }
        if let piped { operands.append(piped) }
        if let function { return .call(name: function, arguments: operands) }
        guard piped == nil else { throw failure(start, "a pipe must end in a function (json, upper, lower, join)") }
        guard operands.count == 1 else {
            throw failure(start, operands.isEmpty ? "missing value for command" : "can't give argument to non-function")
        }
        return operands[0]
    }
}

enum GoTemplateToken: Hashable, CustomStringConvertible {
    case field([String])
    case identifier(String)
    case string(String)
    case number(Int64)
    case pipe, open, close

    var description: String {
        switch self {
        case let .field(fields): return "." + fields.joined(separator: ".")
        case let .identifier(word): return word
        case let .string(text): return "\"\(text)\""
        case let .number(value): return String(value)
        case .pipe: return "|"
        case .open: return "("
        case .close: return ")"
        }
    }
}

struct GoTemplateLexError: Error {
    var message: String
}

/// The words inside one action.
struct GoTemplateLexer {
    let scalars: [Unicode.Scalar]
    var index = 0

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
    }

    mutating func tokens() throws -> [GoTemplateToken] {
        var tokens: [GoTemplateToken] = []
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.isWhitespace { index += 1; continue }
            switch scalar {
            case "|": tokens.append(.pipe); index += 1
            case "(": tokens.append(.open); index += 1
            case ")": tokens.append(.close); index += 1
            case ".":
                var fields: [String] = []
                while index < scalars.count && scalars[index] == "." {
                    index += 1
                    let wordStart = index
                    while index < scalars.count && Self.isWordScalar(scalars[index]) { index += 1 }
                    if index == wordStart {
                        if fields.isEmpty { break }  // `.` alone
                        throw GoTemplateLexError(message: "a field name is missing after '.'")
                    }
                    fields.append(String(String.UnicodeScalarView(scalars[wordStart..<index])))
                }
                tokens.append(.field(fields))
            case "\"", "`":
                guard let text = quoted(scalar) else { throw GoTemplateLexError(message: "unterminated quoted string") }
                tokens.append(.string(text))
            case "$": throw GoTemplateLexError(message: "variables ($) are not supported")
            default:
                let wordStart = index
                while index < scalars.count && Self.isWordScalar(scalars[index]) { index += 1 }
                guard index > wordStart else { throw GoTemplateLexError(message: "bad character \(describe(scalar))") }
                let word = String(String.UnicodeScalarView(scalars[wordStart..<index]))
                if let value = Int64(word) { tokens.append(.number(value)) } else if word.first!.isNumber {
                    throw GoTemplateLexError(message: "bad number syntax: \"\(word)\"")
                } else { tokens.append(.identifier(word)) }
            }
        }
        return tokens
    }

    func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + " '\(Character(scalar))'"
    }

    /// A "…" literal with Go's common escapes, or a `…` raw string.
    mutating func quoted(_ open: Unicode.Scalar) -> String? {
        index += 1
        var out = String.UnicodeScalarView()
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar == open { return String(out) }
            if scalar == "\\" && open == "\"" {
                guard index < scalars.count else { return nil }
                let escaped = scalars[index]
                index += 1
                switch escaped {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\\": out.append("\\")
                case "\"": out.append("\"")
                default: return nil
                }
                continue
            }
            out.append(scalar)
        }
        return nil
    }
}
