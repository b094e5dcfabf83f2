/// A SOQL error as the REST API reports it: an error code and a message that, for parse and field errors, starts
/// with the offending line, a caret and `ERROR at Row:r:Column:c`.
struct SOQLError: Error, Sendable {
    var code: String
    var message: String

    /// An error located at UTF-8 `offset` of `query`.
    static func located(_ code: String, _ query: String, offset: Int, _ text: String) -> SOQLError {
        let bytes = Array(query.utf8)
        let offset = min(max(0, offset), bytes.count)
        var lineStart = 0
        var row = 1
        for index in 0..<offset where bytes[index] == 0x0A {
            row += 1
            lineStart = index + 1
        }
        var lineEnd = offset
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
        let line = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        let caret = String(repeating: " ", count: column - 1) + "^"
        return SOQLError(code: code, message: "\n\(line)\n\(caret)\nERROR at Row:\(row):Column:\(column)\n\(text)")
    }
}

struct SOQLToken: Sendable {
    enum Kind: Sendable, Equatable {
        case word, string, number, dateTime, date, op, lparen, rparen, comma, dot, colon, eof
    }
    var kind: Kind
    /// The word, operator or number as written; a string literal's decoded value.
    var text: String
    /// Milliseconds (dateTime) or days (date) of a date literal.
    var instant: Int64 = 0
    /// UTF-8 offset in the query.
    var offset: Int

    func isWord(_ keyword: String) -> Bool { kind == .word && text.equalsIgnoringCase(keyword) }

    /// How an "unexpected token" error names this token.
    var spelling: String {
        switch kind {
        case .eof: "<EOF>"
        case .string: "'\(text)'"
        default: "'\(text)'"
        }
    }
}

extension String {
    func equalsIgnoringCase(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }
}

/// Splits a SOQL statement into tokens.
struct SOQLLexer {
    let query: String
    let bytes: [UInt8]
    var index = 0

    init(_ query: String) {
        self.query = query
        bytes = Array(query.utf8)
    }

    static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    func fail(_ text: String, at offset: Int) -> SOQLError {
        SOQLError.located("MALFORMED_QUERY", query, offset: offset, text)
    }

    mutating func tokens() throws(SOQLError) -> [SOQLToken] {
        var out: [SOQLToken] = []
        while true {
            let token = try next()
            out.append(token)
            if token.kind == .eof { return out }
        }
    }

