/// Runs a checked query against the org: the matching slots of the queried table, in result order.
///
/// Range conditions on `SystemModstamp` at the top of the WHERE clause are answered by binary search on the
/// (SystemModstamp, Id) index; `ORDER BY SystemModstamp[, Id]` then needs no sort. Without ORDER BY, rows come in
/// id (creation) order.
enum SOQLExecutor {
    static func run(_ plan: SOQLPlan, in org: SFOrg, includeDeleted: Bool) -> [Int32] {
        let table = org[plan.object]
        let object = table.object
        let stampIndex = object.systemModstampIndex

        // Candidates, from the modstamp index when the WHERE clause bounds SystemModstamp.
        var candidates: ArraySlice<Int32>
        var fromModstampIndex: Bool
        if let bounds = plan.predicate.flatMap({ modstampBounds($0, stampIndex) }) {
            let low = bounds.lower.map { table.lowerBound(stamp: $0, slot: .min) } ?? 0
            let high = bounds.upper.map { table.lowerBound(stamp: $0, slot: .min) } ?? table.byModstamp.count
            candidates = low < high ? table.byModstamp[low..<high] : []
            fromModstampIndex = true
        } else if let first = plan.order.first, first.path.isRoot(stampIndex), !first.descending {
            candidates = table.byModstamp[...]
            fromModstampIndex = true
        } else {
            candidates = ArraySlice((0..<Int32(table.rows.count)).map { $0 })
            fromModstampIndex = false
        }

        var slots: [Int32] = []
        slots.reserveCapacity(candidates.count)
        for slot in candidates {
            let row = table.rows[Int(slot)]
            if !includeDeleted, row.isDeleted(object) { continue }
            if let predicate = plan.predicate, !matches(predicate, row, org) { continue }
            slots.append(slot)
        }

        // Order.
        let idIndex = 0
        let order = plan.order
        let sortedByStampThenID =
            fromModstampIndex && !order.isEmpty && order[0].path.isRoot(stampIndex) && !order[0].descending
            && (order.count == 1 || (order.count == 2 && order[1].path.isRoot(idIndex) && !order[1].descending))
        if order.isEmpty || (order.count == 1 && order[0].path.isRoot(idIndex) && !order[0].descending) {
            if fromModstampIndex { slots.sort() }
        } else if !sortedByStampThenID {
            let keys = slots.map { slot in order.map { value($0.path, table.rows[Int(slot)], org) } }
            var positions = Array(slots.indices)
            positions.sort { a, b in
                for (i, item) in order.enumerated() {
                    let c = compareForOrder(keys[a][i], keys[b][i], item)
                    if c != 0 { return c < 0 }
                }
                return slots[a] < slots[b]
            }
            slots = positions.map { slots[$0] }
        }

        // OFFSET, LIMIT.
        if plan.offset > 0 { slots.removeFirst(min(plan.offset, slots.count)) }
        if let limit = plan.limit, slots.count > limit { slots.removeLast(slots.count - limit) }
        return slots
    }

    /// Inclusive lower and exclusive upper SystemModstamp bounds implied by the top-level conjunction.
    static func modstampBounds(_ predicate: SOQLPredicate, _ stampIndex: Int) -> (lower: Int64?, upper: Int64?)? {
        var lower: Int64?
        var upper: Int64?
        func add(_ p: SOQLPredicate) {
            switch p {
            case .and(let items): items.forEach(add)
            case .compare(let path, let op, .dateTime(let ms)) where path.isRoot(stampIndex):
                switch op {
                case .gt: lower = max(lower ?? .min, ms + 1)
                case .ge: lower = max(lower ?? .min, ms)
                case .lt: upper = min(upper ?? .max, ms)
                case .le: upper = min(upper ?? .max, ms + 1)
                case .eq:
                    lower = max(lower ?? .min, ms)
                    upper = min(upper ?? .max, ms + 1)
                case .ne: break
                }
            default: break
            }
        }
        add(predicate)
        guard lower != nil || upper != nil else { return nil }
        return (lower, upper)
    }

