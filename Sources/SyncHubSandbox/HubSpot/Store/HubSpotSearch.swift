import Foundation
import SyncHubCore

/// A parsed CRM search request (`POST /crm/v3/objects/{type}/search`).
struct HubSpotSearchQuery {
    enum Operator: String {
        case eq = "EQ", neq = "NEQ", lt = "LT", lte = "LTE", gt = "GT", gte = "GTE", between = "BETWEEN", in_ = "IN"
        case notIn = "NOT_IN", hasProperty = "HAS_PROPERTY", notHasProperty = "NOT_HAS_PROPERTY"
        case containsToken = "CONTAINS_TOKEN", notContainsToken = "NOT_CONTAINS_TOKEN"
    }

    struct Filter {
        var property: String
        var op: Operator
        var value: String?
        var highValue: String?
        var values: [String]
    }

    static let maxLimit = 200
    static let maxResults = 10_000
    static let maxGroups = 5
    static let maxFiltersPerGroup = 10
    static let maxFilters = 25

    /// Filter groups: OR between groups, AND within one.
    var groups: [[Filter]] = []
    var sortProperty: String?
    var descending = false
    var text: String?
    var properties: [String]?
    var limit = 10
    var offset = 0

    /// Parses the body, or says (as HubSpot's 400) why not.
    static func parse(_ body: JSONValue) -> Result<HubSpotSearchQuery, HubSpotReply> {
        guard case .object = body else { return .failure(HubSpotErrors.validation("Invalid input JSON: expected an object")) }
        var query = HubSpotSearchQuery()
        let groups = HubSpotRequestParsing.array(body["filterGroups"]) ?? []
        if groups.count > maxGroups {
            return .failure(
                HubSpotErrors.validation(
                    "Too many filter groups (\(groups.count)). The maximum number of filter groups is \(maxGroups).",
                    context: [("maxFilterGroups", [String(maxGroups)])]))
        }
        var total = 0
        for group in groups {
            let filters = HubSpotRequestParsing.array(group["filters"]) ?? []
            if filters.count > maxFiltersPerGroup {
                return .failure(
                    HubSpotErrors.validation(
                        "Too many filters in group (\(filters.count)). The maximum number of filters per group is \(maxFiltersPerGroup).",
                        context: [("maxFiltersPerGroup", [String(maxFiltersPerGroup)])]))
            }
            total += filters.count
            var parsed: [Filter] = []
            for filter in filters {
                guard let property = filter["propertyName"]?.text else {
                    return .failure(HubSpotErrors.validation("Each filter needs a propertyName."))
                }
                let opText = filter["operator"]?.text ?? "EQ"
                guard let op = Operator(rawValue: opText) else {
                    return .failure(
                        HubSpotErrors.validation("Invalid operator \(opText) for property \(property).",
                            context: [("operator", [opText])]))
                }
                let value = filter["value"]?.text
                let values = HubSpotRequestParsing.strings(filter["values"]) ?? []
                switch op {
                case .hasProperty, .notHasProperty: break
                case .in_, .notIn:
                    if values.isEmpty {
                        return .failure(HubSpotErrors.validation("Operator \(opText) requires values for property \(property)."))
                    }
                case .between:
                    if value == nil || filter["highValue"]?.text == nil {
                        return .failure(HubSpotErrors.validation("Operator BETWEEN requires value and highValue for property \(property)."))
                    }
                default:
                    if value == nil {
                        return .failure(HubSpotErrors.validation("Operator \(opText) requires a value for property \(property)."))
                    }
                }
                parsed.append(
                    Filter(property: property, op: op, value: value, highValue: filter["highValue"]?.text, values: values))
            }
            if !parsed.isEmpty { query.groups.append(parsed) }
        }
        if total > maxFilters {
            return .failure(
                HubSpotErrors.validation(
                    "Too many filters (\(total)). The maximum number of filters is \(maxFilters).",
                    context: [("maxFilters", [String(maxFilters)])]))
        }
        if let sorts = HubSpotRequestParsing.array(body["sorts"]), let sort = sorts.first {
            if let name = sort.text {
                query.sortProperty = name.hasPrefix("-") ? String(name.dropFirst()) : name
                query.descending = name.hasPrefix("-")
            } else if let name = sort["propertyName"]?.text {
                query.sortProperty = name
                query.descending = sort["direction"]?.text?.uppercased() == "DESCENDING"
            }
        }
        query.text = body["query"]?.text.flatMap { $0.isEmpty ? nil : $0 }
        query.properties = HubSpotRequestParsing.strings(body["properties"])
        if let limitText = body["limit"]?.text {
            guard let limit = Int(limitText), limit >= 0 else {
                return .failure(HubSpotErrors.validation("limit must be a non-negative integer."))
            }
            if limit > maxLimit {
                return .failure(
                    HubSpotErrors.validation(
                        "limit must be less than or equal to \(maxLimit).", context: [("limit", [limitText])]))
            }
            query.limit = limit == 0 ? 10 : limit
        }
        if let afterText = body["after"]?.text, !afterText.isEmpty {
            guard let offset = Int(afterText), offset >= 0 else {
                return .failure(HubSpotErrors.validation("Invalid paging cursor: \(afterText)", context: [("after", [afterText])]))
            }
            query.offset = offset
        }
        return .success(query)
    }
}

