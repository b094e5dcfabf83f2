import Foundation
import HubSpotConnector
import SyncHubCore
import SyncHubSandbox
import SyncHubTesting
import Testing

/// The HubSpot simulation as the connector test kit sees it.
struct HubSpotKitSystem: SimulatedSystem {
    let hubspot: SimulatedHubSpot
    /// The CRM object the stream reads: `contacts`, or an engagement such as `calls`.
    var objectType = "contacts"

    func liveIDs(of stream: String) async throws -> Set<String> {
        Set(hubspot.simulator.idsInModificationOrder(objectType))
    }

    func change(_ count: Int, of stream: String) async throws -> Set<String> {
        hubspot.clock.advance(seconds: 60)
        let ids = Array(hubspot.simulator.idsInModificationOrder(objectType).prefix(count))
        hubspot.simulator.touch(objectType, ids: ids)   // all at one instant: same-millisecond ties
        return Set(ids)
    }

    func delete(_ count: Int, of stream: String) async throws -> Set<String> {
        hubspot.clock.advance(seconds: 60)
        let ids = Array(hubspot.simulator.idsInModificationOrder(objectType).suffix(count))
        hubspot.simulator.archive(objectType, ids: ids)
        return Set(ids)
    }

    func merge(in stream: String) async throws -> String? {
        // Engagements are not merged.
        guard objectType == "contacts" else { return nil }
        hubspot.clock.advance(seconds: 60)
        let ids = hubspot.simulator.contactIDsInModificationOrder()
        guard ids.count >= 2 else { return nil }
        // HubSpot gives the merged contact a new id: both old ids leave the live set.
        return hubspot.simulator.merge(contact: ids[1], into: ids[0]) != nil ? ids[1] : nil
    }

    func failNext(_ count: Int, with failure: SimulatedFailure) async throws {
        switch failure {
        case .rateLimited: hubspot.simulator.faults.failNext(count, status: 429, retryAfterSeconds: 1)
        case .serverError: hubspot.simulator.faults.failNext(count, status: 503)
        case .connectionReset: hubspot.simulator.faults.resetNext(count)
        }
    }
}

@Suite struct HubSpotTestKitTests {
    @Test(.timeLimit(.minutes(10))) func passesTheConnectorTestKit() async throws {
        try await withSimulatedHubSpot(contacts: 450) { hubspot in
            let source = try hubspot.source()
            let failures = try await ConnectorTestKit(
                connector: "hubspot", source: source, system: HubSpotKitSystem(hubspot: hubspot), streams: ["contacts"]
            ).run()
            #expect(failures.isEmpty, "\(failures)")
        }
    }
}
