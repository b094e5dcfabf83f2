import Foundation
import GRDB
import SyncHubCore
import SyncHubIdentity
import SyncHubStore
import Testing

@Suite struct CommitTests {
    let contacts = StreamDescriptor(name: "contacts", objectType: .contact)

    @Test(arguments: StoreKind.allCases)
    func unchangedRecommitWritesNothing(kind: StoreKind) throws {
        let test = try TestStore(kind)
        let batch = Fixtures.batch([Fixtures.contact("1"), Fixtures.contact("2"), Fixtures.contact("3")], checkpoint: "p1")
        let first = try test.store.commit(batch, connector: "crm", stream: contacts, deletingAllExcept: nil, runID: nil)
        #expect(first == CommitCounts(received: 3, inserted: 3))

        let changesBefore = test.totalChanges()
        let second = try test.store.commit(batch, connector: "crm", stream: contacts, deletingAllExcept: nil, runID: nil)
        #expect(second == CommitCounts(received: 3, unchanged: 3))
        #expect(test.totalChanges() == changesBefore)
        #expect(try test.int("SELECT max(version) FROM raw_record") == 1)
        #expect(try test.int("SELECT count(*) FROM contact") == 3)
    }

    @Test(arguments: StoreKind.allCases)
    func changedRecordUpdatesInPlace(kind: StoreKind) throws {
        let test = try TestStore(kind)
        _ = try test.store.commit(
            Fixtures.batch([Fixtures.contact("1"), Fixtures.contact("2")]), connector: "crm", stream: contacts,
            deletingAllExcept: nil, runID: nil)
        let changed = Fixtures.contact("1", updatedAt: "2025-02-01T00:00:00Z", firstName: "Augusta")
        let counts = try test.store.commit(
            Fixtures.batch([changed, Fixtures.contact("2")]), connector: "crm", stream: contacts, deletingAllExcept: nil,
            runID: nil)
        #expect(counts == CommitCounts(received: 2, updated: 1, unchanged: 1))
        #expect(try test.int("SELECT count(*) FROM raw_record") == 2)
        #expect(try test.int("SELECT version FROM raw_record WHERE external_id = '1'") == 2)
        #expect(try test.string("SELECT first_name FROM contact WHERE external_id = '1'") == "Augusta")
        #expect(try test.string("SELECT source_updated_at FROM contact WHERE external_id = '1'") == "2025-02-01T00:00:00Z")
    }

    @Test func changedNormalizationOfSamePayloadUpdates() throws {
        let test = try TestStore(.memory)
        var record = Fixtures.contact("1")
        _ = try test.store.commit(Fixtures.batch([record]), connector: "crm", stream: contacts, deletingAllExcept: nil, runID: nil)
        // Same raw payload, mapped differently (a changed `columns:` setting): the normalized row must follow.
        if case .contact(var contact) = record.normalized { contact.title = "CTO"; record.normalized = .contact(contact) }
        let counts = try test.store.commit(Fixtures.batch([record]), connector: "crm", stream: contacts, deletingAllExcept: nil, runID: nil)
        #expect(counts.updated == 1)
        #expect(try test.string("SELECT title FROM contact") == "CTO")
    }

    @Test(arguments: StoreKind.allCases)
    func deleteMarksRowsDeletedAndKeepsThem(kind: StoreKind) throws {
        let test = try TestStore(kind)
        _ = try test.store.commit(
            Fixtures.batch([Fixtures.contact("1"), Fixtures.contact("2")]), connector: "crm", stream: contacts,
            deletingAllExcept: nil, runID: nil)
        let payloadBefore = try test.string("SELECT payload FROM raw_record WHERE external_id = '1'")

        let counts = try test.store.commit(
            Fixtures.batch([Fixtures.deletion("1")]), connector: "crm", stream: contacts, deletingAllExcept: nil, runID: nil)
        #expect(counts == CommitCounts(received: 1, deleted: 1))
        #expect(try test.int("SELECT count(*) FROM raw_record") == 2)
        #expect(try test.int("SELECT is_deleted FROM raw_record WHERE external_id = '1'") == 1)
        #expect(try test.string("SELECT payload FROM raw_record WHERE external_id = '1'") == payloadBefore)
        #expect(try test.int("SELECT is_deleted FROM contact WHERE external_id = '1'") == 1)
        #expect(try test.string("SELECT first_name FROM contact WHERE external_id = '1'") == "Ada")
        #expect(try test.int("SELECT is_deleted FROM contact WHERE external_id = '2'") == 0)

        let again = try test.store.commit(
            Fixtures.batch([Fixtures.deletion("1")]), connector: "crm", stream: contacts, deletingAllExcept: nil, runID: nil)
        #expect(again == CommitCounts(received: 1, unchanged: 1))

        // A delete of a record never seen keeps a tombstone in the raw table.
        let unknown = try test.store.commit(
            Fixtures.batch([Fixtures.deletion("9")]), connector: "crm", stream: contacts, deletingAllExcept: nil, runID: nil)
        #expect(unknown.deleted == 1)
        #expect(try test.int("SELECT is_deleted FROM raw_record WHERE external_id = '9'") == 1)

        // The source brings the record back.
        let revived = try test.store.commit(
            Fixtures.batch([Fixtures.contact("1", updatedAt: "2025-03-01T00:00:00Z")]), connector: "crm", stream: contacts,
            deletingAllExcept: nil, runID: nil)
        #expect(revived.updated == 1)
        #expect(try test.int("SELECT is_deleted FROM contact WHERE external_id = '1'") == 0)
    }

