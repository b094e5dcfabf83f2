import Foundation
import GRDB
import SyncHubCore
import SyncHubIdentity
import SyncHubStore
import Testing

@Suite struct PeopleStoreTests {
    let settings = IdentitySettings(systems: ["crm": "sales", "marketing": "marketing"])

    /// crm 1 and marketing m1 share an email; crm 2 stands alone; marketing m2 names crm 2 as the same person.
    func seed(_ store: StoreDatabase) throws {
        try Fixtures.land(store, "crm", [
            Fixtures.contact("1", email: "ada@example.com", updatedAt: "2025-01-01T00:00:00Z", firstName: "Ada"),
            Fixtures.contact("2", email: "grace@example.com", updatedAt: "2025-01-01T00:00:00Z", firstName: "Grace"),
        ])
        try Fixtures.land(store, "marketing", [
            Fixtures.contact("m1", email: "ADA@example.com", updatedAt: "2026-01-01T00:00:00Z", firstName: "Addie"),
            Fixtures.contact("m2", email: "g.hopper@example.com", updatedAt: "2026-01-01T00:00:00Z", firstName: "Grace", sameAs: [Fixtures.reference("crm", "2")]),
        ])
    }

    @Test(arguments: StoreKind.allCases)
    func aFirstResolutionWritesPersonsMatchesAndGoldenRecords(kind: StoreKind) throws {
        let test = try TestStore(kind)
        try seed(test.store)
        #expect(try test.store.dirtyContacts().count == 4, "every landed contact waits for resolution")
        #expect(try test.store.pendingContactChanges().count == 4)

        let report = try test.store.resolveIdentities(settings: settings, runID: nil)
        #expect(report.full)
        #expect(report.recordsExamined == 4)
        #expect(try test.int("SELECT count(DISTINCT person_id) FROM person_link") == 2)
        #expect(try test.store.dirtyContacts().isEmpty)

        let ada = try #require(try test.store.personID(of: Fixtures.reference("crm", "1")))
        #expect(try test.store.personID(of: Fixtures.reference("marketing", "m1")) == ada)
        let matches = try test.store.matches(touching: [Fixtures.reference("crm", "1")])
        #expect(matches.map(\.rule) == ["email"])
        #expect(matches.first?.evidence == "ada@example.com")
        #expect(try test.int("SELECT count(*) FROM person_match") == 2, "the email edge and the same_as edge")

        let golden = try #require(try test.store.goldenRecords(for: [ada])[ada])
        #expect(golden[.firstName] == "Ada", "names come from sales first")
        #expect(golden.fields[.firstName]?.provenance.source == Fixtures.reference("crm", "1"))
        #expect(golden.fields[.firstName]?.provenance.rule == "sourcePriority")
        #expect(golden.fields[.firstName]?.provenance.sourceUpdatedAt == "2025-01-01T00:00:00Z")
        #expect(golden[.email] == "ada@example.com")
        #expect(golden[.city] == "London")
        #expect(try test.int("SELECT count(*) FROM golden_person") == 2)
        #expect(try test.store.identityState("matching") == settings.matchingFingerprint)

        // Nothing changed: nothing to do.
        let again = try test.store.resolveIdentities(settings: settings, runID: nil)
        #expect(!again.full)
        #expect(again.focusRecords == 0)
        #expect(again.changedLinks == 0)
    }

