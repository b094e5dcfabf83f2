import Foundation
import GRDB
import SyncHubCore
import SyncHubIdentity
import SyncHubStore
import Testing

/// When a person's records are divided into groups, the group holding most of them keeps the person id, whether the
/// resolution is incremental, reads every record, or starts over (`--full-refresh`).
@Suite struct SplitPersonIDTests {
    let settings = IdentitySettings(systems: ["crm": "sales", "marketing": "marketing"])

    /// Resolves on `test` incrementally, and on copies taken before it reading every record and starting over: all
    /// three must decide alike. Returns the incremental report.
    func resolveThreeWays(_ test: TestStore, runID: Int64) throws -> IdentityRunReport {
        let folder = try #require(test.folder)
        let everything = folder.appendingPathComponent("everything-\(runID).sqlite").path
        let fresh = folder.appendingPathComponent("fresh-\(runID).sqlite").path
        try test.store.copy(to: everything)
        try test.store.copy(to: fresh)
        let report = try test.store.resolveIdentities(settings: settings, runID: runID)
        _ = try StoreDatabase(path: everything).resolveIdentities(settings: settings, runID: runID, readEverything: true)
        let full = try StoreDatabase(path: fresh).resolveIdentities(settings: settings, runID: runID, fullRefresh: true)
        #expect(full.full)
        #expect(try test.store.identityDifferences(from: everything) == IdentityDifferences(links: 0, golden: 0, matches: 0, reviews: 0, index: 0))
        let againstFull = try test.store.identityDifferences(from: fresh)
        #expect(againstFull.links == 0 && againstFull.golden == 0, "a full refresh gives the same persons")
        return report
    }

    @Test func theGroupHoldingMostOfThePersonsRecordsKeepsItsID() throws {
        let test = try TestStore(.file)
        // One person of three records: crm:1 (it sorts first) names marketing:m1, which shares an email with m2.
        try Fixtures.land(test.store, "crm", [Fixtures.contact("1", email: "ada.crm@example.com", sameAs: [Fixtures.reference("marketing", "m1")])])
        try Fixtures.land(test.store, "marketing", [
            Fixtures.contact("m1", email: "ada@example.com"), Fixtures.contact("m2", email: "ada@example.com"),
        ])
        _ = try test.store.resolveIdentities(settings: settings, runID: 1)
        let ada = try #require(try test.store.personID(of: Fixtures.reference("crm", "1")))
        #expect(try test.store.personID(of: Fixtures.reference("marketing", "m2")) == ada)

        // Split the first-sorting record: the two others keep the id, the split record gets a new one.
        try test.store.addOverride(.detach, Fixtures.reference("crm", "1"))
        let report = try resolveThreeWays(test, runID: 2)
        #expect(!report.full)
        #expect(try test.store.personID(of: Fixtures.reference("marketing", "m1")) == ada, "the larger group keeps the person id")
        #expect(try test.store.personID(of: Fixtures.reference("marketing", "m2")) == ada)
        let split = try #require(try test.store.personID(of: Fixtures.reference("crm", "1")))
        #expect(split != ada)
        #expect(report.newPersons == 1)
        #expect(report.mergedPersons == 0)
        #expect(try test.store.resolvePersonID(ada) == ada, "the id is no alias")
    }

    @Test func onATieTheGroupHoldingTheFirstSortingRecordKeepsTheID() throws {
        let test = try TestStore(.file)
        try Fixtures.land(test.store, "crm", [Fixtures.contact("1", email: "ada@example.com")])
        try Fixtures.land(test.store, "marketing", [Fixtures.contact("m1", email: "ada@example.com")])
        _ = try test.store.resolveIdentities(settings: settings, runID: 1)
        let ada = try #require(try test.store.personID(of: Fixtures.reference("crm", "1")))

        // One record each side: crm:1 sorts first, so its side keeps the id, even when it is the split record.
        try test.store.addOverride(.detach, Fixtures.reference("crm", "1"))
        _ = try resolveThreeWays(test, runID: 2)
        #expect(try test.store.personID(of: Fixtures.reference("crm", "1")) == ada)
        #expect(try test.store.personID(of: Fixtures.reference("marketing", "m1")) != ada)
    }

    @Test func aRecordLeavingThroughAChangeLeavesTheIDWithTheLargerGroup() throws {
        let test = try TestStore(.file)
        try Fixtures.land(test.store, "crm", [Fixtures.contact("1", email: "ada@example.com", firstName: "Ada")])
        try Fixtures.land(test.store, "marketing", [
            Fixtures.contact("m1", email: "ada@example.com"), Fixtures.contact("m2", email: "ada@example.com"),
        ])
        _ = try test.store.resolveIdentities(settings: settings, runID: 1)
        let ada = try #require(try test.store.personID(of: Fixtures.reference("crm", "1")))

        // crm:1 becomes somebody else entirely (another email, name, phone).
        try Fixtures.land(test.store, "crm", [Fixtures.contact(
            "1", email: "zq@elsewhere.org", updatedAt: "2026-01-01T00:00:00Z", firstName: "Zelda", lastName: "Quarry",
            phone: "+1 303 555 1234", city: "Denver")])
        _ = try resolveThreeWays(test, runID: 2)
        #expect(try test.store.personID(of: Fixtures.reference("marketing", "m1")) == ada)
        #expect(try test.store.personID(of: Fixtures.reference("marketing", "m2")) == ada)
        #expect(try test.store.personID(of: Fixtures.reference("crm", "1")) != ada)
    }
}