    @Test func mergedRecordIsKeptAndMarked() throws {
        let test = try TestStore(.memory)
        _ = try test.store.commit(
            Fixtures.batch([Fixtures.contact("1"), Fixtures.contact("2")]), connector: "crm", stream: contacts,
            deletingAllExcept: nil, runID: nil)
        let counts = try test.store.commit(
            Fixtures.batch([Fixtures.deletion("2", mergedInto: "1")]), connector: "crm", stream: contacts,
            deletingAllExcept: nil, runID: nil)
        #expect(counts.deleted == 1)
        #expect(try test.string("SELECT merged_into FROM raw_record WHERE external_id = '2'") == "1")
        #expect(try test.string("SELECT merged_into FROM contact WHERE external_id = '2'") == "1")
        let records = try test.store.identityRecords()
        #expect(records.first { $0.reference.externalID == "2" }?.mergedInto == "1")
        #expect(records.first { $0.reference.externalID == "2" }?.isDeleted == true)
    }

    @Test(arguments: StoreKind.allCases)
    func completedSnapshotDeletesMissingRecordsOfItsStreamOnly(kind: StoreKind) throws {
        let test = try TestStore(kind)
        let leads = StreamDescriptor(name: "leads", objectType: .contact, isSnapshot: true)
        let snapshotContacts = StreamDescriptor(name: "contacts", objectType: .contact, isSnapshot: true)
        _ = try test.store.commit(
            Fixtures.batch([Fixtures.contact("L1", kind: "lead"), Fixtures.contact("L2", kind: "lead")]),
            connector: "crm", stream: leads, deletingAllExcept: nil, runID: nil)
        _ = try test.store.commit(
            Fixtures.batch([Fixtures.contact("C1"), Fixtures.contact("C2"), Fixtures.contact("C3")]),
            connector: "crm", stream: snapshotContacts, deletingAllExcept: nil, runID: nil)
        // Another connector's contacts are out of reach too.
        _ = try test.store.commit(
            Fixtures.batch([Fixtures.contact("C2")]), connector: "marketing", stream: snapshotContacts,
            deletingAllExcept: nil, runID: nil)

        // The next pass delivers C1 in one batch, then C3 in the completing batch.
        var pass = Fixtures.batch([Fixtures.contact("C3")])
        pass.completesSnapshot = true
        let counts = try test.store.commit(
            pass, connector: "crm", stream: snapshotContacts, deletingAllExcept: ["C1"], runID: nil)
        #expect(counts.deleted == 1)
        #expect(counts.unchanged == 1)
        let deleted = try test.store.writer.read {
            try String.fetchAll($0, sql: "SELECT connector || ':' || external_id FROM contact WHERE is_deleted = 1")
        }
        #expect(deleted == ["crm:C2"])
        #expect(try test.int("SELECT count(*) FROM raw_record WHERE is_deleted = 1") == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func checkpointCommitsWithItsBatchOrNotAtAll(kind: StoreKind) throws {
        let test = try TestStore(kind)
        #expect(try test.store.checkpoint(connector: "crm", stream: "contacts") == nil)
        _ = try test.store.commit(
            Fixtures.batch([Fixtures.contact("1")], checkpoint: "after-1"), connector: "crm", stream: contacts,
            deletingAllExcept: nil, runID: nil)
        #expect(try test.store.checkpoint(connector: "crm", stream: "contacts") == Checkpoint(payload: Data("after-1".utf8)))

        // The store fails on the third record of the next batch: nothing of that batch may remain.
        try test.store.writer.write { db in
            try db.execute(sql: """
                CREATE TRIGGER fail_on_boom BEFORE INSERT ON contact WHEN NEW.external_id = 'boom'
                BEGIN SELECT RAISE(ABORT, 'disk trouble'); END
                """)
        }
        let failing = Fixtures.batch(
            [Fixtures.contact("2"), Fixtures.contact("3"), Fixtures.contact("boom")], checkpoint: "after-boom",
            rejected: [RejectedRecord(location: "contacts.csv:9", reason: "no id", payload: Array("x".utf8))])
        #expect(throws: DatabaseError.self) {
            try test.store.commit(failing, connector: "crm", stream: contacts, deletingAllExcept: nil, runID: nil)
        }
        #expect(try test.store.checkpoint(connector: "crm", stream: "contacts") == Checkpoint(payload: Data("after-1".utf8)))
        #expect(try test.int("SELECT count(*) FROM raw_record") == 1)
        #expect(try test.int("SELECT count(*) FROM contact") == 1)
        #expect(try test.int("SELECT count(*) FROM quarantine") == 0)

