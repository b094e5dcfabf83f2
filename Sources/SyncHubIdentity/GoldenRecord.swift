public import SyncHubCore

/// A field of a person's golden record.
public enum GoldenField: String, CaseIterable, Sendable, Hashable, Codable, Comparable {
    case email, firstName, lastName, company, title, phone, website, street, city, state, postalCode, country, birthDate
    case personalID

    /// The position in `allCases`.
    public var ordinal: Int {
        switch self {
        case .email: 0
        case .firstName: 1
        case .lastName: 2
        case .company: 3
        case .title: 4
        case .phone: 5
        case .website: 6
        case .street: 7
        case .city: 8
        case .state: 9
        case .postalCode: 10
        case .country: 11
        case .birthDate: 12
        case .personalID: 13
        }
    }

    /// The store's column name (`first_name`).
    public var column: String {
        switch self {
        case .firstName: "first_name"
        case .lastName: "last_name"
        case .postalCode: "postal_code"
        case .birthDate: "birth_date"
        case .personalID: "personal_id"
        default: rawValue
        }
    }

    public init?(column: String) {
        guard let field = Self.allCases.first(where: { $0.column == column }) else { return nil }
        self = field
    }

    public static func < (a: GoldenField, b: GoldenField) -> Bool { a.ordinal < b.ordinal }

    /// The record's value of this field, trimmed; `nil` when absent or blank.
    public func value(of record: IdentityRecord) -> String? {
        let raw: String?
        switch self {
        case .email: raw = Self.bestEmail(record.emails)
        case .firstName: raw = record.profile.firstName
        case .lastName: raw = record.profile.lastName
        case .company: raw = record.profile.company
        case .title: raw = record.profile.title
        case .phone: raw = record.profile.phone
        case .website: raw = record.profile.website
        case .street: raw = record.profile.street
        case .city: raw = record.profile.city
        case .state: raw = record.profile.state
        case .postalCode: raw = record.profile.postalCode
        case .country: raw = record.profile.country
        case .birthDate: raw = record.profile.birthDate
        case .personalID: raw = record.profile.personalID
        }
        guard let raw else { return nil }
        let trimmed = goldenTrimmed(raw)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A record's personal address: the first plausible address that is not a role inbox (`info@`), else the first
    /// plausible one; trimmed and lower-cased.
    static func bestEmail(_ emails: [String]) -> String? {
        var fallback: String?
        for raw in emails {
            let trimmed = goldenTrimmed(raw)
            guard let at = trimmed.utf8.firstIndex(of: UInt8(ascii: "@")), at != trimmed.utf8.startIndex,
                trimmed.utf8.index(after: at) != trimmed.utf8.endIndex
            else { continue }
            let address = trimmed.lowercased()
            let local = String(address[..<address.firstIndex(of: "@")!])
            if !EmailAddress.roleLocalParts.contains(local) { return address }
            if fallback == nil { fallback = address }
        }
        return fallback
    }
}

/// How one golden field picks its value among a person's records.
public struct GoldenRule: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The first source in ``GoldenRule/sources`` that has a value wins; within a source, the most recent record.
        case sourcePriority
        /// The record the source changed last wins (by its source updated-at).
        case mostRecent
    }

    public var kind: Kind
    /// Connector instance names or systems (`sales`, `marketing`), best first. Sources not listed come after the
    /// listed ones; ties between records are broken by this order too.
    public var sources: [String]
    /// `false` (the default): a blank never replaces a value. Records without a value are passed over, and when
    /// every record of the person is blank the previous golden value stays while its record is still linked.
    /// `true`: the winning record's blank clears the field.
    public var overwriteWithBlank: Bool

    public init(_ kind: Kind, sources: [String] = [], overwriteWithBlank: Bool = false) {
        self.kind = kind
        self.sources = sources
        self.overwriteWithBlank = overwriteWithBlank
    }
}

/// The survivorship rules of every golden field (`identity: golden:` in `connectors.yml`).
public struct GoldenRules: Sendable, Hashable {
    public var rules: [GoldenField: GoldenRule]

    public init(rules: [GoldenField: GoldenRule] = [:]) {
        var all = Self.standard.rules
        for (field, rule) in rules { all[field] = rule }
        self.rules = all
    }