extension HubSpotStore {
    /// Positions of the records of `type` matching `query`, in result order (the sort property, then id; id alone
    /// without a sort). Archived and merged-away records never match; with `hiddenAfterMs`, neither do records
    /// modified after it (changes not yet indexed).
    func search(_ type: HubSpotObjectType, _ query: HubSpotSearchQuery, hiddenAfterMs: Int64?) -> [Int] {
        let table = self[type]
        let catalog = self.catalog(type)
        var candidates: ArraySlice<Int> = table.modifiedOrder[...]
        if query.groups.count == 1, let range = modifiedRange(type, query.groups[0]) {
            let low = table.lowerBound(modified: range.lowerBound)
            let high = range.upperBound == .max ? table.modifiedOrder.count : table.lowerBound(modified: range.upperBound)
            candidates = low < high ? table.modifiedOrder[low..<high] : []
        }
        var matches: [Int] = []
        for position in candidates {
            let record = table[position]
            if let hiddenAfterMs, record.modifiedMs > hiddenAfterMs { continue }
            if !query.groups.isEmpty, !query.groups.contains(where: { group in
                group.allSatisfy { Self.matches(record, $0, type: type, catalog: catalog) }
            }) { continue }
            if let text = query.text, !Self.matchesText(record, text, type: type) { continue }
            matches.append(position)
        }
        let sortName = query.sortProperty
        if let sortName, sortName == type.modifiedProperty, !query.descending {
            return matches  // already in (modified, id) order
        }
        guard let sortName else {
            return matches.sorted { table[$0].id < table[$1].id }
        }
        let kind = Self.kind(of: sortName, catalog: catalog)
        let keyed = matches.map { ($0, Self.sortKey(table[$0], sortName, kind: kind, type: type)) }
        let descending = query.descending
        return keyed.sorted { left, right in
            if left.1 != right.1 {
                return descending ? right.1 < left.1 : left.1 < right.1
            }
            return table[left.0].id < table[right.0].id
        }.map(\.0)
    }

    /// The range of modification times a filter group pins down (half-open), when it filters on that property.
    private func modifiedRange(_ type: HubSpotObjectType, _ filters: [HubSpotSearchQuery.Filter]) -> Range<Int64>? {
        var low = Int64.min
        var high = Int64.max
        var found = false
        for filter in filters where filter.property == type.modifiedProperty {
            guard let value = filter.value.flatMap(HubSpotTime.parse) else { continue }
            switch filter.op {
            case .gte: low = max(low, value)
            case .gt: low = max(low, value + 1)
            case .lt: high = min(high, value)
            case .lte: high = min(high, value + 1)
            case .eq:
                low = max(low, value)
                high = min(high, value + 1)
            case .between:
                guard let top = filter.highValue.flatMap(HubSpotTime.parse) else { continue }
                low = max(low, value)
                high = min(high, top + 1)
            default: continue
            }
            found = true
        }
        guard found else { return nil }
        return low < high ? low..<high : 0..<0
    }

    // MARK: - Matching

    enum SortKey: Comparable {
        case missing
        case number(Double)
        case text(String)
    }

    static func kind(of name: String, catalog: HubSpotPropertyCatalog) -> HubSpotPropertyDefinition.Kind {
        catalog[name]?.type ?? .string
    }

    static func sortKey(_ record: HubSpotRecord, _ name: String, kind: HubSpotPropertyDefinition.Kind, type: HubSpotObjectType)
        -> SortKey
    {
        switch name {
        case "hs_object_id": return .number(Double(record.id))
        case type.createdProperty: return .number(Double(record.createdMs))
        case type.modifiedProperty: return .number(Double(record.modifiedMs))
        default: break
        }
        guard let value = record.values[name], !value.isEmpty else { return .missing }
        switch kind {
        case .number: return Double(value).map(SortKey.number) ?? .text(value.lowercased())
        case .datetime, .date: return HubSpotTime.parse(value).map { .number(Double($0)) } ?? .text(value)
        default: return .text(value.lowercased())
        }
    }

