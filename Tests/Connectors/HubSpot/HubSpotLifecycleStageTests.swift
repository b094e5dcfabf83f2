import Foundation
import SyncHubCore
import SyncHubTesting
import Testing

@testable import HubSpotConnector
@testable import SyncHubSandbox

/// The shared stage pushed as HubSpot's standard `lifecyclestage`.
@Suite struct HubSpotLifecycleStageTests {
    func item(_ id: String, stage: String?, outcome: DealOutcome = .won) -> FeedbackItem {
        var feedback = PersonFeedback(outcome: outcome, amount: 5_000, currency: "USD", closeDate: "2025-04-01", dealCount: 1)
        feedback.lifecycleStage = stage
        return FeedbackItem(recordKey: id, personID: "person-\(id)", email: nil, feedback: feedback, idempotencyKey: "key-\(id)-\(stage ?? "none")")
    }

    func target(_ hubspot: SimulatedHubSpot) throws -> HubSpotFeedbackTarget {
        var configuration = hubspot.configuration()
        configuration.feedback = .init()
        return try #require(hubspot.instance(configuration).feedback as? HubSpotFeedbackTarget)
    }

    /// Contacts whose current stage is `stage`.
    func contacts(_ hubspot: SimulatedHubSpot, in stage: String, count: Int) throws -> [String] {
        let ids = hubspot.simulator.liveRecords(.contacts).filter { $0.value["lifecyclestage"] == stage }.keys.sorted()
        try #require(ids.count >= count, "the simulation has \(ids.count) contacts in \(stage)")
        return Array(ids.prefix(count))
    }

    @Test(.timeLimit(.minutes(10))) func theStageGoesToTheStandardPropertyForwardAndBackward() async throws {
        try await withSimulatedHubSpot { hubspot in
            let target = try target(hubspot)
            let leads = try contacts(hubspot, in: "lead", count: 2)
            let customers = try contacts(hubspot, in: "customer", count: 1)
            let untouched = try contacts(hubspot, in: "subscriber", count: 1)
            let items = [
                item(leads[0], stage: "customer"),  // forward
                item(customers[0], stage: "salesqualifiedlead"),  // backward: cleared first
                item(untouched[0], stage: nil),  // no stage: the property is left alone
                item(leads[1], stage: "not-a-stage"),  // unknown: refused alone
            ]
            let receipts = try await target.push(items)
            #expect(receipts.map(\.status) == [.applied, .applied, .applied, .failed])
            #expect(receipts[3].message?.contains("not a lifecycle stage") == true)
            let values = hubspot.simulator.liveRecords(.contacts)
            #expect(values[leads[0]]?["lifecyclestage"] == "customer")
            #expect(values[customers[0]]?["lifecyclestage"] == "salesqualifiedlead")
            #expect(values[untouched[0]]?["lifecyclestage"] == "subscriber")
            #expect(values[leads[1]]?["lifecyclestage"] == "lead")
            #expect(values[leads[0]]?["synchub_deal_outcome"] == "won")
            // Never created as a custom property, and the stage order was read once.
            #expect(!target.createdProperties.contains { $0.contains("lifecycle") })
            #expect(hubspot.log.count("GET", "/crm/v3/properties/contacts/lifecyclestage") == 1)
            // Backward moves take one clearing update before the write: two batch updates in all.
            #expect(hubspot.log.count("POST", "/crm/v3/objects/contacts/batch/update") == 2)

            // Pushing the same again changes nothing.
            hubspot.log.reset()
            let again = try await target.push(Array(items.prefix(3)))
            #expect(again.map(\.status) == [.alreadyApplied, .alreadyApplied, .alreadyApplied])
            #expect(hubspot.log.count("POST", "/crm/v3/objects/contacts/batch/update") == 0)
        }
    }

    @Test(.timeLimit(.minutes(10))) func withoutClearingHubSpotKeepsAnEarlierStage() async throws {
        // The simulation behaves as HubSpot does: a plain update to an earlier stage is not applied.
        try await withSimulatedHubSpot { hubspot in
            let customer = try contacts(hubspot, in: "customer", count: 1)[0]
            let api = HubSpotAPI(connector: "hubspot", configuration: hubspot.configuration(), transport: hubspot.transport(), logger: quietLogger)
            _ = try await api.post(
                "/crm/v3/objects/contacts/batch/update",
                json: .object([("inputs", .array([.object([("id", .string(customer)), ("properties", .object([("lifecyclestage", .string("lead"))]))])]))]),
                stream: nil, scope: "crm.objects.contacts.write")
            #expect(hubspot.simulator.liveRecords(.contacts)[customer]?["lifecyclestage"] == "customer")
        }
    }
}