        // The store still works afterwards, and a reset forgets the checkpoint only.
        try test.store.writer.write { try $0.execute(sql: "DROP TRIGGER fail_on_boom") }
        let retried = try test.store.commit(failing, connector: "crm", stream: contacts, deletingAllExcept: nil, runID: nil)
        #expect(retried.inserted == 3)
        #expect(try test.store.checkpoint(connector: "crm", stream: "contacts") == Checkpoint(payload: Data("after-boom".utf8)))
        try test.store.resetCheckpoint(connector: "crm", stream: "contacts")
        #expect(try test.store.checkpoint(connector: "crm", stream: "contacts") == nil)
        #expect(try test.int("SELECT count(*) FROM raw_record") == 4)
    }

    @Test(arguments: StoreKind.allCases)
    func quarantineKeepsOneEntryPerBadRow(kind: StoreKind) throws {
        let test = try TestStore(kind)
        let bad = RejectedRecord(location: "contacts.csv:12", reason: "missing id column value", payload: Array("a,,b".utf8))
        let other = RejectedRecord(location: "contacts.csv:13", reason: "unreadable date", payload: [0xFF, 0x00, 0x41])
        let first = try test.store.commit(
            Fixtures.batch([Fixtures.contact("1")], rejected: [bad, other]), connector: "crm", stream: contacts,
            deletingAllExcept: nil, runID: nil)
        #expect(first.quarantined == 2)
        _ = try test.store.commit(
            Fixtures.batch([], rejected: [bad]), connector: "crm", stream: contacts, deletingAllExcept: nil, runID: nil)
        let entries = try test.store.quarantined(limit: 10)
        #expect(entries.count == 2)
        #expect(Set(entries.map(\.location)) == ["contacts.csv:12", "contacts.csv:13"])
        #expect(entries.allSatisfy { $0.connector == "crm" && $0.stream == "contacts" && $0.seenAt.hasSuffix("Z") })
        #expect(try test.store.quarantined(limit: 1).count == 1)
        let payload = try test.store.writer.read {
            try Data.fetchOne($0, sql: "SELECT payload FROM quarantine WHERE location = 'contacts.csv:13'")
        }
        #expect(payload == Data([0xFF, 0x00, 0x41]))
        #expect(try test.store.status().quarantine.map(\.count) == [2])
    }

    @Test func storesEveryObjectType() throws {
        let test = try TestStore(.memory)
        var account = Account()
        account.name = "Initech"
        account.employees = 120
        var campaign = Campaign()
        campaign.name = "Spring webinar"
        campaign.cost = 1250.5
        var touch = Touch()
        touch.contactID = "1"
        touch.campaignID = "cmp1"
        touch.type = "webinar"
        let records = [
            SourceRecord(objectType: .account, externalID: "a1", payload: Array("{}".utf8), normalized: .account(account)),
            SourceRecord(objectType: .campaign, externalID: "cmp1", payload: Array("{}".utf8), normalized: .campaign(campaign)),
            SourceRecord(objectType: .touch, externalID: "t1", payload: Array("{}".utf8), normalized: .touch(touch)),
            Fixtures.deal("d1", outcome: .won, amount: 10, closeDate: "2024-05-01"),
            Fixtures.dealContact("d1", "1"),
        ]
        let counts = try test.store.commit(
            Fixtures.batch(records), connector: "crm", stream: StreamDescriptor(name: "mixed", objectType: .account),
            deletingAllExcept: nil, runID: nil)
        #expect(counts.inserted == 5)
        #expect(try test.int("SELECT employees FROM account") == 120)
        #expect(try test.store.writer.read { try Double.fetchOne($0, sql: "SELECT cost FROM campaign") } == 1250.5)
        #expect(try test.string("SELECT type FROM touch WHERE contact_id = '1'") == "webinar")
        #expect(try test.string("SELECT outcome FROM deal") == "won")
        #expect(try test.int("SELECT is_primary FROM deal_contact WHERE external_id = 'd1:1'") == 1)
        let status = try test.store.status()
        #expect(Set(status.recordCounts.map(\.objectType)) == ["account", "campaign", "touch", "deal", "deal_contact"])
    }
}
