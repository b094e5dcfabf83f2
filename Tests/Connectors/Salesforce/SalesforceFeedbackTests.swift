import Foundation
@testable import SalesforceConnector
import SyncHubCore
import SyncHubSandbox
import SyncHubTesting
import Testing

@Suite(.timeLimit(.minutes(10)))
struct SalesforceFeedbackTests {
    static let target = SalesforceFeedbackConfiguration(
        object: "Contact", includeLeads: true,
        fields: [
            .init(key: "outcome", name: "SyncHub_Deal_Outcome__c"), .init(key: "amount", name: "SyncHub_Deal_Amount__c"),
            .init(key: "closeDate", name: "SyncHub_Close_Date__c"), .init(key: "lossReason", name: "SyncHub_Loss_Reason__c"),
        ])

    func item(_ key: String, _ outcome: DealOutcome, amount: Double? = 12_000, lossReason: String? = nil) -> FeedbackItem {
        FeedbackItem(
            recordKey: key, personID: "p-\(key)", email: nil,
            feedback: PersonFeedback(outcome: outcome, amount: amount, closeDate: "2025-05-30", lossReason: lossReason),
            idempotencyKey: "k-\(key)-\(outcome.rawValue)")
    }

    /// The feedback fields of `ids` as Salesforce now holds them.
    func stored(_ api: SalesforceAPI, _ object: String, _ ids: [String]) async throws -> [String: JSONValue] {
        let soql = "SELECT Id, SyncHub_Deal_Outcome__c, SyncHub_Deal_Amount__c, SyncHub_Close_Date__c, SyncHub_Loss_Reason__c "
            + "FROM \(object) WHERE Id IN (\(ids.map(SOQL.string).joined(separator: ", ")))"
        let page = try await api.query(soql, includeDeleted: false, batchSize: nil, stream: nil)
        return Dictionary(uniqueKeysWithValues: page.records.compactMap { record in record["Id"]?.text.map { ($0, record) } })
    }

    @Test func patchGivesOneReceiptPerItemInOrder() async throws {
        let simulator = SalesforceSimulator(seed: 31, people: 300)
        try await withSimulator(simulator) { base in
            let api = makeAPI(configuration(base, feedback: Self.target))
            let feedback = SalesforceFeedback(api: api, settings: Self.target)
            let contacts = Array(simulator.ids("Contact").prefix(4))
            let lead = try await unconvertedLead(api)
            let deleted = contacts[3]
            simulator.delete("Contact", ids: [deleted])
            let account = try #require(simulator.ids("Account").first)
            let items = [
                item(contacts[0], .won),
                item(contacts[1], .lost, amount: 8_000, lossReason: "Price"),
                item("not-an-id", .won),
                item(contacts[2], .lost, lossReason: String(repeating: "x", count: 300)),  // too long: refused alone
                item(lead, .open, amount: nil),
                item(deleted, .won),
                item(account, .won),
            ]
            let receipts = try await feedback.push(items)
            #expect(receipts.map(\.idempotencyKey) == items.map(\.idempotencyKey))
            #expect(receipts.map(\.recordKey) == items.map(\.recordKey))
            let statuses = receipts.map(\.status)
            #expect(statuses[0] == .applied)
            #expect(statuses[1] == .applied)
            #expect(statuses[2] == .failed)
            #expect(statuses[3] == .failed)
            #expect(receipts[3].message?.contains("STRING_TOO_LONG") == true)
            #expect(receipts[3].message?.contains("xxxxxxxx") == false)
            #expect(statuses[5] == .failed)
            #expect(receipts[5].message?.contains("ENTITY_IS_DELETED") == true)
            #expect(statuses[6] == .failed)
            #expect(receipts[6].message?.contains("not a Contact id") == true)

            let values = try await stored(api, "Contact", [contacts[0], contacts[1], contacts[2]])
            #expect(values[contacts[0]]?["SyncHub_Deal_Outcome__c"]?.text == "won")
            #expect(values[contacts[0]]?["SyncHub_Deal_Amount__c"]?.text.flatMap(Double.init) == 12_000)
            #expect(values[contacts[0]]?["SyncHub_Close_Date__c"]?.text == "2025-05-30")
            #expect(values[contacts[1]]?["SyncHub_Loss_Reason__c"]?.text == "Price")
            #expect(values[contacts[2]]?["SyncHub_Deal_Outcome__c"] == .null, "a refused record keeps its values")
            #expect(statuses[4] == .applied, "\(receipts[4].message ?? "")")
            let leadValues = try await stored(api, "Lead", [lead])
            #expect(leadValues[lead]?["SyncHub_Deal_Outcome__c"]?.text == "open")
            #expect(leadValues[lead]?["SyncHub_Deal_Amount__c"] == .null)
        }
    }

    @Test func pushingTwiceIsAlreadyApplied() async throws {
        let simulator = SalesforceSimulator(seed: 32, people: 300)
        try await withSimulator(simulator) { base in
            let api = makeAPI(configuration(base, feedback: Self.target))
            let feedback = SalesforceFeedback(api: api, settings: Self.target)
            let items = simulator.ids("Contact").prefix(30).enumerated().map { index, id in
                item(id, index % 2 == 0 ? .won : .lost, amount: Double(1000 + index), lossReason: index % 2 == 0 ? nil : "Timing")
            }
            let failures = try await FeedbackConformance(target: feedback).run(items)
            #expect(failures.isEmpty, "\(failures)")
            // A third push reads the current values and writes nothing.
            let before = simulator.apiCallsUsed
            let third = try await feedback.push(items)
            #expect(third.allSatisfy { $0.status == .alreadyApplied })
            #expect(simulator.apiCallsUsed - before == 1, "one query, no PATCH")
        }
    }

    @Test func largePushesGoInCallsOf200() async throws {
        let simulator = SalesforceSimulator(seed: 33, people: 1200)
        try await withSimulator(simulator) { base in
            let api = makeAPI(configuration(base, feedback: Self.target))
            let feedback = SalesforceFeedback(api: api, settings: Self.target)
            let ids = Array(simulator.ids("Contact").prefix(450))
            #expect(ids.count == 450)
            // The same record twice in one push: it goes to a later call, which finds it already written.
            let items = ids.map { item($0, .won) } + [item(ids[0], .won)]
            let before = simulator.apiCallsUsed
            let receipts = try await feedback.push(items)
            #expect(receipts.count == 451)
            #expect(receipts.prefix(450).allSatisfy { $0.status == .applied })
            #expect(receipts[450].status == .alreadyApplied)
            // Three calls of at most 200 records (200, 200, 50 + the duplicate), each a query and a PATCH.
            #expect(simulator.apiCallsUsed - before == 6)
        }
    }
}