    mutating func next() throws(SOQLError) -> SOQLToken {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        let start = index
        guard index < bytes.count else { return SOQLToken(kind: .eof, text: "<EOF>", offset: start) }
        let c = bytes[index]
        switch c {
        case UInt8(ascii: "("):
            index += 1
            return SOQLToken(kind: .lparen, text: "(", offset: start)
        case UInt8(ascii: ")"):
            index += 1
            return SOQLToken(kind: .rparen, text: ")", offset: start)
        case UInt8(ascii: ","):
            index += 1
            return SOQLToken(kind: .comma, text: ",", offset: start)
        case UInt8(ascii: "."):
            index += 1
            return SOQLToken(kind: .dot, text: ".", offset: start)
        case UInt8(ascii: ":"):
            index += 1
            return SOQLToken(kind: .colon, text: ":", offset: start)
        case UInt8(ascii: "="):
            index += 1
            return SOQLToken(kind: .op, text: "=", offset: start)
        case UInt8(ascii: "!"):
            guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "=") else {
                throw fail("unexpected token: '!'", at: start)
            }
            index += 2
            return SOQLToken(kind: .op, text: "!=", offset: start)
        case UInt8(ascii: "<"), UInt8(ascii: ">"):
            index += 1
            var op = String(UnicodeScalar(c))
            if index < bytes.count,
                bytes[index] == UInt8(ascii: "=") || (c == UInt8(ascii: "<") && bytes[index] == UInt8(ascii: ">"))
            {
                op.append(Character(UnicodeScalar(bytes[index])))
                index += 1
            }
            return SOQLToken(kind: .op, text: op == "<>" ? "!=" : op, offset: start)
        case UInt8(ascii: "'"):
            return try string(start: start)
        case UInt8(ascii: "-"), UInt8(ascii: "+"):
            guard index + 1 < bytes.count, Self.isDigit(bytes[index + 1]) else {
                throw fail("unexpected token: '\(UnicodeScalar(c))'", at: start)
            }
            index += 1
            return try numberOrDate(start: start)
        default:
            if Self.isDigit(c) { return try numberOrDate(start: start) }
            if Self.isWordByte(c) {
                while index < bytes.count, Self.isWordByte(bytes[index]) { index += 1 }
                return SOQLToken(
                    kind: .word, text: String(decoding: bytes[start..<index], as: UTF8.self), offset: start)
            }
            throw fail("unexpected token: '\(String(decoding: bytes[start..<start + 1], as: UTF8.self))'", at: start)
        }
    }

    mutating func string(start: Int) throws(SOQLError) -> SOQLToken {
        index += 1
        var value: [UInt8] = []
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "'") {
                index += 1
                return SOQLToken(kind: .string, text: String(decoding: value, as: UTF8.self), offset: start)
            }
            if c == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count else { break }
                let e = bytes[index + 1]
                switch e {
                case UInt8(ascii: "n"): value.append(0x0A)
                case UInt8(ascii: "r"): value.append(0x0D)
                case UInt8(ascii: "t"): value.append(0x09)
                case UInt8(ascii: "b"): value.append(0x08)
                case UInt8(ascii: "f"): value.append(0x0C)
                case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "\\"): value.append(e)
                // LIKE wildcards stay escaped: the LIKE matcher reads `\%` and `\_` as literal characters.
                case UInt8(ascii: "%"), UInt8(ascii: "_"): value.append(contentsOf: [UInt8(ascii: "\\"), e])
                default:
                    throw fail(
                        "Invalid string literal '\(String(decoding: bytes[start..<min(bytes.count, index + 2)], as: UTF8.self))'. Illegal character sequence '\\\(UnicodeScalar(e))' in string literal.",
                        at: start)
                }
                index += 2
                continue
            }
            value.append(c)
            index += 1
        }
        throw fail("line 1:\(start) mismatched character '<EOF>' expecting '''", at: start)
    }

    mutating func numberOrDate(start: Int) throws(SOQLError) -> SOQLToken {
        // A date literal: exactly four digits then '-'.
        let digitsStart = index
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        if index - digitsStart == 4, start == digitsStart, index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            var end = index
            while end < bytes.count,
                Self.isWordByte(bytes[end])
                    || [UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "+")].contains(bytes[end])
            {
                end += 1
            }
            let literal = bytes[start..<end]
            index = end
            let text = String(decoding: literal, as: UTF8.self)
            if literal.count == 10, let days = SFTime.parseDate(Array(literal)) {
                return SOQLToken(kind: .date, text: text, instant: days, offset: start)
            }
            if let ms = SFTime.parseDateTime(literal) {
                return SOQLToken(kind: .dateTime, text: text, instant: ms, offset: start)
            }
            throw fail("line 1:\(start) no viable alternative at character '\(text)'", at: start)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, Self.isWordByte(bytes[index]) {
            while index < bytes.count, Self.isWordByte(bytes[index]) { index += 1 }
            throw fail("unexpected token: '\(String(decoding: bytes[start..<index], as: UTF8.self))'", at: start)
        }
        return SOQLToken(kind: .number, text: String(decoding: bytes[start..<index], as: UTF8.self), offset: start)
    }
}

/// A parsed, not yet checked, SOQL statement.
struct SOQLStatement: Sendable {
    struct Path: Sendable {
        var segments: [String]
        var offset: Int
        var text: String { segments.joined(separator: ".") }
    }

    enum SelectItem: Sendable {
        case path(Path)
        case fields(String, offset: Int)
        case count(offset: Int)
    }

    indirect enum Condition: Sendable {
        case and([Condition])
        case or([Condition])
        case not(Condition)
        case compare(Path, op: String, SOQLToken)
        case inList(Path, negated: Bool, [SOQLToken])
        case like(Path, SOQLToken)
    }

