import SyncHubCore
import SyncHubStore
import Testing

@testable import SyncHubAlignment

@Suite struct ChecksTests {
    typealias T = AlignmentTestStore

    /// Each check has exactly one person or deal it must count, next to ones that look alike and must not count.
    static func company() throws -> AlignmentTestStore {
        let test = try AlignmentTestStore()
        let day = "2026-01-01T00:00:00Z"
        try test.commit(
            "marketing", "contacts",
            [
                T.contact("Ma", lifecycle: "marketingqualifiedlead", created: day, updated: day),  // MQL, no owner: counts
                T.contact("Mb", lifecycle: "marketingqualifiedlead", owner: "Dana", created: day, updated: day),  // has an owner
                T.contact("Mf", lifecycle: "lead", created: day, updated: day),  // still a lead: drift against a won deal
                T.contact("Mg", lifecycle: "opportunity", created: day, updated: day),  // a step behind: lag, not drift
                T.contact("Mi", lifecycle: "opportunity", created: day, updated: day),
                T.contact("Mj", lifecycle: "marketingqualifiedlead", created: day, updated: day),
                T.contact("Mk", lifecycle: "marketingqualifiedlead", created: day, updated: day),
            ])
        try test.commit(
            "crm", "leads",
            [
                T.contact(
                    "Lc", kind: "lead", lifecycle: "Open - Not Contacted", owner: "U1", created: day, updated: day),  // never called: overdue
                T.contact(
                    "Ld", kind: "lead", lifecycle: "Working - Contacted", owner: "U1", created: day, updated: day),  // called
                T.contact(
                    "Le", kind: "lead", lifecycle: "Closed - Not Converted", owner: "U1", created: day, updated: day),  // out of the funnel
            ])
        try test.commit(
            "crm", "contacts",
            [
                T.contact("Cf", created: day, updated: day), T.contact("Cg", created: day, updated: day),
                T.contact("Ch", created: day, updated: day), T.contact("Ci", created: day, updated: day),
                T.contact("Cj", created: day, updated: day), T.contact("Ck", created: day, updated: day),
            ])
        try test.commit(
            "crm", "deals",
            [
                T.deal("Df", outcome: .won, amount: 1, created: "2026-01-05T00:00:00Z", close: "2026-01-20"),
                T.deal("Dg", outcome: .won, amount: 1, created: "2026-01-05T00:00:00Z", close: "2026-01-20"),
                T.deal("Dh", outcome: .open, amount: 1, created: "2026-01-05T00:00:00Z"),  // nobody on it was ever touched
                T.deal("Di", outcome: .open, amount: 1, created: "2026-01-05T00:00:00Z"),  // Mi was touched before
            ])
        try test.commit(
            "crm", "deal_contacts",
            [
                T.dealContact("Df", "Cf"), T.dealContact("Dg", "Cg"), T.dealContact("Dh", "Ch"),
                T.dealContact("Di", "Ci"),
            ])
        try test.commit(
            "marketing", "touches",
            [
                T.touch("ti", contact: "Mi", campaign: "c", type: "form_fill", at: "2026-01-02T00:00:00Z"),
                T.touch("uj", contact: "Mj", campaign: "c", type: "unsubscribe", at: "2026-01-10T00:00:00Z"),
                T.touch("uk", contact: "Mk", campaign: "c", type: "unsubscribe", at: "2026-01-10T00:00:00Z"),
            ])
        try test.commit(
            "crm", "activities",
            [
                T.activity("ad", contact: "Ld", at: "2026-01-01T02:00:00Z"),
                T.activity("aj", contact: "Cj", at: "2026-01-15T00:00:00Z"),  // sales called after the unsubscribe
                T.activity("ak", contact: "Ck", at: "2026-01-05T00:00:00Z"),  // before it only
            ])
        try test.link("Pa", "marketing:Ma")
        try test.link("Pb", "marketing:Mb")
        try test.link("Pc", "crm:Lc")
        try test.link("Pd", "crm:Ld")
        try test.link("Pe", "crm:Le")
        try test.link("Pf", "marketing:Mf", "crm:Cf")
        try test.link("Pg", "marketing:Mg", "crm:Cg")
        try test.link("Ph", "crm:Ch")
        try test.link("Pi", "marketing:Mi", "crm:Ci")
        try test.link("Pj", "marketing:Mj", "crm:Cj")
        try test.link("Pk", "marketing:Mk", "crm:Ck")
        return test
    }

    @Test func eachCheckCountsWhatItShouldAndShowsIDs() throws {
        let test = try Self.company()
        let sla = node(["limits": node(["stageDrift": node("1"), "unsubscribedButActive": node("0")])])
        let analysis = try test.analysis(try testConfiguration(sla: sla))
        let results = Dictionary(
            uniqueKeysWithValues: analysis.checks(asOf: ms("2026-02-01T00:00:00Z")).map { ($0.check, $0) })
        #expect(results[.mqlWithoutOwner]?.examples == ["Pa (marketing:Ma)"])
        #expect(results[.followUpOverdue]?.examples == ["Pc (crm:Lc)"])
        #expect(results[.stageDrift]?.examples == ["Pf (crm: customer, marketing: lead)"])
        #expect(results[.opportunityWithoutTouch]?.examples == ["crm:Dh"])
        #expect(results[.unsubscribedButActive]?.examples == ["Pj (crm:Cj)"])
        #expect(results.values.allSatisfy { $0.count == 1 })
        // Limits: drift may count 1; the others allow none.
        #expect(results[.stageDrift]?.passed == true)
        #expect(results[.unsubscribedButActive]?.passed == false)
        #expect(results[.mqlWithoutOwner]?.limit == 0 && results[.mqlWithoutOwner]?.passed == false)
    }

    @Test func beforeTheFollowUpTimeHasPassedNothingIsOverdue() throws {
        let test = try Self.company()
        let analysis = try test.analysis(try testConfiguration())
        // Lc was created at midnight: at 23:00 the 24 h have not passed.
        let early = analysis.checks(asOf: ms("2026-01-01T23:00:00Z")).first { $0.check == .followUpOverdue }
        #expect(early?.count == 0)
        let late = analysis.checks(asOf: ms("2026-01-02T01:00:00Z")).first { $0.check == .followUpOverdue }
        #expect(late?.count == 1)
    }

    @Test func driftIsBeyondTheAllowedGap() {
        #expect(AlignmentAnalysis.drifts(.customer, .lead, maxGap: 2))
        #expect(!AlignmentAnalysis.drifts(.customer, .sql, maxGap: 2))
        #expect(AlignmentAnalysis.drifts(.customer, .sql, maxGap: 1))
        #expect(AlignmentAnalysis.drifts(.opportunity, .disqualified, maxGap: 2))
        #expect(!AlignmentAnalysis.drifts(.sql, .recycled, maxGap: 2))
    }
}
