import Core
/// A row of the state database that does not read back as the object it stores: an unexpected NULL or
/// storage class, a lock id out of range, a config that is not the JSON podrt writes. It names the database,
/// the object (kind, name and id, as far as those columns read) and the column, and says what is wrong.
public struct CorruptRowError: Error, Hashable, Sendable, CustomStringConvertible {
    public var database: String
    public var kind: ObjectKind
    /// The name and id columns, when they hold text (a volume's id is its name).
    public var name: String?
    public var id: String?
    /// SQLite's rowid: the one key every row has, by which refresh leaves the row out of its writes.
    public var rowid: Int64
    /// The lock id, when that column reads: refresh still reserves it, so no new object is given it.
    public var lockID: UInt32?
    /// The column and what is wrong with it: `lock_id is text "x", expected an integer`.
    public var problem: String

    /// `container web (id 0123456789ab)`, or as much of it as the row gives.
    public var object: String {
        let shortID = id.map { $0.count > 12 ? String($0.prefix(12)) : $0 }
        switch (name, shortID) {
        case let (name?, id?) where kind != .volume: return "\(kind.rawValue) \(name) (id \(id))"
        case let (name?, _): return "\(kind.rawValue) \(name)"
        case let (nil, id?): return "\(kind.rawValue) with id \(id)"
        case (nil, nil): return "\(kind.rawValue) in row \(rowid) of table \(kind.rawValue)s"
        }
    }

    public var description: String { "state database \(database): \(object): \(problem)" }
}

/// What is wrong with one column, before the row's object is known.
struct ColumnProblem: Error {
    var message: String
}

/// Reads the columns of one row, each strictly as the storage class and range podrt writes. Column 0 of the
/// query is the rowid; `names` are the other columns, in order, for messages.
struct RowReader {
    let values: [SQLValue]
    let names: [String]

    var rowid: Int64 { values[0].integerValue ?? -1 }

    func value(_ column: Int) -> SQLValue { values[column + 1] }

    func problem(_ column: Int, _ what: String) -> ColumnProblem { ColumnProblem(message: "\(names[column]) \(what)") }

    func text(_ column: Int) throws -> String {
        guard let text = value(column).textValue else { throw problem(column, "is \(value(column).summary), expected text") }
        return text
    }

    /// Text or NULL (a container's pod).
    func optionalText(_ column: Int) throws -> String? {
        if case .null = value(column) { return nil }
        guard let text = value(column).textValue else {
            throw problem(column, "is \(value(column).summary), expected text or NULL")
        }
        return text
    }

    func integer(_ column: Int) throws -> Int64 {
        guard let number = value(column).integerValue else {
            throw problem(column, "is \(value(column).summary), expected an integer")
        }
        return number
    }

    /// An integer that fits `T` (a lock id in UInt32, a pid in Int32), never truncated.
    func integer<T: FixedWidthInteger>(_ column: Int, as type: T.Type, what: String) throws -> T {
        let number = try integer(column)
        guard let fitting = T(exactly: number) else {
            throw problem(column, "is \(number), out of range for \(what) (\(T.min)…\(T.max))")
        }
        return fitting
    }

    func lockID(_ column: Int) throws -> UInt32 { try integer(column, as: UInt32.self, what: "a lock id") }

    /// One of podrt's container states.
    func containerState(_ column: Int) throws -> ContainerState {
        guard let state = try ContainerState(rawValue: text(column)) else {
            throw problem(column, "is \(value(column).summary), not a container state ("
                + ContainerState.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        return state
    }

    func json(_ column: Int) throws -> JSON {
        let text = try text(column)
        do { return try JSON.parse(text) } catch { throw problem(column, "is not valid JSON: \(error)") }
    }

    /// A JSON array of strings (exec sessions).
    func strings(_ column: Int) throws -> [String] {
        if value(column) == .text("[]") { return [] }  // what nearly every row holds: no parse
        guard let strings = try JSONFields.strings(json(column)) else {
            throw problem(column, "is not a JSON array of strings")
        }
        return strings
    }

    /// A JSON object's members, read with messages naming this column.
    func object(_ column: Int) throws -> JSONFields {
        let value = try json(column)
        guard case .object = value else { throw problem(column, "is not a JSON object") }
        return JSONFields(json: value, column: names[column])
    }
}

/// The members of a JSON column (a config), each required and of the type podrt writes.
struct JSONFields {
    let json: JSON
    let column: String
    /// For an object inside an array member: that member and the index (the message is only built on error).
    var item: (key: String, index: Int)? = nil

    func problem(_ key: String, _ what: String) -> ColumnProblem {
        let place = item.map { "\(column): \"\($0.key)\" item \($0.index)" } ?? column
        return ColumnProblem(message: "\(place): \"\(key)\" \(what)")
    }

    func string(_ key: String) throws -> String {
        guard let value = json[key] else { throw problem(key, "is missing") }
        guard let text = value.stringValue else { throw problem(key, "is not a string") }
        return text
    }

    func strings(_ key: String) throws -> [String] {
        guard let value = json[key] else { throw problem(key, "is missing") }
        guard let strings = Self.strings(value) else { throw problem(key, "is not an array of strings") }
        return strings
    }

    /// A member podrt added later: nil when a row from before has none.
    func optionalStrings(_ key: String) throws -> [String]? { json[key] == nil ? nil : try strings(key) }

    func optionalString(_ key: String) throws -> String? { json[key] == nil ? nil : try string(key) }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let value = json[key] else { return nil }
        guard case let .bool(flag) = value else { throw problem(key, "is not true or false") }
        return flag
    }

    func objects(_ key: String) throws -> [JSONFields] {
        guard let value = json[key] else { throw problem(key, "is missing") }
        guard let items = value.arrayValue else { throw problem(key, "is not an array") }
        return try items.enumerated().map { index, item in
            guard case .object = item else { throw problem(key, "item \(index) is not an object") }
            return JSONFields(json: item, column: column, item: (key, index))
        }
    }

    static func strings(_ value: JSON) -> [String]? {
        guard let items = value.arrayValue else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        for item in items {
            guard let text = item.stringValue else { return nil }
            strings.append(text)
        }
        return strings
    }
}
