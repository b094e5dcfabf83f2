/// A field reached from the queried object, directly or through relationships (`Account.Owner.Name`).
struct SOQLFieldPath: Sendable {
    /// Reference field indices followed from the root object.
    var hops: [Int]
    /// The object at each step: `kinds[0]` is the root, `kinds[i + 1]` the target of `hops[i]`.
    var kinds: [SFObjectKind]
    var field: Int
    var type: SFFieldType
    var name: String
    var final: SFObjectKind { kinds[kinds.count - 1] }

    func isRoot(_ index: Int) -> Bool { hops.isEmpty && field == index }
}

enum SOQLOp: String, Sendable {
    case eq = "="
    case ne = "!="
    case lt = "<"
    case le = "<="
    case gt = ">"
    case ge = ">="
}

indirect enum SOQLPredicate: Sendable {
    case and([SOQLPredicate])
    case or([SOQLPredicate])
    case not(SOQLPredicate)
    case compare(SOQLFieldPath, SOQLOp, SFValue)
    /// A relative date literal (`TODAY`, `LAST_N_DAYS:7`): the half-open range [lower, upper).
    case range(SOQLFieldPath, SOQLOp, lower: SFValue, upper: SFValue)
    case inList(SOQLFieldPath, negated: Bool, [SFValue])
    case like(SOQLFieldPath, [UInt8])
}

/// What a query returns per record, in SELECT order; relationship fields nest as Salesforce nests them.
enum SOQLProjection: Sendable {
    case field(Int)
    case relationship(name: String, field: Int, target: SFObjectKind, children: [SOQLProjection])
}

struct SOQLOrder: Sendable {
    var path: SOQLFieldPath
    var descending: Bool
    var nullsFirst: Bool
}

/// A checked query, ready to run against the org.
struct SOQLPlan: Sendable {
    var object: SFObjectKind
    var isCount = false
    var projection: [SOQLProjection] = []
    var predicate: SOQLPredicate?
    var order: [SOQLOrder] = []
    var limit: Int?
    var offset = 0

    /// Parses and checks `query` against the simulated schema; `now` (ms) anchors relative date literals.
    static func make(_ query: String, now: Int64) throws(SOQLError) -> SOQLPlan {
        var parser = try SOQLParser(query)
        let statement = try parser.parse()
        return try SOQLBinder(query: query, now: now).bind(statement)
    }
}

/// Checks a parsed statement against the schema: objects, fields, relationships, literal types.
struct SOQLBinder {
    let query: String
    let now: Int64

    func invalidField(_ offset: Int, _ text: String) -> SOQLError {
        SOQLError.located("INVALID_FIELD", query, offset: offset, text)
    }

    func bind(_ statement: SOQLStatement) throws(SOQLError) -> SOQLPlan {
        guard let object = SalesforceSchema.object(named: statement.object) else {
            throw SOQLError.located(
                "INVALID_TYPE", query, offset: statement.objectOffset,
                "sObject type '\(statement.object)' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
            )
        }
        var plan = SOQLPlan(object: object.kind)
        for item in statement.select {
            switch item {
            case .count:
                plan.isCount = true
            case .fields(let which, let offset):
                if which != "STANDARD", (statement.limit ?? .max) > 200 {
                    throw SOQLError.located(
                        "MALFORMED_QUERY", query, offset: offset,
                        "The SOQL FIELDS function must have a LIMIT of at most 200")
                }
                for (index, field) in object.fields.enumerated() {
                    let wanted = which == "ALL" || (which == "CUSTOM") == field.custom
                    guard wanted,
                        !plan.projection.contains(where: { if case .field(index) = $0 { true } else { false } })
                    else { continue }
                    plan.projection.append(.field(index))
                }
            case .path(let written):
                let path = try resolve(written, from: object)
                try insert(path, level: 0, into: &plan.projection, written: written)
            }
        }
        if let condition = statement.condition { plan.predicate = try bind(condition, object) }
        for order in statement.order {
            let path = try resolve(order.path, from: object)
            plan.order.append(
                SOQLOrder(path: path, descending: order.descending, nullsFirst: order.nullsFirst ?? !order.descending))
        }
        plan.limit = statement.limit
        plan.offset = statement.offset ?? 0
        return plan
    }

    func resolve(_ written: SOQLStatement.Path, from root: SFObject) throws(SOQLError) -> SOQLFieldPath {
        var segments = written.segments
        if segments.count >= 2, segments[0].equalsIgnoringCase(root.name),
            root.relationshipIndex[segments[0].lowercased()] == nil
        {
            segments.removeFirst()
        }
        var current = root
        var hops: [Int] = []
        var kinds = [root.kind]
        for segment in segments.dropLast() {
            guard let reference = current.relationshipIndex[segment.lowercased()],
                let target = current.fields[reference].referenceTo.flatMap(SalesforceSchema.object(named:))
            else {
                throw invalidField(
                    written.offset,
                    "Didn't understand relationship '\(segment)' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."
                )
            }
            hops.append(reference)
            kinds.append(target.kind)
            current = target
        }
        let last = segments[segments.count - 1]
        guard let field = current.field(named: last) else {
            throw invalidField(
                written.offset,
                "No such column '\(last)' on entity '\(current.name)'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
            )
        }
        return SOQLFieldPath(
            hops: hops, kinds: kinds, field: field, type: current.fields[field].type, name: current.fields[field].name)
    }