    @Test func aChangedRecordIsReExaminedAloneAndItsGoldenRecordRebuilt() throws {
        let test = try TestStore(.file)
        try seed(test.store)
        _ = try test.store.resolveIdentities(settings: settings, runID: nil)
        let grace = try #require(try test.store.personID(of: Fixtures.reference("crm", "2")))
        let ada = try #require(try test.store.personID(of: Fixtures.reference("crm", "1")))
        let adaGoldenBefore = try test.store.goldenRecords(for: [ada])[ada]

        // Re-landing an unchanged record marks nothing.
        try Fixtures.land(test.store, "crm", [Fixtures.contact("1", email: "ada@example.com", updatedAt: "2025-01-01T00:00:00Z", firstName: "Ada")])
        #expect(try test.store.dirtyContacts().isEmpty)

        try Fixtures.land(test.store, "crm", [Fixtures.contact("2", email: "grace@example.com", updatedAt: "2026-03-01T00:00:00Z", firstName: "Amazing Grace")])
        #expect(try test.store.dirtyContacts() == [Fixtures.reference("crm", "2")])
        let report = try test.store.resolveIdentities(settings: settings, runID: nil)
        #expect(!report.full)
        #expect(report.focusRecords == 1)
        #expect(report.goldenRecords == 1, "only Grace's person is rebuilt")
        #expect(try test.store.personID(of: Fixtures.reference("marketing", "m2")) == grace, "the same_as edge kept from before still links")
        #expect(try test.store.goldenRecords(for: [grace])[grace]?[.firstName] == "Amazing Grace")
        #expect(try test.store.goldenRecords(for: [ada])[ada] == adaGoldenBefore)
        #expect(try test.int("SELECT count(*) FROM person_match") == 2)
    }

    @Test func overridesSplitAndMergeAndSurviveAFullRefresh() throws {
        let test = try TestStore(.file)
        try seed(test.store)
        _ = try test.store.resolveIdentities(settings: settings, runID: nil)
        let ada = try #require(try test.store.personID(of: Fixtures.reference("crm", "1")))

        try test.store.addOverride(.detach, Fixtures.reference("marketing", "m1"))
        _ = try test.store.resolveIdentities(settings: settings, runID: nil)
        let split = try #require(try test.store.personID(of: Fixtures.reference("marketing", "m1")))
        #expect(split != ada)
        #expect(try test.store.personID(of: Fixtures.reference("crm", "1")) == ada, "the person keeps its id; the split record gets a new one")
        #expect(try test.store.goldenRecords(for: [split])[split]?[.firstName] == "Addie")
        #expect(try test.store.goldenRecords(for: [ada])[ada]?[.firstName] == "Ada")

        _ = try test.store.resolveIdentities(settings: settings, runID: nil, fullRefresh: true)
        #expect(try test.store.personID(of: Fixtures.reference("marketing", "m1")) == split, "still split after a full refresh")

        // Merge Ada's person with Grace's: the older id survives, the other stays as an alias.
        let grace = try #require(try test.store.personID(of: Fixtures.reference("crm", "2")))
        try test.store.addOverride(.sameperson, Fixtures.reference("crm", "1"), Fixtures.reference("crm", "2"))
        let merged = try test.store.resolveIdentities(settings: settings, runID: nil)
        #expect(merged.mergedPersons == 1)
        let survivor = try #require(try test.store.personID(of: Fixtures.reference("crm", "2")))
        #expect(try test.store.personID(of: Fixtures.reference("crm", "1")) == survivor)
        #expect([ada, grace].contains(survivor))
        let absorbed = survivor == ada ? grace : ada
        #expect(try test.store.resolvePersonID(absorbed) == survivor)
        #expect(try test.store.goldenRecords(for: [absorbed]).isEmpty, "the absorbed person's golden record goes")
        #expect(try test.store.matches(touching: [Fixtures.reference("crm", "1")]).contains { $0.rule == "override" })

        _ = try test.store.resolveIdentities(settings: settings, runID: nil, fullRefresh: true)
        #expect(try test.store.personID(of: Fixtures.reference("crm", "1")) == survivor, "the merge survives a full refresh")
        #expect(try test.store.personID(of: Fixtures.reference("marketing", "m1")) == split)

        // Splitting a merged record drops the merge that pulled it in.
        try test.store.addOverride(.detach, Fixtures.reference("crm", "2"))
        #expect(try test.store.overrides().filter { $0.kind == .sameperson }.isEmpty)
    }

