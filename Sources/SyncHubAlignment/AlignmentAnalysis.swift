import SyncHubCore
public import SyncHubStore

/// The shared numbers, computed from a snapshot of the store and the alignment configuration.
///
/// Definitions (`docs/alignment.md` has them with examples):
/// - A person's **source** and **campaign** are the channel and campaign of their first touch (touch types in
///   `report.attributionExcludes` do not count), `(no touch)` without one. Their **owner** is the owner of their
///   first owned record in a sales connector, else any record's owner.
/// - A person is **assigned** when a record with an owner exists in a sales connector: at the earliest creation of
///   such a record, but not before they entered the SLA's lead stage (a lead handed over before it qualified is
///   assigned when it qualifies). **Follow-up** is the first sales activity at or after that (activities whose
///   status is in `report.ignoreActivityStatuses` have not happened).
/// - A deal's source and campaign are those of its primary person; its owner is the deal's owner.
public struct AlignmentAnalysis: Sendable {
    public let snapshot: AlignmentSnapshot
    public let configuration: AlignmentConfiguration
    /// Per person: current stage, dated entries and per-system stages.
    public let evidence: [String: PersonStageEvidence]
    /// Per person: first ledger entry into each stage.
    public let firstEntries: [String: [Stage: Int64]]
    /// The latest moment the data shows.
    public let asOf: Int64
    let money: Money
    /// Touches that earn credit (not excluded types), per person, in time order.
    let creditTouches: [String: [AlignmentSnapshot.TouchRecord]]
    /// Activities that happened, per person, in time order.
    let activities: [String: [AlignmentSnapshot.ActivityRecord]]
    let contacts: [String: [AlignmentSnapshot.ContactRecord]]
    let assignments: [String: Assignment]
    /// Campaign names more than one campaign has.
    let duplicateCampaignNames: Set<String>

    /// A person's hand-over to sales and its follow-up.
    struct Assignment: Sendable {
        var assignedAt: Int64
        var owner: String?
        /// The first sales activity at or after the assignment.
        var firstActivity: Int64?

        var delay: Int64? { firstActivity.map { $0 - assignedAt } }
    }

    public init(snapshot: AlignmentSnapshot, configuration: AlignmentConfiguration) {
        self.snapshot = snapshot
        self.configuration = configuration
        let resolver = StageResolver(
            definitions: configuration.stages, ignoredActivityStatuses: configuration.report.ignoredActivityStatuses)
        evidence = configuration.stages.isEmpty ? [:] : resolver.evidence(in: snapshot)
        firstEntries = StageLedger.firstEntries(snapshot.ledger)
        asOf = snapshot.asOf(ignoring: configuration.report) ?? 0
        money = Money(settings: configuration.report, deals: snapshot.deals)
        let report = configuration.report
        var creditTouches: [String: [AlignmentSnapshot.TouchRecord]] = [:]
        var normalized = NormalizedValues()
        for touch in snapshot.touches where !report.excludedTouchTypes.contains(normalized(touch.type)) {
            creditTouches[touch.personID, default: []].append(touch)
        }
        self.creditTouches = creditTouches
        var activities: [String: [AlignmentSnapshot.ActivityRecord]] = [:]
        for activity in snapshot.activities
        where !report.ignoredActivityStatuses.contains(normalized(activity.status)) {
            activities[activity.personID, default: []].append(activity)
        }
        self.activities = activities
        let contacts = Dictionary(grouping: snapshot.contacts, by: \.personID)
        self.contacts = contacts

        var assignments: [String: Assignment] = [:]
        let sales = Set(configuration.sla.salesConnectors)
        for (person, records) in contacts {
            let owned = records.filter { sales.contains($0.connector) && $0.owner != nil && $0.createdAt != nil }
                .sorted { ($0.createdAt!, $0.reference) < ($1.createdAt!, $1.reference) }
            guard let first = owned.first else { continue }
            var assignedAt = first.createdAt!
            if let qualified = firstEntries[person]?[configuration.sla.leadStage] {
                assignedAt = max(assignedAt, qualified)
            }
            let followUp = activities[person]?.first { $0.time >= assignedAt }?.time
            assignments[person] = Assignment(assignedAt: assignedAt, owner: first.owner, firstActivity: followUp)
        }
        self.assignments = assignments
        var seen: Set<String> = []
        var duplicates: Set<String> = []
        for info in snapshot.campaigns.values {
            guard let name = info.name else { continue }
            if !seen.insert(name).inserted { duplicates.insert(name) }
        }
        duplicateCampaignNames = duplicates
    }