    func insert(_ path: SOQLFieldPath, level: Int, into nodes: inout [SOQLProjection], written: SOQLStatement.Path)
        throws(SOQLError)
    {
        if level == path.hops.count {
            let exists = nodes.contains { if case .field(path.field) = $0 { true } else { false } }
            guard !exists else {
                throw SOQLError.located(
                    "MALFORMED_QUERY", query, offset: written.offset, "duplicate field selected: \(written.text)")
            }
            nodes.append(.field(path.field))
            return
        }
        let hop = path.hops[level]
        for index in nodes.indices {
            guard case .relationship(let name, hop, let target, var children) = nodes[index] else { continue }
            try insert(path, level: level + 1, into: &children, written: written)
            nodes[index] = .relationship(name: name, field: hop, target: target, children: children)
            return
        }
        let object = SalesforceSchema.object(path.kinds[level])
        var children: [SOQLProjection] = []
        try insert(path, level: level + 1, into: &children, written: written)
        nodes.append(
            .relationship(
                name: object.fields[hop].relationshipName ?? object.fields[hop].name, field: hop,
                target: path.kinds[level + 1],
                children: children))
    }

    func bind(_ condition: SOQLStatement.Condition, _ object: SFObject) throws(SOQLError) -> SOQLPredicate {
        switch condition {
        case .and(let items):
            var bound: [SOQLPredicate] = []
            for item in items { bound.append(try bind(item, object)) }
            return .and(bound)
        case .or(let items):
            var bound: [SOQLPredicate] = []
            for item in items { bound.append(try bind(item, object)) }
            return .or(bound)
        case .not(let inner):
            return .not(try bind(inner, object))
        case .compare(let written, let opText, let literal):
            let path = try resolve(written, from: object)
            let op = SOQLOp(rawValue: opText) ?? .eq
            if let range = try relativeRange(literal, path) {
                return .range(path, op, lower: range.lower, upper: range.upper)
            }
            let value = try value(literal, path)
            if value.isNull, op != .eq, op != .ne {
                throw SOQLError.located(
                    "MALFORMED_QUERY", query, offset: literal.offset, "invalid operator on null: \(opText)")
            }
            return .compare(path, op, value)
        case .inList(let written, let negated, let literals):
            let path = try resolve(written, from: object)
            var values: [SFValue] = []
            for literal in literals {
                if try relativeRange(literal, path) != nil {
                    throw SOQLError.located(
                        "MALFORMED_QUERY", query, offset: literal.offset, "unexpected token: \(literal.spelling)")
                }
                values.append(try value(literal, path))
            }
            return .inList(path, negated: negated, values)
        case .like(let written, let literal):
            let path = try resolve(written, from: object)
            guard path.type.isText, path.type != .id, path.type != .reference else {
                throw invalidField(written.offset, "invalid operator on \(path.type.filterTypeName) field: LIKE")
            }
            guard literal.kind == .string else { throw typeError(literal, path) }
            return .like(path, Array(literal.text.lowercased().utf8))
        }
    }

    func typeError(_ literal: SOQLToken, _ path: SOQLFieldPath) -> SOQLError {
        let quoted = path.type.isText ? "should be enclosed in quotes" : "should not be enclosed in quotes"
        return invalidField(
            literal.offset,
            "value of filter criterion for field '\(path.name)' must be of type \(path.type.filterTypeName) and \(quoted)"
        )
    }

    /// The range of a relative date literal on a date or datetime field, or `nil` for other literals.
    func relativeRange(_ literal: SOQLToken, _ path: SOQLFieldPath) throws(SOQLError) -> (
        lower: SFValue, upper: SFValue
    )? {
        guard literal.kind == .word, SOQLParser.dateKeywords.contains(literal.text.lowercased()) else { return nil }
        guard path.type == .date || path.type == .datetime else { throw typeError(literal, path) }
        let today = SFTime.day(ofMilliseconds: now)
        let days: (Int64, Int64) =
            switch literal.text.lowercased() {
            case "today": (today, today + 1)
            case "yesterday": (today - 1, today)
            case "tomorrow": (today + 1, today + 2)
            case "last_n_days": (today - literal.instant, today + 1)
            default: (today + 1, today + 1 + literal.instant)
            }
        if path.type == .date { return (.date(days.0), .date(days.1)) }
        return (.dateTime(days.0 * SFTime.msPerDay), .dateTime(days.1 * SFTime.msPerDay))
    }

    /// The value of a literal compared with `path`, checked against the field's type.
    func value(_ literal: SOQLToken, _ path: SOQLFieldPath) throws(SOQLError) -> SFValue {
        if literal.kind == .word, literal.text.lowercased() == "null" { return .null }
        switch path.type {
        case .id, .reference:
            guard literal.kind == .string else { throw typeError(literal, path) }
            guard let id = SalesforceID.canonical(literal.text) else {
                throw SOQLError.located(
                    "INVALID_QUERY_FILTER_OPERATOR", query, offset: literal.offset, "invalid ID field: \(literal.text)")
            }
            return .string(id)
        case .boolean:
            guard literal.kind == .word else { throw typeError(literal, path) }
            return .bool(literal.text.lowercased() == "true")
        case .datetime:
            guard literal.kind == .dateTime else { throw typeError(literal, path) }
            return .dateTime(literal.instant)
        case .date:
            guard literal.kind == .date else { throw typeError(literal, path) }
            return .date(literal.instant)
        case .double, .currency, .percent, .int:
            guard literal.kind == .number, let number = Double(literal.text) else { throw typeError(literal, path) }
            return .number(number)
        default:
            guard literal.kind == .string else { throw typeError(literal, path) }
            return .string(Self.unescapingWildcards(literal.text))
        }
    }

    /// Outside LIKE, `\%` and `\_` mean the characters themselves.
    static func unescapingWildcards(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            if byte == UInt8(ascii: "\\"), next == UInt8(ascii: "%") || next == UInt8(ascii: "_") { continue }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
