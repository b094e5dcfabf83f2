import GRDB
import SyncHubCore
import SyncHubStore
import Testing

@testable import SyncHubAlignment

@Suite struct StageLedgerTests {
    typealias T = AlignmentTestStore

    @discardableResult
    func update(_ test: AlignmentTestStore, now: String = "2026-06-01T00:00:00Z") throws -> StageLedgerUpdate {
        try StageLedger.update(store: test.store, configuration: try testConfiguration(), now: ms(now), runID: nil)
    }

    func entries(_ test: AlignmentTestStore, _ person: String) throws -> [String] {
        try test.ledger(person).map { "\($0.stage) \($0.enteredAt)\($0.isObserved ? " observed" : "") \($0.connector)" }
    }

    @Test func recordsDatedHistoryThenObservedChangesAndNothingTwice() throws {
        let test = try AlignmentTestStore()
        try test.commit(
            "marketing", "contacts",
            [
                T.contact(
                    "M1", lifecycle: "Marketing Qualified Lead", created: "2026-01-01T00:00:00Z",
                    updated: "2026-01-05T09:00:00Z",
                    raw: [
                        ("Became a Lead Date", "2026-01-01 00:00"),
                        ("Became a Marketing Qualified Lead Date", "2026-01-05 09:00"),
                    ])
            ])
        try test.commit(
            "crm", "leads",
            [
                T.contact(
                    "L1", kind: "lead", lifecycle: "Working - Contacted", owner: "U1", created: "2026-01-05T10:00:00Z",
                    updated: "2026-01-06T12:00:00Z")
            ])
        try test.link("P1", "marketing:M1", "crm:L1")

        let first = try update(test)
        // The lead date is marketing's (earlier than the CRM lead's creation); MQL from its date field; SAL is what the
        // CRM says now, seen at the lead's last change.
        #expect(
            try entries(test, "P1") == [
                "lead 2026-01-01T00:00:00Z marketing", "mql 2026-01-05T09:00:00Z marketing",
                "sal 2026-01-06T12:00:00Z observed crm",
            ])
        #expect(first.newEntries == 3)
        #expect(first.byStage == ["sal": 1])
        let stage = try #require(try test.store.personStages().first)
        #expect(stage.stage == "sal" && stage.since == "2026-01-06T12:00:00Z")
        #expect(stage.systems == ["crm": "sal", "marketing": "mql"])

        // The same records again: nothing new.
        let again = try update(test)
        #expect(again.newEntries == 0 && again.changedStages == 0)
        #expect(try entries(test, "P1").count == 3)

        // The next pull: sales closed the lead.
        try test.commit(
            "crm", "leads",
            [
                T.contact(
                    "L1", kind: "lead", lifecycle: "Closed - Not Converted", owner: "U1",
                    created: "2026-01-05T10:00:00Z", updated: "2026-02-01T08:00:00Z")
            ])
        let closed = try update(test)
        #expect(closed.newEntries == 1 && closed.changedStages == 1)
        #expect(try entries(test, "P1").last == "disqualified 2026-02-01T08:00:00Z observed crm")
        #expect(try update(test).newEntries == 0)
    }

    @Test func dealsEnterOpportunityWhenCreatedAndCustomerWhenWon() throws {
        let test = try AlignmentTestStore()
        try test.commit(
            "crm", "contacts",
            [T.contact("C1", owner: "U1", created: "2026-01-10T00:00:00Z", updated: "2026-01-10T00:00:00Z")])
        try test.commit("crm", "deals", [T.deal("D1", outcome: .open, amount: 100, created: "2026-02-01T00:00:00Z")])
        try test.commit("crm", "deal_contacts", [T.dealContact("D1", "C1")])
        try test.link("P2", "crm:C1")

        try update(test)
        #expect(try entries(test, "P2") == ["sql 2026-01-10T00:00:00Z crm", "opportunity 2026-02-01T00:00:00Z crm"])

        try test.commit(
            "crm", "deals",
            [
                T.deal(
                    "D1", outcome: .won, amount: 100, created: "2026-02-01T00:00:00Z", close: "2026-03-15",
                    updated: "2026-03-15T10:00:00Z")
            ])
        let won = try update(test)
        #expect(won.newEntries == 1)
        #expect(try entries(test, "P2").last == "customer 2026-03-15T00:00:00Z crm")
        #expect(try test.store.personStages().first?.stage == "customer")
        #expect(try update(test).newEntries == 0)
    }

    @Test func aFirstSalesActivityIsAcceptanceAndAnAbsorbedPersonsEntriesMove() throws {
        let test = try AlignmentTestStore()
        try test.commit(
            "crm", "leads",
            [
                T.contact(
                    "L1", kind: "lead", lifecycle: "Open - Not Contacted", owner: "U1", created: "2026-01-02T00:00:00Z",
                    updated: "2026-01-02T00:00:00Z"),
                T.contact(
                    "L2", kind: "lead", lifecycle: "Open - Not Contacted", owner: "U1", created: "2026-01-03T00:00:00Z",
                    updated: "2026-01-03T00:00:00Z"),
            ])
        try test.commit(
            "crm", "activities",
            [
                T.activity("A0", contact: "L1", at: "2026-01-02T03:00:00Z", status: "Open"),
                T.activity("A1", contact: "L1", at: "2026-01-02T05:00:00Z"),
            ])
        try test.link("P1", "crm:L1")
        try test.link("P9", "crm:L2")
        try update(test)
        // The open task has not happened; the completed call has.
        #expect(try entries(test, "P1") == ["lead 2026-01-02T00:00:00Z crm", "sal 2026-01-02T05:00:00Z crm"])
        #expect(try entries(test, "P9") == ["lead 2026-01-03T00:00:00Z crm"])

        // Identity merges P9 into P1: P9's entries move to P1, and P9 has no stage of its own any more.
        try test.store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO person_alias (alias, person_id) VALUES ('P9', 'P1');
                    UPDATE person_link SET person_id = 'P1' WHERE person_id = 'P9';
                    """)
        }
        try update(test)
        #expect(try entries(test, "P9").isEmpty)
        #expect(try entries(test, "P1").contains("lead 2026-01-03T00:00:00Z crm"))
        #expect(try test.store.personStages().map(\.personID) == ["P1"])
    }

    @Test func replayingTheLedgerNeverMovesBackOnADatedEntry() {
        typealias Row = StageLedger.Row
        func row(_ stage: Stage, _ time: Int64, observed: Bool = false) -> StageLedgerEntry {
            StageLedgerEntry(
                id: time, personID: "P", stage: stage.rawValue,
                enteredAt: Timestamps.format(millisecondsSinceEpoch: time * 1000),
                connector: "crm", evidence: "", isObserved: observed)
        }
        // A contact created after their deal was won is still a customer.
        let rows = [row(.opportunity, 1), row(.customer, 2), row(.sql, 3)].map { Row(entry: $0) }
        #expect(StageLedger.replay(rows)?.stage == .customer)
        // An observed change sets the stage, even backwards.
        let regressed = [row(.customer, 2), row(.lead, 3, observed: true)].map { Row(entry: $0) }
        #expect(StageLedger.replay(regressed)?.stage == .lead)
        // Disqualified from below the pipeline; not from a won deal.
        #expect(
            StageLedger.replay([row(.mql, 1), row(.disqualified, 2)].map { Row(entry: $0) })?.stage == .disqualified)
        #expect(
            StageLedger.replay([row(.customer, 1), row(.disqualified, 2)].map { Row(entry: $0) })?.stage == .customer)
    }
}