    /// Loads the snapshot the configuration needs and analyses it.
    public static func load(store: StoreDatabase, configuration: AlignmentConfiguration) throws -> AlignmentAnalysis {
        let resolver = StageResolver(
            definitions: configuration.stages, ignoredActivityStatuses: configuration.report.ignoredActivityStatuses)
        let snapshot = try AlignmentSnapshot.load(from: store, dateFields: resolver.dateFields)
        return AlignmentAnalysis(snapshot: snapshot, configuration: configuration)
    }

    /// The person's current shared stage (`nil` without stage definitions or records).
    public func stage(of person: String) -> Stage? { evidence[person]?.current?.stage }

    // MARK: Segments

    struct Segment {
        var source: String
        var campaign: String
        var campaignLabel: String
        var owner: String
    }

    /// A campaign's name, with its id when another campaign has the same name.
    func campaignLabel(_ reference: String) -> String {
        guard let name = snapshot.campaigns[reference]?.name else { return reference }
        let id = reference.split(separator: ":", maxSplits: 1).last.map(String.init) ?? reference
        return duplicateCampaignNames.contains(name) ? "\(name) (\(id))" : name
    }

    static let noTouch = "(no touch)"
    static let noOwner = "(no owner)"

    func segment(of person: String?) -> Segment {
        guard let person else {
            return Segment(
                source: Self.noTouch, campaign: Self.noTouch, campaignLabel: Self.noTouch, owner: Self.noOwner)
        }
        let first = creditTouches[person]?.first
        let campaign = first?.campaign
        let info = campaign.flatMap { snapshot.campaigns[$0] }
        let source = first == nil ? Self.noTouch : (info?.channel ?? first!.type)
        let label = campaign.map(campaignLabel)
        let owner = assignments[person]?.owner ?? contacts[person]?.compactMap(\.owner).first
        return Segment(
            source: source, campaign: campaign ?? (first == nil ? Self.noTouch : "(no campaign)"),
            campaignLabel: label ?? (first == nil ? Self.noTouch : "(no campaign)"),
            owner: owner.map(configuration.report.ownerName) ?? Self.noOwner)
    }

    // MARK: Report

