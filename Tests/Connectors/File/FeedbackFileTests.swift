import FileConnector
import Foundation
import SyncHubCore
import Testing

@Suite struct FeedbackFileTests {
    static let items: [FeedbackItem] = [
        FeedbackItem(
            recordKey: "person-2", personID: "person-2", email: "b@example.com",
            feedback: PersonFeedback(outcome: .lost, amount: 900, currency: "EUR", closeDate: "2024-04-01", lossReason: "Price, mostly", dealReference: "crm:006B", dealCount: 1, wonRevenue: 0),
            idempotencyKey: "k2"),
        FeedbackItem(
            recordKey: "person-1", personID: "person-1", email: "a@example.com",
            feedback: PersonFeedback(outcome: .won, amount: 12500.5, currency: "USD", closeDate: "2024-03-31", dealReference: "crm:006A", dealCount: 2, wonRevenue: 12500.5),
            idempotencyKey: "k1"),
        FeedbackItem(
            recordKey: "person-3", personID: "person-3", email: nil, feedback: PersonFeedback(outcome: .open),
            idempotencyKey: "k3"),
    ]

    @Test(arguments: ["out/nested/feedback.jsonl", "out/nested/feedback.csv"])
    func pushingTwiceIsAlreadyAppliedAndLeavesTheSameBytes(path: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let instance = try makeConnector(["system": "marketing", "feedback": ["path": path]], base: folder.url)
        #expect(instance.source == nil)
        let target = try #require(instance.feedback)
        #expect(target.addressing == .persons)
        let url = folder.url.appendingPathComponent(path)

        let first = try await target.push(Self.items)
        #expect(first.map(\.status) == [.applied, .applied, .applied])
        #expect(first.map(\.idempotencyKey) == ["k2", "k1", "k3"])
        #expect(first.map(\.recordKey) == ["person-2", "person-1", "person-3"])
        let bytes = try Data(contentsOf: url)
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let second = try await target.push(Self.items)
        #expect(second.map(\.status) == [.alreadyApplied, .alreadyApplied, .alreadyApplied])
        #expect(try Data(contentsOf: url) == bytes)

        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        if path.hasSuffix(".jsonl") {
            #expect(lines.count == 3)
            #expect(lines[0] == #"{"person_id":"person-1","email":"a@example.com","deal_outcome":"won","deal_amount":"12500.5","deal_currency":"USD","deal_close_date":"2024-03-31","deal_loss_reason":null,"deal_reference":"crm:006A","deal_count":"2","won_revenue":"12500.5"}"#)
            #expect(lines[2].hasPrefix(#"{"person_id":"person-3","email":null,"deal_outcome":"open""#))
        } else {
            #expect(lines.count == 4)
            #expect(lines[0] == "person_id,email,deal_outcome,deal_amount,deal_currency,deal_close_date,deal_loss_reason,deal_reference,deal_count,won_revenue")
            #expect(lines[2] == #"person-2,b@example.com,lost,900,EUR,2024-04-01,"Price, mostly",crm:006B,1,0"#)
        }
    }

    @Test(arguments: ["feedback.jsonl", "feedback.csv"])
    func changedPeopleAreReplacedAndOthersKept(path: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let target = try #require(try makeConnector(["feedback": ["path": path]], base: folder.url).feedback)
        _ = try await target.push(Self.items)

        var changed = Self.items[0]
        changed.feedback = PersonFeedback(outcome: .won, amount: 1000, currency: "EUR", closeDate: "2024-05-01", dealCount: 2, wonRevenue: 1000)
        changed.idempotencyKey = "k2b"
        let added = FeedbackItem(recordKey: "person-0", personID: "person-0", email: "z@example.com", feedback: PersonFeedback(outcome: .open), idempotencyKey: "k0")
        let receipts = try await target.push([changed, Self.items[1], added])
        #expect(receipts.map(\.status) == [.applied, .alreadyApplied, .applied])

        let text = try String(contentsOf: folder.url.appendingPathComponent(path), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == (path.hasSuffix(".csv") ? 5 : 4))
        #expect(text.contains("person-3"))
        #expect(!text.contains("Price, mostly"))
        let people = lines.compactMap { line in ["person-0", "person-1", "person-2", "person-3"].first { line.contains($0) } }
        #expect(people == ["person-0", "person-1", "person-2", "person-3"])
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.url.appendingPathComponent(path).path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // No temporary files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [path])
    }

    @Test func itemWithoutAKeyFailsAloneAndCorruptFilesAreNotOverwritten() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let target = try #require(try makeConnector(["feedback": ["path": "feedback.jsonl"]], base: folder.url).feedback)
        var keyless = Self.items[2]
        keyless.recordKey = ""
        let receipts = try await target.push([keyless, Self.items[1]])
        #expect(receipts.map(\.status) == [.failed, .applied])

        try folder.write("{\"person_id\":\"x\"}\nnot json\n", to: "feedback.jsonl")
        let error = await #expect(throws: ConnectorError.self) { _ = try await target.push(Self.items) }
        #expect(error?.code == .invalidData)
        #expect(error?.message.hasPrefix("line 2 of the feedback file `feedback.jsonl` (connectors.marketing.feedback.path)") == true)
        #expect(try String(contentsOf: folder.url.appendingPathComponent("feedback.jsonl"), encoding: .utf8) == "{\"person_id\":\"x\"}\nnot json\n")
    }
}
