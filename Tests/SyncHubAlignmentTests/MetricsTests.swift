import SyncHubAlignment
import SyncHubCore
import SyncHubStore
import Testing

/// A small company whose numbers are worked out by hand in each test.
///
/// - P1: MQL 2026-01-10 00:00 (marketing's date); CRM lead (owner U1) created 02:00, called 05:00: 3 h, within SLA;
///   converted to contact C1 on 01-14; deal D1 (U1) created 01-15, won 03-01 for 10,000: cycle 45 days.
/// - P2: MQL 01-20 00:00; CRM lead (U1) created then; first call 01-22 00:00: 48 h, late.
/// - P3: MQL 02-05; CRM lead (U2) created then; never called: overdue.
/// - P4: CRM-only lead (U2) created 02-10 00:00, called 01:00: 1 h.
/// - P5: CRM-only contact C2 (U2) created 01-25 00:00, called 10:00: 10 h. Deals of C2 (owner U2): D2 created 02-01,
///   lost 03-11 for 5,000 (Price); D3 created 02-10, won 04-11 for 30,000: cycle 60 days; D4 created 03-01, open,
///   20,000, last changed 04-20: the data's latest moment.
@Suite struct MetricsTests {
    typealias T = AlignmentTestStore

    static func company() throws -> AlignmentTestStore {
        let test = try AlignmentTestStore()
        func mql(_ id: String, _ date: String) -> SourceRecord {
            T.contact(
                id, lifecycle: "marketingqualifiedlead", created: "2026-01-01T00:00:00Z", updated: date,
                raw: [("Became a Marketing Qualified Lead Date", date)])
        }
        try test.commit(
            "marketing", "contacts",
            [
                mql("M1", "2026-01-10T00:00:00Z"), mql("M2", "2026-01-20T00:00:00Z"), mql("M3", "2026-02-05T00:00:00Z"),
            ])
        try test.commit(
            "crm", "leads",
            [
                T.contact(
                    "L1", kind: "lead", lifecycle: "Closed - Converted", owner: "U1", created: "2026-01-10T02:00:00Z",
                    updated: "2026-01-14T00:00:00Z"),
                T.contact(
                    "L2", kind: "lead", lifecycle: "Working - Contacted", owner: "U1", created: "2026-01-20T00:00:00Z",
                    updated: "2026-01-22T00:00:00Z"),
                T.contact(
                    "L3", kind: "lead", lifecycle: "Open - Not Contacted", owner: "U2", created: "2026-02-05T00:00:00Z",
                    updated: "2026-02-05T00:00:00Z"),
                T.contact(
                    "L4", kind: "lead", lifecycle: "Working - Contacted", owner: "U2", created: "2026-02-10T00:00:00Z",
                    updated: "2026-02-10T01:00:00Z"),
            ])
        try test.commit(
            "crm", "contacts",
            [
                T.contact("C1", owner: "U1", created: "2026-01-14T00:00:00Z", updated: "2026-01-14T00:00:00Z"),
                T.contact("C2", owner: "U2", created: "2026-01-25T00:00:00Z", updated: "2026-01-25T00:00:00Z"),
            ])
        try test.commit(
            "crm", "activities",
            [
                T.activity("A1", contact: "L1", at: "2026-01-10T05:00:00Z"),
                T.activity("A2", contact: "L2", at: "2026-01-22T00:00:00Z"),
                T.activity("A4", contact: "L4", at: "2026-02-10T01:00:00Z"),
                T.activity("A5", contact: "C2", at: "2026-01-25T10:00:00Z"),
            ])
        try test.commit(
            "crm", "deals",
            [
                T.deal(
                    "D1", outcome: .won, amount: 10_000, created: "2026-01-15T00:00:00Z", close: "2026-03-01",
                    owner: "U1", updated: "2026-03-01T00:00:00Z"),
                T.deal(
                    "D2", outcome: .lost, amount: 5_000, created: "2026-02-01T00:00:00Z", close: "2026-03-11",
                    lossReason: "Price", owner: "U2", updated: "2026-03-11T00:00:00Z"),
                T.deal(
                    "D3", outcome: .won, amount: 30_000, created: "2026-02-10T00:00:00Z", close: "2026-04-11",
                    owner: "U2", updated: "2026-04-11T00:00:00Z"),
                T.deal(
                    "D4", outcome: .open, amount: 20_000, created: "2026-03-01T00:00:00Z", owner: "U2",
                    updated: "2026-04-20T00:00:00Z"),
            ])
        try test.commit(
            "crm", "deal_contacts",
            [
                T.dealContact("D1", "C1"), T.dealContact("D2", "C2"), T.dealContact("D3", "C2"),
                T.dealContact("D4", "C2"),
            ])
        try test.link("P1", "marketing:M1", "crm:L1", "crm:C1")
        try test.link("P2", "marketing:M2", "crm:L2")
        try test.link("P3", "marketing:M3", "crm:L3")
        try test.link("P4", "crm:L4")
        try test.link("P5", "crm:C2")
        return test
    }

    static let sla = node([
        "leadsPerMonth": node("2"), "followUpWithin": node("24h"), "followUpShare": node("0.9"),
    ])