    /// The report for `period`.
    public func report(period: ReportPeriod) -> AlignmentReport {
        let sla = configuration.sla
        let asOf = period.asOfTime
        let months = period.months

        // Lead volume.
        var leadsByMonth: [String: Int] = [:]
        var qualifiedPersons: [String] = []
        for (person, entries) in firstEntries {
            guard let time = entries[sla.leadStage], period.contains(time) else { continue }
            leadsByMonth[ReportPeriod.month(of: time), default: 0] += 1
            qualifiedPersons.append(person)
        }
        let volumeMonths = months.map { month in
            let count = leadsByMonth[month] ?? 0
            return AlignmentReport.LeadVolume.Month(
                month: month, leads: count, target: sla.leadsPerMonth, met: sla.leadsPerMonth.map { count >= $0 })
        }
        let leadVolume = AlignmentReport.LeadVolume(
            stage: sla.leadStage.rawValue, targetPerMonth: sla.leadsPerMonth, total: qualifiedPersons.count,
            averagePerMonth: months.isEmpty ? 0 : Double(qualifiedPersons.count) / Double(months.count),
            months: volumeMonths, monthsMet: sla.leadsPerMonth.map { _ in volumeMonths.filter { $0.met == true }.count }
        )

        // Follow-up.
        let assignedInPeriod = assignments.filter { period.contains($0.value.assignedAt) }
        let followUp = followUpSummary(Array(assignedInPeriod.values), asOf: asOf, months: months)

        // Funnel.
        var funnel: [AlignmentReport.FunnelStep] = []
        for stage in Stage.funnel {
            var entered = 0
            var reached = 0
            var days: [Double] = []
            for (_, entries) in firstEntries {
                guard let time = entries[stage], period.contains(time) else { continue }
                entered += 1
                let later = Stage.funnel.filter { $0.rank! > stage.rank! }.compactMap { entries[$0] }
                guard !later.isEmpty else { continue }
                reached += 1
                let next = later.filter { $0 >= time }.min() ?? time
                days.append(Double(next - time) / Double(dayLength))
            }
            let isLast = stage == Stage.funnel.last
            funnel.append(
                AlignmentReport.FunnelStep(
                    stage: stage.rawValue, entered: entered, reachedNext: reached,
                    conversion: isLast ? nil : Statistics.share(reached, of: entered),
                    medianDaysToNext: Statistics.median(days)))
        }

        // The period's new people, and how far they got.
        var newPeople = 0
        var reached = [Int](repeating: 0, count: Stage.funnel.count)
        for (_, entries) in firstEntries {
            guard let first = entries.values.min(), period.contains(first) else { continue }
            newPeople += 1
            let furthest = entries.keys.compactMap(\.rank).max() ?? 0
            for rank in 0...furthest { reached[rank] += 1 }
        }
        let cohort = Stage.funnel.enumerated().map { rank, stage in
            AlignmentReport.CohortStep(
                stage: stage.rawValue, reached: reached[rank], share: Statistics.share(reached[rank], of: newPeople))
        }

        // Deals.
        let deals = dealMetrics(snapshot.deals, period: period)
        let velocity = months.map { month -> AlignmentReport.VelocityMonth in
            let end = period.endOfMonth(month)
            let open = snapshot.deals.filter { deal in
                guard let created = deal.createdAt, created <= end else { return false }
                return deal.closedAt.map { $0 > end } ?? true
            }.count
            let window = snapshot.deals.filter { deal in
                guard let closed = deal.closedAt else { return false }
                return closed <= end && closed > end - 90 * dayLength
            }
            let stats = closedStats(window)
            return AlignmentReport.VelocityMonth(
                month: month, openOpportunities: open, winRate: stats.winRate, averageDeal: stats.averageDeal,
                salesCycleDays: stats.cycleDays,
                velocityPerDay: Self.velocity(
                    open: open, winRate: stats.winRate, averageDeal: stats.averageDeal, cycleDays: stats.cycleDays))
        }

        // Win/loss reasons.
        let closedInPeriod = snapshot.deals.filter { period.contains($0.closedAt) }
        var reasons: [String: (deals: Int, amount: Double)] = [:]
        for deal in closedInPeriod where deal.outcome == .lost {
            var entry = reasons[deal.lossReason ?? "(no reason given)"] ?? (0, 0)
            entry.deals += 1
            entry.amount += money.amount(deal) ?? 0
            reasons[deal.lossReason ?? "(no reason given)"] = entry
        }
        let winLoss = AlignmentReport.WinLoss(
            won: closedInPeriod.filter { $0.outcome == .won }.count,
            wonAmount: closedInPeriod.filter { $0.outcome == .won }.reduce(0) { $0 + (money.amount($1) ?? 0) },
            lost: closedInPeriod.filter { $0.outcome == .lost }.count,
            lostAmount: closedInPeriod.filter { $0.outcome == .lost }.reduce(0) { $0 + (money.amount($1) ?? 0) },
            reasons: reasons.map {
                AlignmentReport.WinLoss.Reason(reason: $0.key, deals: $0.value.deals, amount: $0.value.amount)
            }
            .sorted { ($1.deals, $0.reason) < ($0.deals, $1.reason) })

        // Segments.
        let segments = Dictionary(uniqueKeysWithValues: Set(contacts.keys).map { ($0, segment(of: $0)) })
        func rows(_ key: (Segment) -> (key: String, label: String)) -> [AlignmentReport.SegmentRow] {
            var groups:
                [String: (
                    label: String, persons: [String], assigned: [Assignment], deals: [AlignmentSnapshot.DealRecord]
                )] = [:]
            for person in qualifiedPersons {
                let k = key(segments[person] ?? segment(of: nil))
                groups[k.key, default: (k.label, [], [], [])].persons.append(person)
            }
            for (person, assignment) in assignedInPeriod {
                let k = key(segments[person] ?? segment(of: nil))
                groups[k.key, default: (k.label, [], [], [])].assigned.append(assignment)
            }
            for deal in snapshot.deals where period.contains(deal.createdAt) || period.contains(deal.closedAt) {
                var segment = deal.primaryPerson.flatMap { segments[$0] } ?? segment(of: nil)
                segment.owner = deal.owner.map(configuration.report.ownerName) ?? Self.noOwner
                let k = key(segment)
                groups[k.key, default: (k.label, [], [], [])].deals.append(deal)
            }
            return groups.map { key, group in
                let follow = followUpSummary(group.assigned, asOf: asOf, months: [])
                let metrics = dealMetrics(group.deals, period: period)
                return AlignmentReport.SegmentRow(
                    key: key, label: group.label, leads: group.persons.count, assigned: group.assigned.count,
                    followUpShare: follow.share, medianFollowUpHours: follow.medianHours,
                    opportunities: metrics.created, won: metrics.won, lost: metrics.lost, winRate: metrics.winRate,
                    wonAmount: metrics.wonAmount, averageDeal: metrics.averageDeal,
                    salesCycleDays: metrics.salesCycleDays)
            }.sorted { ($1.wonAmount, $1.leads, $0.label) < ($0.wonAmount, $0.leads, $1.label) }
        }

        // Attribution.
        let attribution = attributionSummary(period: period)

        var currentStages: [String: Int] = [:]
        for facts in evidence.values {
            if let stage = facts.current?.stage { currentStages[stage.rawValue, default: 0] += 1 }
        }

        return AlignmentReport(
            period: period, currency: money.currency,
            dealsWithoutRate: snapshot.deals.filter { $0.amount != nil && money.amount($0) == nil }.count,
            stagesConfigured: !configuration.stages.isEmpty, currentStages: currentStages, leadVolume: leadVolume,
            followUp: followUp, funnel: funnel, cohort: cohort, deals: deals, velocity: velocity, winLoss: winLoss,
            bySource: rows { ($0.source, $0.source) }, byCampaign: rows { ($0.campaign, $0.campaignLabel) },
            byOwner: rows { ($0.owner, $0.owner) }, attribution: attribution)
    }