    @Test func reviewsKeepTheirNumbersAndDecidedPairsStayDecided() throws {
        let test = try TestStore(.memory)
        let a = Fixtures.reference("crm", "1"), b = Fixtures.reference("marketing", "m1"), c = Fixtures.reference("marketing", "m2")
        let comparisons = [FieldComparison(field: "lastName", outcome: "exact", weight: 7.5), FieldComparison(field: "city", outcome: "different", weight: -2)]
        func update(_ reviews: [MatchedPair], focus: Set<RecordReference>?) -> IdentityUpdate {
            IdentityUpdate(resolution: IdentityResolution(reviews: reviews), focus: focus)
        }
        try test.store.apply(update([
            MatchedPair(first: b, second: a, rule: "probabilistic", evidence: "", score: 8.1, comparisons: comparisons),
            MatchedPair(first: a, second: c, rule: "probabilistic", evidence: "", score: 6.5),
        ], focus: nil), runID: nil)
        let first = try test.store.reviews()
        #expect(first.count == 2)
        #expect(first[0].pair.first == a, "pairs are stored in reference order")
        #expect(first[0].pair.comparisons == comparisons)

        // A later pass re-scores a-b and no longer finds a-c: a-b keeps its number.
        try test.store.apply(update([MatchedPair(first: a, second: b, rule: "probabilistic", evidence: "", score: 9)], focus: [a]), runID: nil)
        let second = try test.store.reviews()
        #expect(second.map(\.id) == [first[0].id])
        #expect(second[0].pair.score == 9)

        try test.store.decideReview(a, b, accept: false)
        #expect(try test.store.reviews().isEmpty)
        #expect(try test.store.identityOverrides().differentPersons == [IdentityOverrides.Pair(a, b)])
        try test.store.apply(update([MatchedPair(first: a, second: b, rule: "probabilistic", evidence: "", score: 9)], focus: nil), runID: nil)
        #expect(try test.store.reviews().isEmpty, "a decided pair is never reopened")
        #expect(try test.store.reviews(status: .rejected).count == 1)

        // Accepting the same pair later replaces the rejection.
        try test.store.decideReview(a, b, accept: true)
        let overrides = try test.store.identityOverrides()
        #expect(overrides.sameperson == [IdentityOverrides.Pair(a, b)])
        #expect(overrides.differentPersons.isEmpty)
    }

    @Test func goldenProvenanceRoundTripsThroughTheStore() throws {
        let test = try TestStore(.memory)
        let crm = Fixtures.reference("crm", "c:1"), marketing = Fixtures.reference("marketing", "m\t2")
        var record = GoldenRecord(personID: "P1")
        record.fields[.email] = GoldenValue(value: "a@b.example", provenance: GoldenProvenance(source: crm, rule: "sourcePriority", sourceUpdatedAt: "2025-01-01T00:00:00Z"))
        record.fields[.title] = GoldenValue(value: "CTO", provenance: GoldenProvenance(source: marketing, rule: "mostRecent", sourceUpdatedAt: nil))
        record.fields[.phone] = GoldenValue(value: "+1 555", provenance: GoldenProvenance(source: crm, rule: "kept", sourceUpdatedAt: "2025-01-01T00:00:00Z"))
        try test.store.apply(IdentityUpdate(resolution: IdentityResolution(), focus: [], golden: [record]), runID: nil)
        #expect(try test.store.goldenRecords(for: ["P1"])["P1"] == record)
        #expect(try test.store.goldenRecords(for: nil).count == 1)
        #expect(try test.string("SELECT provenance FROM golden_person") == "email=0:p;title=1:r;phone=0:k")
    }

    @Test func changedMatchingSettingsResolveEverythingAgain() throws {
        let test = try TestStore(.memory)
        try seed(test.store)
        _ = try test.store.resolveIdentities(settings: settings, runID: nil)
        var changed = settings
        changed.matching.linkThreshold += 1
        try Fixtures.land(test.store, "crm", [Fixtures.contact("3", email: "new@example.com")])
        let report = try test.store.resolveIdentities(settings: changed, runID: nil)
        #expect(report.full)
        #expect(report.focusRecords == 5)
    }
}
