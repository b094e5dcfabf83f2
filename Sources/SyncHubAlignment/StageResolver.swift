import SyncHubCore

/// One record's say about a person's stage.
public struct StageEvidence: Sendable, Hashable {
    public var stage: Stage
    /// When the record entered the stage, when it says (a date field, its creation, a deal's dates).
    public var enteredAt: Int64?
    /// When the record last changed: the time a change to this stage was first visible.
    public var updatedAt: Int64?
    public var connector: String
    /// The record and the field or value that say so (`crm:00Q… lifecycleStage=Working - Contacted`).
    public var evidence: String

    /// The best known time of the entry.
    public var time: Int64? { enteredAt ?? updatedAt }
}

/// A person's stage now, per system, and the dated entries their records show.
public struct PersonStageEvidence: Sendable {
    public var personID: String
    /// What the records say now; `nil` when no rule matched any record.
    public var current: StageEvidence?
    /// The earliest dated entry into each stage, in time order.
    public var dated: [StageEvidence]
    /// Each system's stage for the person, from its own records only.
    public var systems: [String: Stage]
}

/// Applies the shared stage definitions to a person's records.
///
/// A person is at the furthest funnel stage any of their records says, except that a record saying recycled or
/// disqualified wins when it says so no earlier than the furthest funnel stage was entered, unless that stage is
/// opportunity or customer (an open or won deal is never overridden). Disqualified beats recycled when both say so
/// at the same time.
public struct StageResolver: Sendable {
    public let definitions: StageDefinitions
    /// Activity statuses that mean it has not happened (``ReportSettings/ignoredActivityStatuses``).
    public let ignoredActivityStatuses: Set<String>
    let contactRules: [String: [StageRule]]
    let dealRules: [String: [StageRule]]

    public init(
        definitions: StageDefinitions, ignoredActivityStatuses: Set<String> = ReportSettings().ignoredActivityStatuses
    ) {
        self.definitions = definitions
        self.ignoredActivityStatuses = ignoredActivityStatuses
        var contacts: [String: [StageRule]] = [:]
        var deals: [String: [StageRule]] = [:]
        for rule in definitions.rules {
            if rule.readsDeals {
                deals[rule.connector, default: []].append(rule)
            } else {
                contacts[rule.connector, default: []].append(rule)
            }
        }
        contactRules = contacts
        dealRules = deals
    }

    /// Per connector, the raw fields stage rules read dates from.
    public var dateFields: [String: [String]] {
        var fields: [String: [String]] = [:]
        for rule in definitions.rules {
            for field in rule.dateFields where !(fields[rule.connector] ?? []).contains(field) {
                fields[rule.connector, default: []].append(field)
            }
        }
        return fields
    }

