import Foundation
import SyncHubCore
import SyncHubIdentity
import SyncHubStore
import Testing

@Suite struct FeedbackStoreTests {
    func link(_ id: String, to person: String) -> IdentityLink {
        IdentityLink(reference: RecordReference(connector: "crm", externalID: id), personID: person, rule: "email", evidence: "e")
    }

    /// crm contacts 1 and 2 (deleted, newer) are person P1; contact 3 is P2; contact 4 (P3) has only a deleted deal.
    func seededStore(_ kind: StoreKind) throws -> TestStore {
        let test = try TestStore(kind)
        let contacts = StreamDescriptor(name: "contacts", objectType: .contact)
        _ = try test.store.commit(
            Fixtures.batch([
                Fixtures.contact("1", email: "ada@example.com", updatedAt: "2024-01-01T00:00:00Z"),
                Fixtures.contact("2", email: "old-ada@example.com", updatedAt: "2025-01-01T00:00:00Z", isDeleted: true),
                Fixtures.contact("3", email: "grace@example.com"),
                Fixtures.contact("4", email: "alan@example.com"),
            ]),
            connector: "crm", stream: contacts, deletingAllExcept: nil, runID: nil)
        _ = try test.store.commit(
            Fixtures.batch([
                Fixtures.deal("d1", outcome: .won, amount: 1000, closeDate: "2024-03-01"),
                Fixtures.deal("d2", outcome: .lost, amount: 500, closeDate: "2024-06-01", lossReason: "price"),
                Fixtures.deal("d3", outcome: .won, amount: 200, closeDate: nil, createdAt: "2024-02-01T00:00:00Z"),
                Fixtures.deal("d4", outcome: .open, amount: 50, closeDate: "2025-09-01", isDeleted: true),
                Fixtures.deal("d5", outcome: .won, amount: 300, closeDate: "2023-01-01"),
            ]),
            connector: "crm", stream: StreamDescriptor(name: "deals", objectType: .deal), deletingAllExcept: nil, runID: nil)
        _ = try test.store.commit(
            Fixtures.batch([
                Fixtures.dealContact("d1", "1"), Fixtures.dealContact("d1", "2"), Fixtures.dealContact("d2", "2"),
                Fixtures.dealContact("d3", "3"), Fixtures.dealContact("d4", "1"), Fixtures.dealContact("d4", "4"),
                Fixtures.dealContact("d5", "1"),
            ]),
            connector: "crm", stream: StreamDescriptor(name: "deal_contacts", objectType: .dealContact),
            deletingAllExcept: nil, runID: nil)
        try test.store.apply(
            IdentityResolution(
                changedLinks: [link("1", to: "P1"), link("2", to: "P1"), link("3", to: "P2"), link("4", to: "P3")],
                newPersons: ["P1", "P2", "P3"].map { PersonSeed(id: $0, foundedBy: RecordReference(connector: "crm", externalID: $0)) }),
            runID: nil)
        return test
    }

    @Test(arguments: StoreKind.allCases)
    func feedbackTakesTheLatestDealAndSumsWonRevenue(kind: StoreKind) throws {
        let test = try seededStore(kind)
        let rows = try test.store.personFeedback()
        #expect(rows.map(\.personID) == ["P1", "P2"])

        let ada = rows[0]
        #expect(ada.feedback == PersonFeedback(
            outcome: .lost, amount: 500, currency: "EUR", closeDate: "2024-06-01", lossReason: "price",
            dealReference: "crm:d2", dealCount: 3, wonRevenue: 1300))
        #expect(ada.email == "ada@example.com")
        #expect(ada.contacts.map(\.description) == ["crm:1", "crm:2"])

        let grace = rows[1]
        #expect(grace.feedback.outcome == .won)
        #expect(grace.feedback.closeDate == nil)
        #expect(grace.feedback.dealReference == "crm:d3")
        #expect(grace.feedback.wonRevenue == 200)
        #expect(grace.email == "grace@example.com")
    }

    @Test func latestDealTieBreaksOnId() throws {
        let test = try TestStore(.memory)
        _ = try test.store.commit(
            Fixtures.batch([
                Fixtures.contact("1"),
                Fixtures.deal("a", outcome: .won, amount: 1, closeDate: "2024-01-01"),
                Fixtures.deal("b", outcome: .lost, amount: 2, closeDate: "2024-01-01"),
                Fixtures.dealContact("a", "1"), Fixtures.dealContact("b", "1"),
            ]),
            connector: "crm", stream: StreamDescriptor(name: "all", objectType: .contact), deletingAllExcept: nil, runID: nil)
        try test.store.apply(IdentityResolution(changedLinks: [link("1", to: "P")]), runID: nil)
        #expect(try test.store.personFeedback().first?.feedback.dealReference == "crm:b")
    }

    @Test(arguments: StoreKind.allCases)
    func pushOutcomesBecomeStateOrDeadLetters(kind: StoreKind) throws {
        let test = try seededStore(kind)
        let rows = try test.store.personFeedback()
        let items = rows.map {
            FeedbackItem(recordKey: $0.personID, personID: $0.personID, email: $0.email, feedback: $0.feedback, idempotencyKey: "k-\($0.personID)-1")
        }
        let runID = try test.store.beginRun(command: "push")
        try test.store.recordPush(
            target: "marketing", items: items,
            receipts: [
                PushReceipt(idempotencyKey: "k-P1-1", recordKey: "P1", status: .applied),
                PushReceipt(idempotencyKey: "k-P2-1", recordKey: "P2", status: .failed, message: "field deal_amount is read-only"),
            ],
            runID: runID)
        var state = try test.store.pushedState(target: "marketing")
        #expect(Array(state.keys) == ["P1"])
        let p1 = try #require(state["P1"])
        #expect(p1.personID == "P1")
        #expect(p1.payload == PushedState.payload(for: items[0]))
        #expect(p1.payloadHash == PushedState.hash(of: p1.payload))
        #expect(p1.payload.contains("\"deal_outcome\":\"lost\""))
        #expect(try test.store.pushedState(target: "other").isEmpty)
        #expect(try test.int("SELECT attempts FROM feedback_dead_letter WHERE record_key = 'P2'") == 1)

        try test.store.recordPush(
            target: "marketing", items: [items[1]],
            receipts: [PushReceipt(idempotencyKey: "k-P2-1", recordKey: "P2", status: .failed, message: "still read-only")],
            runID: runID)
        #expect(try test.int("SELECT attempts FROM feedback_dead_letter WHERE record_key = 'P2'") == 2)
        #expect(try test.string("SELECT message FROM feedback_dead_letter WHERE record_key = 'P2'") == "still read-only")
        #expect(try test.store.status().deadLetters.map(\.count) == [1])

        try test.store.recordPush(
            target: "marketing", items: [items[1]],
            receipts: [PushReceipt(idempotencyKey: "k-P2-1", recordKey: "P2", status: .alreadyApplied)], runID: nil)
        state = try test.store.pushedState(target: "marketing")
        #expect(Set(state.keys) == ["P1", "P2"])
        #expect(try test.int("SELECT count(*) FROM feedback_dead_letter") == 0)
        let status = try test.store.status()
        #expect(status.pushed.map(\.count) == [2])
        #expect(status.deadLetters.isEmpty)
    }
}
