import SyncHubCore

/// The outcome of one alignment check.
public struct CheckResult: Sendable, Hashable, Codable {
    public var check: CheckKind
    public var title: String
    public var count: Int
    /// The most the check may count (`sla.limits`).
    public var limit: Int
    public var passed: Bool
    /// A few ids of what was counted: person ids with record references, or deal references. Never names or emails.
    public var examples: [String]
}

extension AlignmentAnalysis {
    /// Runs every alignment check as of the data's latest moment (or `asOf`), with up to `examples` ids each.
    public func checks(asOf: Int64? = nil, examples: Int = 5) -> [CheckResult] {
        let now = asOf ?? self.asOf
        let sla = configuration.sla
        var found: [CheckKind: [String]] = [:]
        let hasStages = !configuration.stages.isEmpty

        func recordOf(_ person: String, preferring connectors: [String] = []) -> String {
            let records = (contacts[person] ?? []).sorted { a, b in
                let (ia, ib) = (
                    connectors.firstIndex(of: a.connector) ?? connectors.count,
                    connectors.firstIndex(of: b.connector) ?? connectors.count
                )
                return (ia, a.reference) < (ib, b.reference)
            }
            return records.first.map { "\(person) (\($0.reference))" } ?? person
        }

        for person in contacts.keys.sorted() {
            let stage = hasStages ? self.stage(of: person) : nil
            // MQLs whom no record gives an owner.
            if stage == .mql, !(contacts[person] ?? []).contains(where: { $0.owner != nil }) {
                found[.mqlWithoutOwner, default: []].append(recordOf(person))
            }
            // Assigned, never followed up, past the SLA, and still being worked toward a deal.
            if let assignment = assignments[person], assignment.firstActivity.map({ $0 > now }) ?? true,
                now - assignment.assignedAt > sla.followUpWithin,
                stage.map({ [.lead, .mql, .sal, .sql].contains($0) }) ?? true
            {
                found[.followUpOverdue, default: []].append(recordOf(person, preferring: sla.salesConnectors))
            }
            // Systems that disagree by more than the allowed gap, or pipeline against recycled/disqualified.
            if let systems = evidence[person]?.systems, systems.count > 1 {
                let ordered = systems.sorted { $0.key < $1.key }
                var drift = false
                for (i, a) in ordered.enumerated() {
                    for b in ordered[(i + 1)...] where Self.drifts(a.value, b.value, maxGap: sla.maxStageGap) {
                        drift = true
                    }
                }
                if drift {
                    found[.stageDrift, default: []].append(
                        person + " (" + ordered.map { "\($0.key): \($0.value.rawValue)" }.joined(separator: ", ") + ")")
                }
            }
        }

        // Unsubscribed in marketing, still worked by sales.
        var unsubscribed: [String: Int64] = [:]
        var normalized = NormalizedValues()
        for touch in snapshot.touches
        where touch.time <= now && configuration.report.unsubscribeTouchTypes.contains(normalized(touch.type)) {
            unsubscribed[touch.personID] = max(unsubscribed[touch.personID] ?? touch.time, touch.time)
        }
        var openDealPersons: Set<String> = []
        for deal in snapshot.deals where deal.outcome == .open { openDealPersons.formUnion(deal.persons) }
        for (person, time) in unsubscribed.sorted(by: { $0.key < $1.key }) {
            let worked = (activities[person] ?? []).contains { $0.time > time && $0.time <= now }
            if openDealPersons.contains(person) || worked {
                found[.unsubscribedButActive, default: []].append(recordOf(person, preferring: sla.salesConnectors))
            }
        }

        for deal in snapshot.deals where deal.outcome == .open && (deal.createdAt ?? Int64.max) <= now {
            let created = deal.createdAt ?? now
            let touched = deal.persons.contains { person in
                (creditTouches[person] ?? []).contains { $0.time <= created }
            }
            if !touched { found[.opportunityWithoutTouch, default: []].append(deal.reference) }
        }

        return CheckKind.allCases.map { kind in
            let items = found[kind] ?? []
            let limit = sla.limit(for: kind)
            return CheckResult(
                check: kind, title: kind.title, count: items.count, limit: limit, passed: items.count <= limit,
                examples: Array(items.prefix(examples)))
        }
    }

    /// Whether two systems' stages for one person disagree beyond what sync lag explains.
    static func drifts(_ a: Stage, _ b: Stage, maxGap: Int) -> Bool {
        switch (a.rank, b.rank) {
        case (let x?, let y?): return abs(x - y) > maxGap
        case (let x?, nil): return x >= Stage.opportunity.rank!
        case (nil, let y?): return y >= Stage.opportunity.rank!
        case (nil, nil): return false
        }
    }
}
