import Foundation
import SalesforceConnector
import SyncHubCore
import SyncHubSandbox
import SyncHubTesting
import Testing

/// The Salesforce simulation as the connector test kit sees it: one sObject (`Contact`, or `Task` for activities).
struct SalesforceKitSystem: SimulatedSystem {
    let simulator: SalesforceSimulator
    var sObject = "Contact"

    var prefix: String { sObject == "Contact" ? "003" : "00T" }

    func liveIDs(of stream: String) async throws -> Set<String> { Set(simulator.ids(sObject)) }

    func change(_ count: Int, of stream: String) async throws -> Set<String> {
        Set(simulator.touch(sObject, count: count))
    }

    func delete(_ count: Int, of stream: String) async throws -> Set<String> {
        // Deleting a contact also deletes its contact roles and activities: keep the records of the stream's object.
        Set(simulator.delete(sObject, ids: Array(simulator.ids(sObject).suffix(count))).filter { $0.hasPrefix(prefix) })
    }

    func merge(in stream: String) async throws -> String? {
        // Tasks are not merged.
        guard sObject == "Contact" else { return nil }
        let ids = simulator.ids(sObject)
        guard ids.count >= 2 else { return nil }
        return simulator.merge(sObject, loser: ids[1], into: ids[0]) ? ids[1] : nil
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
    @Test(.timeLimit(.minutes(10))) func passesTheConnectorTestKit() async throws {
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
