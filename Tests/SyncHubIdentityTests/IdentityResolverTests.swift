import SyncHubCore
import SyncHubIdentity
import Testing

@Suite struct IdentityResolverTests {
    func record(_ connector: String, _ id: String, _ emails: [String], sameAs: [RecordReference] = [], mergedInto: String? = nil, person: String? = nil) -> IdentityRecord {
        IdentityRecord(reference: RecordReference(connector: connector, externalID: id), emails: emails, sameAs: sameAs, mergedInto: mergedInto, currentPersonID: person)
    }

    /// Applies a resolution to the inputs, as the store would.
    func applying(_ resolution: IdentityResolution, to records: [IdentityRecord]) -> [IdentityRecord] {
        let changes = Dictionary(uniqueKeysWithValues: resolution.changedLinks.map { ($0.reference, $0.personID) })
        return records.map { var copy = $0; copy.currentPersonID = changes[$0.reference] ?? $0.currentPersonID; return copy }
    }

    @Test func linksRecordsSharingANormalizedEmailAcrossSystems() {
        let records = [
            record("marketing", "1", [" Jane.Doe@Gmail.com"]),
            record("crm", "003A", ["janedoe+promo@googlemail.com"]),
            record("crm", "003B", ["other@acme.com"]),
        ]
        let resolution = IdentityResolver().resolve(records)
        let person = Dictionary(uniqueKeysWithValues: resolution.changedLinks.map { ($0.reference.externalID, $0.personID) })
        #expect(person["1"] == person["003A"])
        #expect(person["1"] != person["003B"])
        #expect(resolution.newPersons.count == 2)
        #expect(resolution.changedLinks.first { $0.reference.externalID == "003A" }?.rule == "email")
    }

    @Test func everyRecordBelongsToExactlyOnePersonEvenWithoutEmail() {
        let records = [record("crm", "a", []), record("crm", "b", ["not an email"]), record("crm", "c", ["info@acme.com"]), record("crm", "d", ["info@acme.com"])]
        let resolution = IdentityResolver().resolve(records)
        #expect(resolution.changedLinks.count == 4)
        #expect(Set(resolution.changedLinks.map(\.personID)).count == 4, "role addresses are not evidence")
    }

    @Test func crossSystemIdsAndUpstreamMergesLinkDeterministically() {
        let records = [
            record("marketing", "m1", ["a@x.com"], sameAs: [RecordReference(connector: "crm", externalID: "003")]),
            record("crm", "003", ["b@y.com"]),
            record("crm", "004", [], mergedInto: "003"),
        ]
        let resolution = IdentityResolver().resolve(records)
        #expect(Set(resolution.changedLinks.map(\.personID)).count == 1)
        #expect(resolution.changedLinks.first { $0.reference.externalID == "004" }?.rule == "upstream_merge")
    }

    @Test func personIdsStayStableAcrossRunsAndNewRecords() {
        var records = [record("marketing", "1", ["jane@acme.com"]), record("marketing", "2", ["bob@acme.com"])]
        let first = IdentityResolver().resolve(records)
        records = applying(first, to: records)
        let again = IdentityResolver().resolve(records)
        #expect(again.changedLinks.isEmpty)
        #expect(again.newPersons.isEmpty)
        // A new record with an earlier-sorting key joins Jane without renumbering her.
        records.append(record("a-first", "0", ["JANE@acme.com"]))
        let third = IdentityResolver().resolve(records)
        let janeID = records[0].currentPersonID
        #expect(third.changedLinks.map(\.personID) == [janeID])
        #expect(third.newPersons.isEmpty)
    }

    @Test func mergingTwoPersonsKeepsTheOlderIdAndAliasesTheOther() {
        var records = [record("marketing", "1", ["jane@acme.com"]), record("crm", "9", ["jdoe@gmail.com"])]
        records = applying(IdentityResolver().resolve(records), to: records)
        let older = records[1].currentPersonID!, newer = records[0].currentPersonID!
        // The marketing record now also carries the gmail address: one person.
        records[0].emails.append("j.doe@gmail.com")
        let resolution = IdentityResolver().resolve(records, personAge: [older: 1, newer: 2])
        #expect(resolution.changedLinks.map(\.personID) == [older])
        #expect(resolution.merges.count == 1)
        #expect(resolution.merges.first?.absorbed == newer)
        #expect(resolution.merges.first?.survivor == older)
    }

    @Test func sameDataGivesTheSameIdsWhateverTheInputOrder() {
        let records = (0..<50).map { record("src", "r\($0)", ["p\($0 % 20)@acme.com"]) }
        let a = IdentityResolver().resolve(records)
        let b = IdentityResolver().resolve(records.reversed())
        let mapA = Dictionary(uniqueKeysWithValues: a.changedLinks.map { ($0.reference, $0.personID) })
        let mapB = Dictionary(uniqueKeysWithValues: b.changedLinks.map { ($0.reference, $0.personID) })
        #expect(mapA == mapB)
        #expect(Set(mapA.values).count == 20)
    }
}
