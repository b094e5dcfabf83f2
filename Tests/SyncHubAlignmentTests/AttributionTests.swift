import SyncHubAlignment
import SyncHubCore
import SyncHubStore
import Testing

@Suite struct AttributionTests {
    typealias T = AlignmentTestStore

    /// One won deal of 1,000 and its person's touches:
    /// - A form fill 01-01 (first touch), an email send 01-02 (earns no credit), B email open 01-05 00:00 (the lead
    ///   was created then: the lead-creation touch), C webinar 01-10 (the last touch before the opportunity opened
    ///   01-12: the opportunity-creation touch), D event 01-20 (the last touch before the close 01-30), E click 02-09
    ///   (after the close: no credit).
    static func company() throws -> AlignmentTestStore {
        let test = try AlignmentTestStore()
        try test.commit(
            "marketing", "campaigns",
            ["A", "B", "C", "D", "E", "X"].map { T.campaign($0, name: "Campaign \($0)", channel: "email") })
        try test.commit(
            "marketing", "contacts",
            [
                T.contact(
                    "M1", lifecycle: "customer", created: "2025-12-20T00:00:00Z", updated: "2026-01-30T00:00:00Z",
                    raw: [("Became a Lead Date", "2026-01-05T00:00:00Z")])
            ])
        try test.commit(
            "marketing", "touches",
            [
                T.touch("t1", contact: "M1", campaign: "A", type: "form_fill", at: "2026-01-01T00:00:00Z"),
                T.touch("t0", contact: "M1", campaign: "X", type: "email_send", at: "2026-01-02T00:00:00Z"),
                T.touch("t2", contact: "M1", campaign: "B", type: "email_open", at: "2026-01-05T00:00:00Z"),
                T.touch("t3", contact: "M1", campaign: "C", type: "webinar", at: "2026-01-10T00:00:00Z"),
                T.touch("t4", contact: "M1", campaign: "D", type: "event", at: "2026-01-20T00:00:00Z"),
                T.touch("t5", contact: "M1", campaign: "E", type: "email_click", at: "2026-02-09T00:00:00Z"),
            ])
        try test.commit(
            "crm", "contacts", [T.contact("C1", created: "2026-01-08T00:00:00Z", updated: "2026-01-08T00:00:00Z")])
        try test.commit(
            "crm", "deals",
            [
                T.deal(
                    "W", outcome: .won, amount: 1_000, created: "2026-01-12T00:00:00Z", close: "2026-01-30",
                    updated: "2026-01-30T00:00:00Z")
            ])
        try test.commit("crm", "deal_contacts", [T.dealContact("W", "C1")])
        try test.link("P1", "marketing:M1", "crm:C1")
        return test
    }

    @Test func everyModelSharesTheDealAsDefined() throws {
        let test = try Self.company()
        let configuration = try testConfiguration()
        try StageLedger.update(
            store: test.store, configuration: configuration, now: ms("2026-03-01T00:00:00Z"), runID: nil)
        let analysis = try test.analysis(configuration)
        let deal = try #require(analysis.attribution(deal: "crm:W"))
        #expect(deal.leadCreatedAt == "2026-01-05T00:00:00Z")
        #expect(deal.touches.map(\.campaign) == ["marketing:A", "marketing:B", "marketing:C", "marketing:D"])
        #expect(
            deal.touches.map(\.roles) == [["first touch"], ["lead creation"], ["opportunity creation"], ["last touch"]])
        func credit(_ model: AttributionModel) -> [Double] {
            deal.touches.map { ($0.credit[model.rawValue] ?? -1).rounded() }
        }
        #expect(credit(.firstTouch) == [1_000, 0, 0, 0])
        #expect(credit(.lastTouch) == [0, 0, 0, 1_000])
        #expect(credit(.linear) == [250, 250, 250, 250])
        // U: 40% first, 40% lead creation, the other 20% shared by C and D.
        #expect(credit(.uShaped) == [400, 400, 100, 100])
        // W: 30% each to first, lead creation, opportunity creation; the other 10% to D.
        #expect(credit(.wShaped) == [300, 300, 300, 100])

        let period = try ReportPeriod.make(from: "2026-01-01", to: "2026-03-31", asOf: analysis.asOf)
        let summary = analysis.report(period: period).attribution
        #expect(summary.deals == 1 && summary.wonRevenue == 1_000 && summary.unattributedDeals == 0)
        let byCampaign = Dictionary(uniqueKeysWithValues: summary.campaigns.map { ($0.campaign, $0.credit) })
        #expect(byCampaign["marketing:A"]?["w-shaped"] == 300)
        #expect(byCampaign["marketing:E"] == nil && byCampaign["marketing:X"] == nil)
        #expect(analysis.attribution(deal: "crm:nope") == nil)
    }

    @Test func sharesAtTheEdges() {
        // One touch takes everything under every model.
        for model in AttributionModel.allCases {
            let shares = Attribution.shares(model: model, times: [5], leadCreatedAt: 5, opportunityCreatedAt: 9)
            #expect(shares.count == 1 && abs(shares[0] - 1) < 1e-12, "\(model)")
        }
        // The first touch also created the lead: it takes both 40% shares.
        #expect(
            Attribution.shares(model: .uShaped, times: [1, 2, 3], leadCreatedAt: 1, opportunityCreatedAt: nil)
                .map { ($0 * 100).rounded() } == [80, 10, 10])
        // Two touches, both milestones: the 20% is split between them.
        #expect(
            Attribution.shares(model: .uShaped, times: [1, 2], leadCreatedAt: 2, opportunityCreatedAt: nil)
                .map { ($0 * 100).rounded() } == [50, 50])
        // No touch before the lead was created: the first touch stands for it.
        #expect(
            Attribution.shares(model: .wShaped, times: [10, 20, 30], leadCreatedAt: 5, opportunityCreatedAt: 25)
                .map { ($0 * 100).rounded() } == [60, 30, 10])
    }

    @Test func aWonDealWithoutTouchesIsUnattributed() throws {
        let test = try AlignmentTestStore()
        try test.commit(
            "crm", "contacts", [T.contact("C1", created: "2026-01-08T00:00:00Z", updated: "2026-01-08T00:00:00Z")])
        try test.commit(
            "crm", "deals",
            [T.deal("W", outcome: .won, amount: 500, created: "2026-01-12T00:00:00Z", close: "2026-01-30")])
        try test.commit("crm", "deal_contacts", [T.dealContact("W", "C1")])
        try test.link("P1", "crm:C1")
        let analysis = try test.analysis(try testConfiguration())
        let summary = analysis.report(
            period: try ReportPeriod.make(from: "2026-01-01", to: "2026-01-31", asOf: analysis.asOf)
        ).attribution
        #expect(summary.deals == 1 && summary.unattributedDeals == 1 && summary.unattributedRevenue == 500)
        #expect(summary.campaigns.isEmpty)
    }
}