    private init(exactly rules: [GoldenField: GoldenRule]) { self.rules = rules }

    public subscript(field: GoldenField) -> GoldenRule { rules[field] ?? GoldenRule(.mostRecent) }

    /// The defaults: who a person is (email, name, phone, birth date, personal id) as sales last confirmed it, then
    /// marketing; where they work and live (company, title, website, address) as most recently changed anywhere, since
    /// people change jobs and move.
    public static let standard = GoldenRules(exactly: Dictionary(uniqueKeysWithValues: GoldenField.allCases.map { field -> (GoldenField, GoldenRule) in
        switch field {
        case .email, .firstName, .lastName, .phone, .birthDate, .personalID:
            (field, GoldenRule(.sourcePriority, sources: ["sales", "marketing"]))
        default:
            (field, GoldenRule(.mostRecent))
        }
    }))
}

/// Where a golden value came from.
public struct GoldenProvenance: Sendable, Hashable, Codable {
    /// The record whose value won.
    public var source: RecordReference
    /// `sourcePriority`, `mostRecent`, or `kept` (every record is blank now; the last value stays).
    public var rule: String
    /// The winning record's source updated-at, when the source said.
    public var sourceUpdatedAt: String?

    public init(source: RecordReference, rule: String, sourceUpdatedAt: String?) {
        self.source = source
        self.rule = rule
        self.sourceUpdatedAt = sourceUpdatedAt
    }
}

/// One value of a golden record, with its provenance.
public struct GoldenValue: Sendable, Hashable {
    public var value: String
    public var provenance: GoldenProvenance

    public init(value: String, provenance: GoldenProvenance) {
        self.value = value
        self.provenance = provenance
    }
}

/// The best-known value of each field of one person, and where each came from.
public struct GoldenRecord: Sendable, Hashable {
    public var personID: String
    /// The values in the order of `GoldenField.allCases` (`nil`: no value).
    public var values: [GoldenValue?]

    public init(personID: String, fields: [GoldenField: GoldenValue] = [:]) {
        self.personID = personID
        self.values = GoldenField.allCases.map { fields[$0] }
    }

    /// The fields that have a value.
    public var fields: [GoldenField: GoldenValue] {
        get {
            var fields: [GoldenField: GoldenValue] = [:]
            for (field, value) in zip(GoldenField.allCases, values) { if let value { fields[field] = value } }
            return fields
        }
        set { values = GoldenField.allCases.map { newValue[$0] } }
    }

    /// A field's value and provenance.
    public subscript(value field: GoldenField) -> GoldenValue? {
        get { values[field.ordinal] }
        set { values[field.ordinal] = newValue }
    }

    public subscript(field: GoldenField) -> String? { values[field.ordinal]?.value }
}

/// Builds golden records from a person's source records with the survivorship rules.
public struct GoldenRecordBuilder: Sendable {
    public let rules: GoldenRules
    /// The system (`sales`, `marketing`) of each connector instance, so rules may name systems.
    public let systems: [String: String]
    /// The rules in the order of `GoldenField.allCases`.
    let ordered: [GoldenRule]
    /// Each known connector's rank in each field's sources.
    let knownRanks: [String: [Int]]

    public init(rules: GoldenRules = GoldenRules(), systems: [String: String] = [:]) {
        self.rules = rules
        self.systems = systems
        let ordered = GoldenField.allCases.map { rules[$0] }
        self.ordered = ordered
        self.knownRanks = Dictionary(uniqueKeysWithValues: systems.keys.map { connector in
            (connector, ordered.map { Self.rank(connector: connector, system: systems[connector], $0) })
        })
    }