    struct Order: Sendable {
        var path: Path
        var descending: Bool
        var nullsFirst: Bool?
    }

    var select: [SelectItem] = []
    var object = ""
    var objectOffset = 0
    var condition: Condition?
    var order: [Order] = []
    var limit: Int?
    var offset: Int?
}

/// Parses the SOQL subset a sync connector sends: `SELECT fields FROM Object [WHERE …] [ORDER BY …] [LIMIT n]
/// [OFFSET n]`, with `COUNT()`, `FIELDS(ALL|STANDARD|CUSTOM)`, relationship paths, AND/OR/NOT with Salesforce's rule
/// that mixing AND and OR needs parentheses, `=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`, `[NOT] IN (…)`, `LIKE`, and
/// string, number, boolean, null, date, datetime and relative date (`TODAY`, `LAST_N_DAYS:n`, …) literals.
struct SOQLParser {
    let query: String
    var tokens: [SOQLToken]
    var position = 0

    init(_ query: String) throws(SOQLError) {
        self.query = query
        var lexer = SOQLLexer(query)
        tokens = try lexer.tokens()
    }

    static let reserved: Set<String> = [
        "select", "from", "where", "and", "or", "not", "in", "like", "order", "by", "limit", "offset", "asc", "desc",
        "nulls", "group", "having", "with",
    ]

    var current: SOQLToken { tokens[position] }
    var following: SOQLToken { tokens[min(position + 1, tokens.count - 1)] }

    mutating func advance() -> SOQLToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    func unexpected(_ token: SOQLToken? = nil) -> SOQLError {
        let token = token ?? current
        return SOQLError.located("MALFORMED_QUERY", query, offset: token.offset, "unexpected token: \(token.spelling)")
    }

    mutating func expectWord(_ keyword: String) throws(SOQLError) {
        guard current.isWord(keyword) else { throw unexpected() }
        _ = advance()
    }

    mutating func expect(_ kind: SOQLToken.Kind) throws(SOQLError) -> SOQLToken {
        guard current.kind == kind else { throw unexpected() }
        return advance()
    }

    mutating func accept(_ keyword: String) -> Bool {
        guard current.isWord(keyword) else { return false }
        _ = advance()
        return true
    }

    mutating func parse() throws(SOQLError) -> SOQLStatement {
        var statement = SOQLStatement()
        try expectWord("SELECT")
        statement.select = try selectList()
        try expectWord("FROM")
        let object = try expect(.word)
        guard !Self.reserved.contains(object.text.lowercased()) else { throw unexpected(object) }
        statement.object = object.text
        statement.objectOffset = object.offset
        if accept("WHERE") { statement.condition = try condition() }
        if current.isWord("ORDER") {
            _ = advance()
            try expectWord("BY")
            repeat {
                var order = SOQLStatement.Order(path: try path(), descending: false)
                if accept("DESC") { order.descending = true } else { _ = accept("ASC") }
                if accept("NULLS") {
                    if accept("FIRST") {
                        order.nullsFirst = true
                    } else {
                        try expectWord("LAST")
                        order.nullsFirst = false
                    }
                }
                statement.order.append(order)
            } while current.kind == .comma && advance().kind == .comma
        }
        if accept("LIMIT") { statement.limit = try integer() }
        if current.isWord("OFFSET") {
            let token = advance()
            let offset = try integer()
            guard offset <= 2000 else {
                throw SOQLError(code: "NUMBER_OUTSIDE_VALID_RANGE", message: "Maximum SOQL offset allowed is 2000")
            }
            _ = token
            statement.offset = offset
        }
        guard current.kind == .eof else { throw unexpected() }
        return statement
    }

    mutating func integer() throws(SOQLError) -> Int {
        let token = try expect(.number)
        guard let value = Int(token.text), value >= 0 else { throw unexpected(token) }
        return value
    }