    func followUpSummary(_ cases: [Assignment], asOf: Int64, months: [String]) -> AlignmentReport.FollowUp {
        let within = configuration.sla.followUpWithin
        var counts = (within: 0, late: 0, overdue: 0, pending: 0)
        var delays: [Double] = []
        var monthly: [String: (assigned: Int, within: Int, decided: Int)] = [:]
        for item in cases {
            let month = ReportPeriod.month(of: item.assignedAt)
            var entry = monthly[month] ?? (0, 0, 0)
            entry.assigned += 1
            if let delay = item.delay, item.firstActivity! <= asOf {
                delays.append(Double(delay) / 3_600_000)
                if delay <= within {
                    counts.within += 1
                    entry.within += 1
                } else {
                    counts.late += 1
                }
                entry.decided += 1
            } else if asOf - item.assignedAt > within {
                counts.overdue += 1
                entry.decided += 1
            } else {
                counts.pending += 1
            }
            monthly[month] = entry
        }
        let share = Statistics.share(counts.within, of: counts.within + counts.late + counts.overdue)
        return AlignmentReport.FollowUp(
            withinHours: Double(within) / 3_600_000, targetShare: configuration.sla.followUpShare,
            assigned: cases.count,
            withinSLA: counts.within, late: counts.late, overdue: counts.overdue, pending: counts.pending, share: share,
            medianHours: Statistics.median(delays), p90Hours: Statistics.percentile(delays, 0.9),
            met: share.map { $0 >= configuration.sla.followUpShare },
            months: months.map { month in
                let entry = monthly[month] ?? (0, 0, 0)
                return AlignmentReport.FollowUp.Month(
                    month: month, assigned: entry.assigned, withinSLA: entry.within,
                    share: Statistics.share(entry.within, of: entry.decided))
            })
    }

    struct ClosedStats {
        var won: Int
        var lost: Int
        var wonAmount: Double
        var winRate: Double?
        var averageDeal: Double?
        var cycleDays: Double?
    }

    func closedStats(_ deals: [AlignmentSnapshot.DealRecord]) -> ClosedStats {
        let won = deals.filter { $0.outcome == .won }
        let lost = deals.filter { $0.outcome == .lost }
        let amounts = won.compactMap { money.amount($0) }
        let cycles = won.compactMap { deal -> Double? in
            guard let created = deal.createdAt, let closed = deal.closeDate else { return nil }
            return Double(max(0, closed / dayLength - created / dayLength))
        }
        return ClosedStats(
            won: won.count, lost: lost.count, wonAmount: amounts.reduce(0, +),
            winRate: Statistics.share(won.count, of: won.count + lost.count), averageDeal: Statistics.mean(amounts),
            cycleDays: Statistics.mean(cycles))
    }

    static func velocity(open: Int, winRate: Double?, averageDeal: Double?, cycleDays: Double?) -> Double? {
        guard let winRate, let averageDeal, let cycleDays, cycleDays > 0 else { return nil }
        return Double(open) * winRate * averageDeal / cycleDays
    }