    /// The golden record of `personID` from its `records`. Deleted records count only when the person has no live
    /// record. `previous` is the person's last golden record, for fields every record has left blank.
    public func build(personID: String, records: [IdentityRecord], previous: @autoclosure () -> GoldenRecord? = nil) -> GoldenRecord {
        var last: GoldenRecord??  // `previous`, evaluated when first needed
        let candidates = records.contains(where: \.isDeleted) && records.contains(where: { !$0.isDeleted })
            ? records.filter { !$0.isDeleted } : records
        // Source updated-at as comparable numbers, only when there is something to compare.
        let times = candidates.count > 1 ? candidates.map { Self.instant($0.profile.updatedAt) } : [0]
        let ranks = candidates.map { record in
            knownRanks[record.reference.connector]
                ?? ordered.map { Self.rank(connector: record.reference.connector, system: systems[record.reference.connector], $0) }
        }
        var golden = GoldenRecord(personID: personID)
        var values = [String?](repeating: nil, count: candidates.count)
        for (position, field) in GoldenField.allCases.enumerated() {
            let rule = ordered[position]
            for index in candidates.indices { values[index] = field.value(of: candidates[index]) }
            var winner: Int?
            for index in candidates.indices where values[index] != nil || rule.overwriteWithBlank {
                guard let current = winner else { winner = index; continue }
                if beats(index, current, rule: rule, field: position, candidates: candidates, ranks: ranks, times: times) { winner = index }
            }
            if let winner {
                if let value = values[winner] {
                    let label = rule.kind == .sourcePriority && ranks[winner][position] < rule.sources.count ? "sourcePriority" : "mostRecent"
                    golden.values[position] = GoldenValue(value: value, provenance: GoldenProvenance(
                        source: candidates[winner].reference, rule: label, sourceUpdatedAt: candidates[winner].profile.updatedAt))
                }
            } else if !rule.overwriteWithBlank, let old = { () -> GoldenRecord? in
                if last == nil { last = .some(previous()) }
                return last!
            }()?[value: field],
                records.contains(where: { $0.reference == old.provenance.source })
            {
                var kept = old
                kept.provenance.rule = "kept"
                golden.values[position] = kept
            }
        }
        return golden
    }

    /// Whether candidate `a` wins over candidate `b` for the field at `field` (its position in `allCases`).
    func beats(
        _ a: Int, _ b: Int, rule: GoldenRule, field: Int, candidates: [IdentityRecord], ranks: [[Int]], times: [Int64]
    ) -> Bool {
        let rankA = ranks[a][field], rankB = ranks[b][field]
        if rule.kind == .sourcePriority, rankA != rankB { return rankA < rankB }
        if times[a] != times[b] { return times[a] > times[b] }
        if rankA != rankB { return rankA < rankB }
        return IdentityResolver.precedes(candidates[a].reference, candidates[b].reference)
    }

    /// The position of a connector (or its system) in the rule's sources; unlisted sources rank last.
    static func rank(connector: String, system: String?, _ rule: GoldenRule) -> Int {
        for (index, source) in rule.sources.enumerated() where source == connector || source == system { return index }
        return rule.sources.count
    }

    /// Milliseconds since 1970 of a source updated-at; the earliest possible when absent or unreadable. Reads the
    /// store's own spelling (`2025-03-04T05:06:07Z`, optionally with `.123`) without the general parser.
    static func instant(_ text: String?) -> Int64 {
        guard let text else { return Int64.min }
        let utf8 = text.utf8
        let fast: Int64? = utf8.withContiguousStorageIfAvailable { bytes -> Int64? in
            guard bytes.count == 20 || bytes.count == 24, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54,
                bytes[13] == 0x3A, bytes[16] == 0x3A, bytes[bytes.count - 1] == 0x5A
            else { return nil }
            func number(_ from: Int, _ count: Int) -> Int64? {
                var value: Int64 = 0
                for index in from..<from + count {
                    let byte = bytes[index]
                    guard byte >= 0x30 && byte <= 0x39 else { return nil }
                    value = value * 10 + Int64(byte - 0x30)
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                let minute = number(14, 2), let second = number(17, 2)
            else { return nil }
            var milliseconds: Int64 = 0
            if bytes.count == 24 {
                guard bytes[19] == 0x2E, let value = number(20, 3) else { return nil }
                milliseconds = value
            }
            // Days from the civil date (Howard Hinnant's algorithm).
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            let days = era * 146_097 + dayOfEra - 719_468
            return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + milliseconds
        } ?? nil
        return fast ?? Timestamps.milliseconds(text) ?? Int64.min
    }

}

/// `text` without leading and trailing ASCII whitespace.
func goldenTrimmed(_ text: String) -> String {
    let utf8 = text.utf8
    let space: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    guard let first = utf8.firstIndex(where: { !space($0) }) else { return "" }
    let last = utf8.lastIndex(where: { !space($0) })!
    if first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) { return text }
    return String(text[first...last])
}
