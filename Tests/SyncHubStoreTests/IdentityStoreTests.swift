import Foundation
import SyncHubCore
import SyncHubIdentity
import SyncHubStore
import Testing

@Suite struct IdentityStoreTests {
    let contacts = StreamDescriptor(name: "contacts", objectType: .contact)

    func reference(_ connector: String, _ id: String) -> RecordReference {
        RecordReference(connector: connector, objectType: .contact, externalID: id)
    }

    @Test(arguments: StoreKind.allCases)
    func resolutionRoundTripsAndAliasesResolve(kind: StoreKind) throws {
        let test = try TestStore(kind)
        _ = try test.store.commit(
            Fixtures.batch([
                Fixtures.contact("1", email: "Ada@Example.com", additionalEmails: ["ada@home.example", "a.l@work.example"]),
                Fixtures.contact("2", email: "grace@example.com", sameAs: [reference("marketing", "m-7"), reference("erp", "x:9")]),
            ]),
            connector: "crm", stream: contacts, deletingAllExcept: nil, runID: nil)
        _ = try test.store.commit(
            Fixtures.batch([Fixtures.contact("m-7", email: "grace@example.com"), Fixtures.deletion("m-8")]),
            connector: "marketing", stream: contacts, deletingAllExcept: nil, runID: nil)

        var records = try test.store.identityRecords()
        #expect(records.map(\.reference.description) == ["crm:1", "crm:2", "marketing:m-7"])
        #expect(records[0].emails == ["Ada@Example.com", "ada@home.example", "a.l@work.example"])
        #expect(records[1].sameAs == [reference("marketing", "m-7"), reference("erp", "x:9")])
        #expect(records.allSatisfy { $0.currentPersonID == nil && !$0.isDeleted })

        let runID = try test.store.beginRun(command: "resolve")
        try test.store.apply(
            IdentityResolution(
                changedLinks: [
                    IdentityLink(reference: reference("crm", "1"), personID: "P1", rule: "single", evidence: ""),
                    IdentityLink(reference: reference("crm", "2"), personID: "P2", rule: "email", evidence: "grace@example.com"),
                    IdentityLink(reference: reference("marketing", "m-7"), personID: "P2", rule: "same_as", evidence: "crm:2"),
                ],
                newPersons: [PersonSeed(id: "P1", foundedBy: reference("crm", "1")), PersonSeed(id: "P2", foundedBy: reference("crm", "2"))]),
            runID: runID)
        records = try test.store.identityRecords()
        #expect(records.map(\.currentPersonID) == ["P1", "P2", "P2"])
        #expect(try test.string("SELECT evidence FROM person_link WHERE external_id = 'm-7'") == "crm:2")
        #expect(try test.string("SELECT founded_by FROM person WHERE id = 'P2'") == "crm:2")
        #expect(try test.store.resolvePersonID("P1") == "P1")
        #expect(try test.store.resolvePersonID("P9") == nil)

        // P2 is absorbed into P1; its links move with the resolution.
        try test.store.apply(
            IdentityResolution(
                changedLinks: [
                    IdentityLink(reference: reference("crm", "2"), personID: "P1", rule: "email", evidence: "x"),
                    IdentityLink(reference: reference("marketing", "m-7"), personID: "P1", rule: "same_as", evidence: "crm:2"),
                ],
                merges: [(absorbed: "P2", survivor: "P1")]),
            runID: nil)
        #expect(try test.store.identityRecords().map(\.currentPersonID) == ["P1", "P1", "P1"])
        #expect(try test.store.resolvePersonID("P2") == "P1")
        #expect(try test.store.status().persons == 1)

        // P1 is absorbed in turn: P2 follows to the new survivor.
        try test.store.apply(
            IdentityResolution(
                changedLinks: [IdentityLink(reference: reference("crm", "1"), personID: "P3", rule: "email", evidence: "y")],
                newPersons: [PersonSeed(id: "P3", foundedBy: reference("crm", "1"))],
                merges: [(absorbed: "P1", survivor: "P3")]),
            runID: nil)
        #expect(try test.store.resolvePersonID("P2") == "P3")
        #expect(try test.store.resolvePersonID("P1") == "P3")
        #expect(try test.int("SELECT count(*) FROM person_link WHERE person_id = 'P3'") == 3)
    }

    @Test func identityRecordsReadsManyContactsQuickly() throws {
        let test = try TestStore(.memory)
        let stream = StreamDescriptor(name: "contacts", objectType: .contact)
        for start in stride(from: 0, to: 20_000, by: 5_000) {
            _ = try test.store.commit(
                Fixtures.contactBatch(range: start..<start + 5_000, checkpoint: nil), connector: "crm", stream: stream,
                deletingAllExcept: nil, runID: nil)
        }
        let records = try test.store.identityRecords()
        #expect(records.count == 20_000)
        #expect(records.allSatisfy { $0.emails.count == 1 })
    }
}