    func dealMetrics(_ deals: [AlignmentSnapshot.DealRecord], period: ReportPeriod) -> AlignmentReport.DealMetrics {
        let asOf = period.asOfTime
        let created = deals.filter { period.contains($0.createdAt) }
        let createdAndWon = created.filter { $0.outcome == .won && ($0.closedAt ?? Int64.max) <= asOf }.count
        let closed = closedStats(deals.filter { period.contains($0.closedAt) })
        let open = deals.filter { deal in
            guard let time = deal.createdAt, time <= asOf else { return false }
            return deal.closedAt.map { $0 > asOf } ?? true
        }
        return AlignmentReport.DealMetrics(
            created: created.count, createdAndWon: createdAndWon,
            closureRate: Statistics.share(createdAndWon, of: created.count), won: closed.won, lost: closed.lost,
            winRate: closed.winRate, wonAmount: closed.wonAmount, averageDeal: closed.averageDeal,
            salesCycleDays: closed.cycleDays, openOpportunities: open.count,
            openAmount: open.reduce(0) { $0 + (money.amount($1) ?? 0) },
            velocityPerDay: Self.velocity(
                open: open.count, winRate: closed.winRate, averageDeal: closed.averageDeal, cycleDays: closed.cycleDays)
        )
    }

    // MARK: Attribution

    /// When the first of `persons` became a lead: their first ledger entry (into lead or any stage past it), else
    /// their first record's creation.
    func leadCreated(_ persons: [String]) -> Int64? {
        let ledger = persons.compactMap { person in firstEntries[person]?.values.min() }.min()
        let records = persons.flatMap { contacts[$0] ?? [] }.compactMap(\.createdAt).min()
        return ledger ?? records
    }

    /// The explanation of one won deal's credit, by `connector:externalID`; `nil` when no such won deal.
    public func attribution(deal reference: String) -> DealAttribution? {
        guard let deal = snapshot.deals.first(where: { $0.reference == reference && $0.outcome == .won }) else {
            return nil
        }
        return explain(deal)
    }

    func explain(_ deal: AlignmentSnapshot.DealRecord) -> DealAttribution {
        let bound = (deal.closeDate ?? deal.closedAt ?? Int64.max - dayLength) + dayLength
        let touches = deal.persons.flatMap { creditTouches[$0] ?? [] }.filter { $0.time < bound }
            .sorted { ($0.time, $0.reference) < ($1.time, $1.reference) }
        return Attribution.explain(
            deal: deal, amount: money.amount(deal), currency: money.currency, touches: touches,
            leadCreatedAt: leadCreated(deal.persons), campaigns: snapshot.campaigns)
    }

    /// Every won deal closed in the period, explained.
    public func attributions(period: ReportPeriod) -> [DealAttribution] {
        snapshot.deals.filter { $0.outcome == .won && period.contains($0.closedAt) }.map(explain)
    }

    func attributionSummary(period: ReportPeriod) -> AlignmentReport.AttributionSummary {
        let explained = attributions(period: period)
        var campaigns: [String: [String: Double]] = [:]
        var unattributed = (deals: 0, revenue: 0.0)
        for deal in explained {
            guard !deal.touches.isEmpty else {
                unattributed.deals += 1
                unattributed.revenue += deal.amount ?? 0
                continue
            }
            for touch in deal.touches {
                let key = touch.campaign ?? "(no campaign)"
                for (model, credit) in touch.credit { campaigns[key, default: [:]][model, default: 0] += credit }
            }
        }
        return AlignmentReport.AttributionSummary(
            models: AttributionModel.allCases.map(\.rawValue), deals: explained.count,
            wonRevenue: explained.reduce(0) { $0 + ($1.amount ?? 0) }, unattributedDeals: unattributed.deals,
            unattributedRevenue: unattributed.revenue,
            campaigns: campaigns.map { key, credit in
                let info = snapshot.campaigns[key]
                return AlignmentReport.AttributionSummary.CampaignCredit(
                    campaign: key, name: info == nil ? key : campaignLabel(key), channel: info?.channel, credit: credit)
            }.sorted {
                let (a, b) = (
                    $0.credit[AttributionModel.wShaped.rawValue] ?? 0, $1.credit[AttributionModel.wShaped.rawValue] ?? 0
                )
                return a != b ? a > b : $0.campaign < $1.campaign
            })
    }
}