    func report() throws -> AlignmentReport {
        let test = try Self.company()
        let configuration = try testConfiguration(sla: Self.sla)
        try StageLedger.update(
            store: test.store, configuration: configuration, now: ms("2026-06-01T00:00:00Z"), runID: nil)
        let analysis = try test.analysis(configuration)
        #expect(analysis.asOf == ms("2026-04-20T00:00:00Z"))
        let period = try ReportPeriod.make(from: "2026-01-01", to: "2026-04-30", asOf: analysis.asOf)
        #expect(period.asOf == "2026-04-20T00:00:00Z")
        return analysis.report(period: period)
    }

    @Test func followUpFromAssignmentToFirstActivity() throws {
        let followUp = try report().followUp
        #expect(followUp.assigned == 5)
        #expect(followUp.withinSLA == 3)  // P1 3 h, P4 1 h, P5 10 h
        #expect(followUp.late == 1)  // P2 48 h
        #expect(followUp.overdue == 1)  // P3
        #expect(followUp.pending == 0)
        #expect(followUp.share == 3.0 / 5.0)
        #expect(followUp.met == false)
        #expect(followUp.medianHours == (3.0 + 10.0) / 2)  // of 1, 3, 10, 48
        #expect(followUp.p90Hours == 48)  // nearest rank: the 4th of 4
        #expect(followUp.months.map(\.assigned) == [3, 2, 0, 0])  // P1, P2, P5 in January; P3, P4 in February
    }

    @Test func leadVolumeAgainstTheTarget() throws {
        let volume = try report().leadVolume
        #expect(volume.stage == "mql")
        #expect(volume.total == 3)
        #expect(volume.months.map(\.leads) == [2, 1, 0, 0])
        #expect(volume.months.map(\.met) == [true, false, false, false])
        #expect(volume.monthsMet == 1)
        #expect(volume.averagePerMonth == 0.75)
    }

    @Test func dealsClosureWinRateSizeCycleAndVelocity() throws {
        let report = try report()
        let deals = report.deals
        #expect(deals.created == 4)
        #expect(deals.createdAndWon == 2)
        #expect(deals.closureRate == 0.5)
        #expect(deals.won == 2 && deals.lost == 1)
        #expect(deals.winRate == 2.0 / 3.0)
        #expect(deals.wonAmount == 40_000)
        #expect(deals.averageDeal == 20_000)
        #expect(deals.salesCycleDays == (45.0 + 60.0) / 2)
        #expect(deals.openOpportunities == 1 && deals.openAmount == 20_000)
        let velocity = try #require(deals.velocityPerDay)
        #expect(abs(velocity - 1 * (2.0 / 3.0) * 20_000 / 52.5) < 1e-9)

        #expect(report.winLoss.reasons.map(\.reason) == ["Price"])
        #expect(report.winLoss.reasons.first?.amount == 5_000)
        // At the end of February D1, D2, D3 were open; nothing had closed in the 90 days before.
        let february = try #require(report.velocity.first { $0.month == "2026-02" })
        #expect(february.openOpportunities == 3 && february.winRate == nil)
        // At the end of March: D3 and D4 open; D1 won and D2 lost in the 90 days before.
        let march = try #require(report.velocity.first { $0.month == "2026-03" })
        #expect(march.openOpportunities == 2 && march.winRate == 0.5 && march.averageDeal == 10_000)
    }

    @Test func funnelConversionFromTheLedger() throws {
        let funnel = try report().funnel
        let mql = try #require(funnel.first { $0.stage == "mql" })
        // P1 went on to SAL (a call) and beyond, P2 to SAL; P3 never got further.
        #expect(mql.entered == 3 && mql.reachedNext == 2)
        #expect(mql.conversion == 2.0 / 3.0)
        let opportunity = try #require(funnel.first { $0.stage == "opportunity" })
        // P1 (D1) and P5 (D2) entered opportunity in the period; both reached customer.
        #expect(opportunity.entered == 2 && opportunity.reachedNext == 2)
        #expect(funnel.last?.conversion == nil)
    }

    @Test func groupedByOwner() throws {
        let owners = Dictionary(uniqueKeysWithValues: try report().byOwner.map { ($0.key, $0) })
        let u1 = try #require(owners["U1"])
        let u2 = try #require(owners["U2"])
        #expect(u1.leads == 2 && u2.leads == 1)
        #expect(u1.won == 1 && u1.wonAmount == 10_000 && u1.winRate == 1)
        #expect(u2.won == 1 && u2.lost == 1 && u2.wonAmount == 30_000 && u2.winRate == 0.5)
        #expect(u1.assigned == 2 && u1.followUpShare == 0.5)  // P1 within, P2 late
        #expect(u2.assigned == 3 && u2.followUpShare == 2.0 / 3.0)  // P4, P5 within; P3 overdue
    }

    @Test func periodDefaultsToTwelveMonthsOfData() throws {
        let period = try ReportPeriod.make(from: nil, to: nil, asOf: ms("2026-10-31T23:59:59Z"))
        #expect(period.from == "2025-11-01" && period.to == "2026-10-31")
        #expect(period.months.count == 12)
        #expect(throws: ReportPeriodError.self) { try ReportPeriod.make(from: "2026-05-01", to: "2026-04-01", asOf: 0) }
        #expect(throws: ReportPeriodError.self) { try ReportPeriod.make(from: "May", to: nil, asOf: 0) }
    }
}
