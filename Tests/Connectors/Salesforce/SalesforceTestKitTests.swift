import Foundation
import SalesforceConnector
import SyncHubCore
import SyncHubSandbox
import SyncHubTesting
import Testing

/// The Salesforce simulation as the connector test kit sees it (the `contacts` stream).
struct SalesforceKitSystem: SimulatedSystem {
    let simulator: SalesforceSimulator

    func liveIDs(of stream: String) async throws -> Set<String> { Set(simulator.ids("Contact")) }

    func change(_ count: Int, of stream: String) async throws -> Set<String> {
        Set(simulator.touch("Contact", count: count))
    }

    func delete(_ count: Int, of stream: String) async throws -> Set<String> {
        // Deleting a contact also deletes its opportunity contact roles (00K): keep the contacts.
        Set(simulator.delete("Contact", ids: Array(simulator.ids("Contact").suffix(count))).filter { $0.hasPrefix("003") })
    }

    func merge(in stream: String) async throws -> String? {
        let ids = simulator.ids("Contact")
        guard ids.count >= 2 else { return nil }
        return simulator.merge("Contact", loser: ids[1], into: ids[0]) ? ids[1] : nil
    }

    func failNext(_ count: Int, with failure: SimulatedFailure) async throws {
        switch failure {
        case .rateLimited: simulator.faults.failNext(count, with: .status(503))   // Salesforce does not send 429s
        case .serverError: simulator.faults.failNext(count, with: .status(500))
        case .connectionReset: simulator.faults.failNext(count, with: .connectionReset)
        }
    }
}

@Suite struct SalesforceTestKitTests {
    @Test(.timeLimit(.minutes(2))) func passesTheConnectorTestKit() async throws {
        let simulator = SalesforceSimulator(seed: 5, people: 900)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base, batchSize: 200, streams: [.contacts]))
            let failures = try await ConnectorTestKit(
                connector: "crm", source: source, system: SalesforceKitSystem(simulator: simulator), streams: ["contacts"]
            ).run()
            #expect(failures.isEmpty, "\(failures)")
        }
    }
}
