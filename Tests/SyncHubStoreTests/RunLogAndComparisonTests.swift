import Foundation
import SyncHubCore
import SyncHubStore
import Testing

@Suite struct RunLogAndComparisonTests {
    let contacts = StreamDescriptor(name: "contacts", objectType: .contact)

    @Test(arguments: StoreKind.allCases)
    func sameRecordsInDifferentBatchSplitsGiveTheSameStore(kind: StoreKind) throws {
        let records = (0..<10).map { Fixtures.contact(String($0)) } + [Fixtures.deletion("3")]
        let rejected = RejectedRecord(location: "contacts.csv:4", reason: "bad date", payload: Array("x".utf8))

        let whole = try TestStore(kind)
        _ = try whole.store.beginRun(command: "pull")
        _ = try whole.store.commit(
            Fixtures.batch(records, checkpoint: "end", rejected: [rejected]), connector: "crm", stream: contacts,
            deletingAllExcept: nil, runID: nil)

        let split = try TestStore(kind)
        for (index, range) in [0..<4, 4..<9, 9..<11].enumerated() {
            let reject = index == 1 ? [rejected] : []
            _ = try split.store.commit(
                Fixtures.batch(Array(records[range]), checkpoint: index == 2 ? "end" : "part-\(index)", rejected: reject),
                connector: "crm", stream: contacts, deletingAllExcept: nil, runID: nil)
        }
        // Re-running a batch after a crash changes nothing.
        _ = try split.store.commit(
            Fixtures.batch(Array(records[9..<11]), checkpoint: "end"), connector: "crm", stream: contacts,
            deletingAllExcept: nil, runID: nil)

        let expected = try whole.store.contentsForComparison()
        #expect(try split.store.contentsForComparison() == expected)
        #expect(expected["raw_record"]?.count == 10)
        #expect(expected["checkpoint"]?.first?.contains("payload=x'656e64'") == true)
        #expect(expected["run"] == nil)

        _ = try split.store.commit(
            Fixtures.batch([Fixtures.contact("0", firstName: "Changed")]), connector: "crm", stream: contacts,
            deletingAllExcept: nil, runID: nil)
        #expect(try split.store.contentsForComparison() != expected)
    }

    @Test(arguments: StoreKind.allCases)
    func runLogShowsInStatus(kind: StoreKind) throws {
        let test = try TestStore(kind)
        let runID = try test.store.beginRun(command: "pull crm")
        let counts = try test.store.commit(
            Fixtures.batch([Fixtures.contact("1")], checkpoint: "c"), connector: "crm", stream: contacts,
            deletingAllExcept: nil, runID: runID)
        try test.store.recordStream(
            StreamResult(connector: "crm", stream: "contacts", status: .succeeded, counts: counts, batches: 1, seconds: 0.25),
            runID: runID)
        try test.store.recordStream(
            StreamResult(connector: "crm", stream: "deals", status: .failed, error: "crm/deals: authentication failed"),
            runID: runID)
        try test.store.finishRun(runID, status: .partial, error: "1 stream failed")
        let second = try test.store.beginRun(command: "push")

        let status = try test.store.status()
        #expect(status.runs.map(\.id) == [second, runID])
        #expect(status.runs[0].status == .running)
        #expect(status.runs[0].endedAt == nil)
        let run = status.runs[1]
        #expect(run.command == "pull crm")
        #expect(run.status == .partial)
        #expect(run.error == "1 stream failed")
        #expect(run.endedAt?.hasSuffix("Z") == true)
        #expect(run.streams.map(\.stream) == ["contacts", "deals"])
        #expect(run.streams[0].counts.inserted == 1)
        #expect(run.streams[1].error == "crm/deals: authentication failed")
        #expect(status.checkpoints.map { "\($0.connector)/\($0.stream)" } == ["crm/contacts"])
        #expect(status.recordCounts.first { $0.objectType == "contact" }?.live == 1)
        #expect(status.persons == 0)

        let json = try JSONEncoder().encode(status)
        let decoded = try JSONDecoder().decode(StoreStatus.self, from: json)
        #expect(decoded == status)
    }
}