    /// Evidence for every person of the snapshot, by person id.
    public func evidence(in snapshot: AlignmentSnapshot) -> [String: PersonStageEvidence] {
        var current: [String: [StageEvidence]] = [:]
        var dated: [String: [StageEvidence]] = [:]
        var firstCreated: [String: (time: Int64?, record: AlignmentSnapshot.ContactRecord)] = [:]
        for record in snapshot.contacts {
            if let seen = firstCreated[record.personID] {
                if let created = record.createdAt, seen.time.map({ created < $0 }) ?? true {
                    firstCreated[record.personID] = (created, record)
                }
            } else {
                firstCreated[record.personID] = (record.createdAt, record)
            }
            for rule in contactRules[record.connector] ?? [] {
                let match = Self.match(rule, record)
                var entry: Int64?
                var entrySource = ""
                for source in rule.enteredAt {
                    switch source {
                    case .field(let name):
                        if let date = record.dates[name] { (entry, entrySource) = (date, name) }
                    case .createdAt:
                        if match != nil, let created = record.createdAt {
                            (entry, entrySource) = (created, "createdAt")
                        }
                    }
                    if entry != nil { break }
                }
                if let entry {
                    dated[record.personID, default: []].append(
                        StageEvidence(
                            stage: rule.stage, enteredAt: entry, updatedAt: record.updatedAt,
                            connector: record.connector,
                            evidence: record.reference + " " + entrySource))
                }
                if let match {
                    current[record.personID, default: []].append(
                        StageEvidence(
                            stage: rule.stage, enteredAt: entry, updatedAt: record.updatedAt ?? record.createdAt,
                            connector: record.connector, evidence: record.reference + " " + match))
                }
            }
        }
        // Activity rules: a person is at the stage since their first completed activity of the listed types.
        let activityRules = definitions.rules.filter(\.readsActivities)
        if !activityRules.isEmpty {
            var seen: Set<String> = []
            var normalized = NormalizedValues()
            for activity in snapshot.activities where !ignoredActivityStatuses.contains(normalized(activity.status)) {
                let type = normalized(activity.type)
                for (index, rule) in activityRules.enumerated() where rule.connector == activity.connector {
                    guard rule.activityTypes.contains("any") || rule.activityTypes.contains(type) else { continue }
                    guard seen.insert(activity.personID + "\u{1}" + String(index)).inserted else { continue }
                    let fact = StageEvidence(
                        stage: rule.stage, enteredAt: activity.time, updatedAt: activity.time,
                        connector: activity.connector,
                        evidence: activity.reference + " first activity" + (activity.type.map { " (\($0))" } ?? ""))
                    dated[activity.personID, default: []].append(fact)
                    current[activity.personID, default: []].append(fact)
                }
            }
        }
        for deal in snapshot.deals where !deal.persons.isEmpty {
            for rule in dealRules[deal.connector] ?? [] {
                var facts: [(StageEvidence, isCurrent: Bool)] = []
                let closed = deal.closedAt
                if rule.dealOutcomes.contains(.open), let created = deal.createdAt {
                    facts.append(
                        (
                            StageEvidence(
                                stage: rule.stage, enteredAt: created, updatedAt: deal.updatedAt,
                                connector: deal.connector,
                                evidence: deal.reference + " deal created"), deal.outcome == .open
                        ))
                } else if deal.outcome == .open && rule.dealOutcomes.contains(.open) {
                    facts.append(
                        (
                            StageEvidence(
                                stage: rule.stage, enteredAt: nil, updatedAt: deal.updatedAt, connector: deal.connector,
                                evidence: deal.reference + " deal open"), true
                        ))
                }
                if deal.outcome != .open && rule.dealOutcomes.contains(deal.outcome) {
                    facts.append(
                        (
                            StageEvidence(
                                stage: rule.stage, enteredAt: closed, updatedAt: deal.updatedAt,
                                connector: deal.connector,
                                evidence: deal.reference + " deal \(deal.outcome.rawValue)"), true
                        ))
                }
                if let stage = deal.stage, rule.dealStages.contains(StageRule.normalize(stage)) {
                    facts.append(
                        (
                            StageEvidence(
                                stage: rule.stage, enteredAt: closed, updatedAt: deal.updatedAt,
                                connector: deal.connector,
                                evidence: deal.reference + " dealStage=\(stage)"), true
                        ))
                }
                for (fact, isCurrent) in facts {
                    for person in deal.persons {
                        if fact.enteredAt != nil { dated[person, default: []].append(fact) }
                        if isCurrent { current[person, default: []].append(fact) }
                    }
                }
            }
        }

        var result: [String: PersonStageEvidence] = [:]
        for (person, first) in firstCreated {
            let now = current[person] ?? []
            var chosen = Self.resolve(now)
            if chosen == nil {
                // Every person gets a stage: somebody no rule places is a lead since their first record.
                chosen = StageEvidence(
                    stage: .lead, enteredAt: first.time, updatedAt: first.record.updatedAt ?? first.time,
                    connector: first.record.connector, evidence: first.record.reference + " first record")
            }
            var earliest: [Stage: StageEvidence] = [:]
            for fact in dated[person] ?? [] {
                guard let time = fact.enteredAt else { continue }
                if let known = earliest[fact.stage], let knownTime = known.enteredAt,
                    (knownTime, known.evidence) <= (time, fact.evidence)
                {
                    continue
                }
                earliest[fact.stage] = fact
            }
            var systems: [String: Stage] = [:]
            for connector in Set(now.map(\.connector)) {
                systems[connector] = Self.resolve(now.filter { $0.connector == connector })?.stage
            }
            result[person] = PersonStageEvidence(
                personID: person, current: chosen,
                dated: earliest.values.sorted { ($0.enteredAt!, $0.stage) < ($1.enteredAt!, $1.stage) },
                systems: systems)
        }
        return result
    }

    /// Which of the rule's values the record holds (`lifecycleStage=…`), or `nil` when it does not match.
    static func match(_ rule: StageRule, _ record: AlignmentSnapshot.ContactRecord) -> String? {
        if let key = record.lifecycleKey, rule.lifecycleStages.contains(key) {
            return "lifecycleStage=" + (record.lifecycleStage ?? key)
        }
        if let key = record.leadStatusKey, rule.leadStatuses.contains(key) {
            return "leadStatus=" + (record.leadStatus ?? key)
        }
        if rule.kinds.contains(record.kind) { return "kind=" + record.kind }
        return nil
    }

    /// The stage a set of current evidence gives (see ``StageResolver``), or `nil` when empty.
    public static func resolve(_ evidence: [StageEvidence]) -> StageEvidence? {
        var furthest: StageEvidence?
        var off: StageEvidence?
        for item in evidence {
            if let rank = item.stage.rank {
                guard let best = furthest, let bestRank = best.stage.rank else {
                    furthest = item
                    continue
                }
                if rank > bestRank || (rank == bestRank && earlier(item, than: best)) { furthest = item }
            } else {
                guard let best = off else {
                    off = item
                    continue
                }
                let (a, b) = (item.time ?? Int64.min, best.time ?? Int64.min)
                if a > b || (a == b && item.stage == .disqualified && best.stage == .recycled) { off = item }
            }
        }
        guard let off else { return furthest }
        guard let funnel = furthest else { return off }
        if funnel.stage.rank! >= Stage.opportunity.rank! { return funnel }
        guard let offTime = off.time, let funnelTime = funnel.time else { return off }
        return offTime >= funnelTime ? off : funnel
    }

    static func earlier(_ a: StageEvidence, than b: StageEvidence) -> Bool {
        (a.time ?? Int64.max, a.evidence) < (b.time ?? Int64.max, b.evidence)
    }
}