    static func matches(
        _ record: HubSpotRecord, _ filter: HubSpotSearchQuery.Filter, type: HubSpotObjectType,
        catalog: HubSpotPropertyCatalog
    ) -> Bool {
        let kind = kind(of: filter.property, catalog: catalog)
        let stored: String?
        switch filter.property {
        case "hs_object_id": stored = record.idText
        default: stored = record.values[filter.property].flatMap { $0.isEmpty ? nil : $0 }
        }
        switch filter.op {
        case .hasProperty: return stored != nil
        case .notHasProperty: return stored == nil
        default: break
        }
        guard let stored else {
            // HubSpot treats a missing value as not equal to anything.
            return filter.op == .neq || filter.op == .notIn || filter.op == .notContainsToken
        }
        switch filter.op {
        case .eq: return compare(stored, filter.value!, kind) == 0
        case .neq: return compare(stored, filter.value!, kind) != 0
        case .lt: return compare(stored, filter.value!, kind).map { $0 < 0 } ?? false
        case .lte: return compare(stored, filter.value!, kind).map { $0 <= 0 } ?? false
        case .gt: return compare(stored, filter.value!, kind).map { $0 > 0 } ?? false
        case .gte: return compare(stored, filter.value!, kind).map { $0 >= 0 } ?? false
        case .between:
            guard let low = compare(stored, filter.value!, kind), let high = compare(stored, filter.highValue!, kind)
            else { return false }
            return low >= 0 && high <= 0
        case .in_: return filter.values.contains { compare(stored, $0, kind) == 0 }
        case .notIn: return !filter.values.contains { compare(stored, $0, kind) == 0 }
        case .containsToken: return tokenMatch(stored, filter.value!)
        case .notContainsToken: return !tokenMatch(stored, filter.value!)
        case .hasProperty, .notHasProperty: return false
        }
    }

    /// -1, 0 or 1 comparing a stored value with a filter value by the property's kind; nil when not comparable.
    static func compare(_ stored: String, _ wanted: String, _ kind: HubSpotPropertyDefinition.Kind) -> Int? {
        switch kind {
        case .number:
            guard let left = Double(stored), let right = Double(wanted) else { return nil }
            return left < right ? -1 : (left > right ? 1 : 0)
        case .datetime, .date:
            guard let left = HubSpotTime.parse(stored), let right = HubSpotTime.parse(wanted) else { return nil }
            return left < right ? -1 : (left > right ? 1 : 0)
        case .bool, .enumeration, .string:
            let left = stored.lowercased()
            let right = wanted.lowercased()
            return left < right ? -1 : (left > right ? 1 : 0)
        }
    }

    /// CONTAINS_TOKEN: `*` is a wildcard; otherwise one of the value's words must equal the token.
    static func tokenMatch(_ stored: String, _ token: String) -> Bool {
        let value = stored.lowercased()
        let wanted = token.lowercased()
        if wanted.contains("*") {
            let parts = wanted.split(separator: "*", omittingEmptySubsequences: true)
            var rest = value[...]
            for part in parts {
                guard let range = rest.range(of: part) else { return false }
                rest = rest[range.upperBound...]
            }
            return true
        }
        let words = value.split { !$0.isLetter && !$0.isNumber && $0 != "@" && $0 != "." && $0 != "-" }
        return words.contains { $0 == wanted } || value == wanted
    }

    static func matchesText(_ record: HubSpotRecord, _ text: String, type: HubSpotObjectType) -> Bool {
        let fields: [String]
        switch type {
        case .contacts: fields = ["email", "firstname", "lastname", "phone", "company"]
        case .companies: fields = ["name", "domain", "website", "phone"]
        case .deals: fields = ["dealname"]
        case .calls: fields = ["hs_call_title"]
        case .meetings: fields = ["hs_meeting_title"]
        case .emails: fields = ["hs_email_subject"]
        case .tasks: fields = ["hs_task_subject"]
        }
        let haystack = fields.compactMap { record.values[$0]?.lowercased() }
        return text.lowercased().split(separator: " ").allSatisfy { token in
            haystack.contains { $0.contains(token) }
        }
    }
}