    mutating func selectList() throws(SOQLError) -> [SOQLStatement.SelectItem] {
        if current.isWord("COUNT"), following.kind == .lparen {
            let start = advance()
            _ = advance()
            guard current.kind == .rparen else {
                throw SOQLError.located(
                    "MALFORMED_QUERY", query, offset: current.offset,
                    "Aggregate queries are not supported by the synchub sandbox; use COUNT() without a field.")
            }
            _ = advance()
            return [.count(offset: start.offset)]
        }
        var items: [SOQLStatement.SelectItem] = []
        repeat {
            if current.isWord("FIELDS"), following.kind == .lparen {
                let start = advance()
                _ = advance()
                let which = try expect(.word)
                guard ["all", "standard", "custom"].contains(which.text.lowercased()) else { throw unexpected(which) }
                _ = try expect(.rparen)
                items.append(.fields(which.text.uppercased(), offset: start.offset))
            } else if current.kind == .lparen {
                throw SOQLError.located(
                    "MALFORMED_QUERY", query, offset: current.offset,
                    "Relationship subqueries are not supported by the synchub sandbox.")
            } else {
                items.append(.path(try path()))
            }
        } while current.kind == .comma && advance().kind == .comma
        return items
    }

    mutating func path() throws(SOQLError) -> SOQLStatement.Path {
        let first = try expect(.word)
        guard !Self.reserved.contains(first.text.lowercased()) else { throw unexpected(first) }
        var segments = [first.text]
        while current.kind == .dot {
            _ = advance()
            segments.append(try expect(.word).text)
        }
        return SOQLStatement.Path(segments: segments, offset: first.offset)
    }

    mutating func condition() throws(SOQLError) -> SOQLStatement.Condition {
        let first = try unary()
        if current.isWord("AND") {
            var items = [first]
            while accept("AND") { items.append(try unary()) }
            if current.isWord("OR") { throw unexpected() }
            return .and(items)
        }
        if current.isWord("OR") {
            var items = [first]
            while accept("OR") { items.append(try unary()) }
            if current.isWord("AND") { throw unexpected() }
            return .or(items)
        }
        return first
    }

    mutating func unary() throws(SOQLError) -> SOQLStatement.Condition {
        if accept("NOT") { return .not(try unary()) }
        if current.kind == .lparen {
            _ = advance()
            let inner = try condition()
            _ = try expect(.rparen)
            return inner
        }
        let field = try path()
        if current.isWord("NOT"), following.isWord("IN") {
            _ = advance()
            _ = advance()
            return .inList(field, negated: true, try list())
        }
        if accept("IN") { return .inList(field, negated: false, try list()) }
        if accept("LIKE") { return .like(field, try literal()) }
        guard current.kind == .op else { throw unexpected() }
        let op = advance().text
        return .compare(field, op: op, try literal())
    }

    mutating func list() throws(SOQLError) -> [SOQLToken] {
        _ = try expect(.lparen)
        if current.isWord("SELECT") {
            throw SOQLError.located(
                "MALFORMED_QUERY", query, offset: current.offset,
                "Semi-join subqueries are not supported by the synchub sandbox.")
        }
        var values: [SOQLToken] = []
        repeat { values.append(try literal()) } while current.kind == .comma && advance().kind == .comma
        _ = try expect(.rparen)
        return values
    }

    static let dateKeywords: Set<String> = ["today", "yesterday", "tomorrow", "last_n_days", "next_n_days"]

    mutating func literal() throws(SOQLError) -> SOQLToken {
        switch current.kind {
        case .string, .number, .date, .dateTime:
            return advance()
        case .word:
            let word = current.text.lowercased()
            if ["true", "false", "null"].contains(word) { return advance() }
            if Self.dateKeywords.contains(word) {
                var token = advance()
                if word.hasSuffix("_n_days") {
                    _ = try expect(.colon)
                    let n = try expect(.number)
                    guard let days = Int64(n.text), days >= 0 else { throw unexpected(n) }
                    token.instant = days
                }
                return token
            }
            throw unexpected()
        default:
            throw unexpected()
        }
    }
}
