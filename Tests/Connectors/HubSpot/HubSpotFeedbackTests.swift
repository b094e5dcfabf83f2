import Foundation
import SyncHubCore
import SyncHubTesting
import Testing

@testable import HubSpotConnector
@testable import SyncHubSandbox

@Suite struct HubSpotFeedbackTests {
    func items(_ ids: [String]) -> [FeedbackItem] {
        ids.enumerated().map { index, id in
            let won = index % 2 == 0
            let feedback = PersonFeedback(
                outcome: won ? .won : .lost, amount: 1_000 + Double(index) * 250.5, currency: "USD",
                closeDate: "2025-0\(index % 9 + 1)-15", lossReason: won ? nil : "Price", dealReference: "crm:deal-\(index)",
                dealCount: index + 1, wonRevenue: won ? 1_000 + Double(index) * 250.5 : 0)
            return FeedbackItem(recordKey: id, personID: "person-\(index)", email: nil, feedback: feedback, idempotencyKey: "key-\(id)")
        }
    }

    func target(_ hubspot: SimulatedHubSpot, prefix: String = "synchub_") throws -> HubSpotFeedbackTarget {
        var configuration = hubspot.configuration()
        configuration.feedback = .init(propertyGroup: "contactinformation", prefix: prefix)
        return try #require(hubspot.instance(configuration).feedback as? HubSpotFeedbackTarget)
    }

    @Test(.timeLimit(.minutes(10))) func feedbackConforms() async throws {
        try await withSimulatedHubSpot { hubspot in
            let target = try target(hubspot)
            #expect(target.addressing == .ownContacts)
            let ids = Array(hubspot.simulator.contactIDsInModificationOrder().prefix(5))
            let failures = try await FeedbackConformance(target: target).run(items(ids))
            #expect(failures.isEmpty, "\(failures)")
            let values = hubspot.simulator.liveRecords(.contacts)
            #expect(values[ids[0]]?["synchub_deal_outcome"] == "won")
            #expect(values[ids[1]]?["synchub_deal_outcome"] == "lost")
            #expect(values[ids[1]]?["synchub_deal_loss_reason"] == "Price")
            #expect(values[ids[1]]?["synchub_deal_amount"].flatMap(Double.init) == 1_250.5)
            #expect(values[ids[0]]?["synchub_deal_close_date"].flatMap(Timestamps.date) == "2025-01-15")
            #expect(values[ids[0]]?["synchub_deal_loss_reason"] == nil)
        }
    }

    @Test(.timeLimit(.minutes(10))) func propertiesAreCreatedOnceAndPushingTwiceWritesOnce() async throws {
        try await withSimulatedHubSpot { hubspot in
            let ids = Array(hubspot.simulator.contactIDsInModificationOrder().prefix(150))
            let first = try target(hubspot)
            let receipts = try await first.push(items(ids))
            #expect(receipts.map(\.status) == Array(repeating: .applied, count: ids.count))
            #expect(receipts.map(\.idempotencyKey) == ids.map { "key-\($0)" })
            #expect(first.createdProperties.count == HubSpotFeedbackTarget.definitions.count)
            #expect(hubspot.log.count("POST", "/crm/v3/properties/contacts") == HubSpotFeedbackTarget.definitions.count)
            // 150 contacts: two reads and two writes of at most 100.
            #expect(hubspot.log.count("POST", "/crm/v3/objects/contacts/batch/update") == 2)

            // A new run (a new instance) finds the properties and writes nothing that is already there.
            hubspot.log.reset()
            let second = try target(hubspot)
            let again = try await second.push(items(ids))
            #expect(again.allSatisfy { $0.status == .alreadyApplied })
            #expect(second.createdProperties.isEmpty)
            #expect(hubspot.log.count("POST", "/crm/v3/properties/contacts") == 0)
            #expect(hubspot.log.count("POST", "/crm/v3/objects/contacts/batch/update") == 0)

            // A changed value is written; the others are left alone.
            var changed = items(ids)
            changed[3].feedback.outcome = .won
            changed[3].feedback.lossReason = nil
            let third = try await second.push(changed)
            #expect(third[3].status == .applied)
            #expect(third.enumerated().allSatisfy { $0.offset == 3 || $0.element.status == .alreadyApplied })
            #expect(hubspot.simulator.liveRecords(.contacts)[ids[3]]?["synchub_deal_outcome"] == "won")
            #expect(hubspot.simulator.liveRecords(.contacts)[ids[3]]?["synchub_deal_loss_reason"] == nil)
        }
    }

    @Test(.timeLimit(.minutes(10))) func unknownContactFailsAloneWhileTheOthersApply() async throws {
        try await withSimulatedHubSpot { hubspot in
            let target = try target(hubspot)
            let ids = Array(hubspot.simulator.contactIDsInModificationOrder().prefix(3))
            let keys = [ids[0], "999999999", ids[1], "not-an-id", ids[2]]
            let receipts = try await target.push(items(keys))
            #expect(receipts.map(\.recordKey) == keys)
            #expect(receipts.map(\.status) == [.applied, .failed, .applied, .failed, .applied])
            #expect(receipts[1].message?.contains("999999999") == true)
            #expect(receipts[3].message?.contains("not a HubSpot contact id") == true)
            #expect(hubspot.simulator.liveRecords(.contacts)[ids[2]]?["synchub_deal_outcome"] == "won")
        }
    }

    /// A value HubSpot refuses makes it refuse the whole batch; the batch is retried one contact at a time so only
    /// that contact fails.
    @Test(.timeLimit(.minutes(10))) func refusedValueFailsOneReceiptOnly() async throws {
        try await withSimulatedHubSpot { hubspot in
            // Someone made the currency property a dropdown of USD only.
            let api = try target(hubspot).api
            _ = try await api.post(
                "/crm/v3/properties/contacts",
                json: .object([
                    ("name", .string("synchub_deal_currency")), ("label", .string("Currency")),
                    ("type", .string("enumeration")), ("fieldType", .string("select")),
                    ("groupName", .string("contactinformation")),
                    ("options", .array([.object([("label", .string("USD")), ("value", .string("USD"))])])),
                ]), stream: nil, scope: "test")
            let target = try target(hubspot)
            let ids = Array(hubspot.simulator.contactIDsInModificationOrder().prefix(4))
            var pushed = items(ids)
            pushed[2].feedback.currency = "EUR"
            let receipts = try await target.push(pushed)
            #expect(receipts.map(\.status) == [.applied, .applied, .failed, .applied])
            #expect(receipts[2].message?.isEmpty == false)
            #expect(target.createdProperties.count == HubSpotFeedbackTarget.definitions.count - 1)
        }
    }
}