    /// The value of `path` for `row`, following relationships through `org`.
    static func value(_ path: SOQLFieldPath, _ row: SFRow, _ org: SFOrg) -> SFValue {
        var current = row
        for (step, hop) in path.hops.enumerated() {
            guard case .string(let id) = current.values[hop], let next = org.row(path.kinds[step + 1], id: id) else {
                return .null
            }
            current = next
        }
        return current.values[path.field]
    }

    static func matches(_ predicate: SOQLPredicate, _ row: SFRow, _ org: SFOrg) -> Bool {
        switch predicate {
        case .and(let items): return items.allSatisfy { matches($0, row, org) }
        case .or(let items): return items.contains { matches($0, row, org) }
        case .not(let inner): return !matches(inner, row, org)
        case .compare(let path, let op, let literal):
            let v = value(path, row, org)
            switch op {
            case .eq: return equal(v, literal, path.type)
            case .ne: return !equal(v, literal, path.type)
            default:
                guard let c = compare(v, literal, path.type) else { return false }
                switch op {
                case .lt: return c < 0
                case .le: return c <= 0
                case .gt: return c > 0
                default: return c >= 0
                }
            }
        case .range(let path, let op, let lower, let upper):
            let v = value(path, row, org)
            guard let atLeastLower = compare(v, lower, path.type).map({ $0 >= 0 }),
                let belowUpper = compare(v, upper, path.type).map({ $0 < 0 })
            else { return op == .ne }
            switch op {
            case .eq: return atLeastLower && belowUpper
            case .ne: return !(atLeastLower && belowUpper)
            case .lt: return !atLeastLower
            case .le: return belowUpper
            case .gt: return !belowUpper
            case .ge: return atLeastLower
            }
        case .inList(let path, let negated, let values):
            let v = value(path, row, org)
            let found = values.contains { equal(v, $0, path.type) }
            return negated ? !found : found
        case .like(let path, let pattern):
            guard case .string(let text) = value(path, row, org) else { return false }
            return like(Array(text.lowercased().utf8), pattern)
        }
    }

    static func equal(_ value: SFValue, _ literal: SFValue, _ type: SFFieldType) -> Bool {
        if literal.isNull { return value.isNull }
        return compare(value, literal, type) == 0
    }

    /// -1, 0, 1; `nil` when either side is null or the kinds differ. Text compares ignoring case, ids exactly.
    static func compare(_ a: SFValue, _ b: SFValue, _ type: SFFieldType) -> Int? {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            if type == .id || type == .reference { return x == y ? 0 : (x < y ? -1 : 1) }
            if x == y { return 0 }
            let lx = x.lowercased()
            let ly = y.lowercased()
            return lx == ly ? 0 : (lx < ly ? -1 : 1)
        case (.number(let x), .number(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.dateTime(let x), .dateTime(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.date(let x), .date(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        default: return nil
        }
    }

    static func compareForOrder(_ a: SFValue, _ b: SFValue, _ order: SOQLOrder) -> Int {
        switch (a.isNull, b.isNull) {
        case (true, true): return 0
        case (true, false): return order.nullsFirst ? -1 : 1
        case (false, true): return order.nullsFirst ? 1 : -1
        default:
            let c = compare(a, b, order.path.type) ?? 0
            return order.descending ? -c : c
        }
    }

    /// SQL LIKE over lower-cased UTF-8: `%` any run, `_` one byte, `\%` and `\_` themselves.
    static func like(_ text: [UInt8], _ pattern: [UInt8]) -> Bool {
        var t = 0
        var p = 0
        var starP = -1
        var starT = 0
        while t < text.count {
            if p < pattern.count {
                let c = pattern[p]
                if c == UInt8(ascii: "%") {
                    starP = p
                    starT = t
                    p += 1
                    continue
                }
                if c == UInt8(ascii: "\\"), p + 1 < pattern.count, pattern[p + 1] == text[t] {
                    p += 2
                    t += 1
                    continue
                }
                if c == UInt8(ascii: "_") || (c == text[t] && c != UInt8(ascii: "\\")) {
                    p += 1
                    t += 1
                    continue
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "%") { p += 1 }
        return p == pattern.count
    }
}
