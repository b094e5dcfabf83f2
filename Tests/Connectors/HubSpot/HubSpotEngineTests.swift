import Foundation
import SyncHubCore
import Synchronization
import Testing

@testable import HubSpotConnector
@testable import SyncHubSandbox

/// A store in memory with the contract of `SyncStore`: each commit lands records and checkpoint together, and a
/// completed snapshot marks what its stream did not deliver as deleted (streams sharing an object type, such as the
/// activity streams, leave each other's records alone).
final class MemoryStore: SyncStore {
    struct Row: Sendable {
        var isDeleted: Bool
        var mergedInto: String?
        var payload: [UInt8]
        var stream: String
    }

    private struct State {
        var checkpoints: [String: Checkpoint] = [:]
        var rows: [ObjectType: [String: Row]] = [:]
        var commits = 0
    }

    private let state = Mutex(State())

    func rows(_ type: ObjectType) -> [String: Row] { state.withLock { $0.rows[type] ?? [:] } }
    var commits: Int { state.withLock { $0.commits } }

    func checkpoint(connector: String, stream: String) throws -> Checkpoint? {
        state.withLock { $0.checkpoints["\(connector)/\(stream)"] }
    }

    func resetCheckpoint(connector: String, stream: String) throws {
        _ = state.withLock { $0.checkpoints.removeValue(forKey: "\(connector)/\(stream)") }
    }

    func commit(
        _ batch: RecordBatch, connector: String, stream: StreamDescriptor, deletingAllExcept seen: Set<String>?, runID: RunID?
    ) throws -> CommitCounts {
        state.withLock { state in
            var counts = CommitCounts(received: batch.records.count)
            var table = state.rows[stream.objectType] ?? [:]
            for record in batch.records {
                if table[record.externalID] == nil { counts.inserted += 1 } else { counts.updated += 1 }
                table[record.externalID] = Row(
                    isDeleted: record.isDeleted, mergedInto: record.mergedInto, payload: record.payload, stream: stream.name)
            }
            if let seen {
                let delivered = Set(batch.records.map(\.externalID))
                for (id, row) in table
                where row.stream == stream.name && !row.isDeleted && !seen.contains(id) && !delivered.contains(id) {
                    table[id]?.isDeleted = true
                    counts.deleted += 1
                }
            }
            state.rows[stream.objectType] = table
            if let checkpoint = batch.checkpoint { state.checkpoints["\(connector)/\(stream.name)"] = checkpoint }
            state.commits += 1
            return counts
        }
    }

    func beginRun(command: String) throws -> RunID { 1 }
    func recordStream(_ result: StreamResult, runID: RunID) throws {}
    func finishRun(_ runID: RunID, status: RunStatus, error: String?) throws {}
}

@Suite struct HubSpotEngineTests {
    /// The engine pulls every stream through failures (each surfacing, so the engine restarts the stream from its
    /// last committed checkpoint), then pulls the changes: the store ends up holding exactly what HubSpot holds.
    @Test(.timeLimit(.minutes(10))) func engineKeepsTheStoreEqualToHubSpot() async throws {
        try await withSimulatedHubSpot { hubspot in
            let store = MemoryStore()
            let engine = SyncEngine(store: store, logger: quietLogger, sleep: { _ in })
            let source = try #require(hubspot.instance(maxAttempts: 1).source)
            hubspot.simulator.faults.failNext(2, status: 503, pathPrefix: "/crm/v3/objects/contacts")
            hubspot.simulator.faults.resetNext(1, pathPrefix: "/crm/v4/associations")
            hubspot.simulator.faults.failNext(1, status: 429, pathPrefix: "/email/public/v1/events", retryAfterSeconds: 1)
            let first = await engine.pull(connector: "hubspot", source: source)
            #expect(first.map(\.status) == Array(repeating: .succeeded, count: HubSpotStream.allCases.count), "\(first.map { $0.error ?? "" })")
            #expect(hubspot.simulator.faults.pendingFailures == 0)

            func live(_ type: ObjectType) -> Set<String> {
                Set(store.rows(type).filter { !$0.value.isDeleted }.map(\.key))
            }
            #expect(live(.contact) == Set(hubspot.simulator.liveRecords(.contacts).keys))
            #expect(live(.account) == Set(hubspot.simulator.liveRecords(.companies).keys))
            #expect(live(.deal) == Set(hubspot.simulator.liveRecords(.deals).keys))
            #expect(live(.dealContact) == hubspot.simulator.dealContactLinks())
            #expect(live(.campaign) == hubspot.simulator.allCampaignKeys())
            #expect(live(.activity).count == HubSpotObjectType.engagements.map { hubspot.simulator.liveRecords($0).count }.reduce(0, +))

            // Changes upstream: edits, a delete, a merge, new contacts; pulled again with failures on the way.
            let ids = hubspot.simulator.contactIDsInModificationOrder()
            hubspot.clock.advance(seconds: 120)
            hubspot.simulator.touch(contacts: Array(ids.suffix(20)))
            hubspot.simulator.archive(contacts: [ids[5]])
            let survivor = try #require(hubspot.simulator.merge(contact: ids[7], into: ids[6]))
            let added = hubspot.simulator.addContacts(250)
            hubspot.simulator.faults.failNext(1, status: 503, pathPrefix: "/crm/v3/objects/contacts/search")
            let second = await engine.pull(connector: "hubspot", source: source, streams: ["contacts"])
            #expect(second.map(\.status) == [.succeeded])
            #expect(second.first?.counts.received ?? 0 >= 20 + 1 + 3 + 250)
            #expect(live(.contact) == Set(hubspot.simulator.liveRecords(.contacts).keys))
            #expect(Set(added).isSubset(of: live(.contact)))
            #expect(store.rows(.contact)[ids[5]]?.isDeleted == true)
            #expect(store.rows(.contact)[ids[6]]?.mergedInto == survivor && store.rows(.contact)[ids[7]]?.mergedInto == survivor)

            // A full refresh is a snapshot pass: it agrees with HubSpot too.
            let refreshed = await engine.pull(connector: "hubspot", source: source, streams: ["contacts"], fullRefresh: true)
            #expect(refreshed.map(\.status) == [.succeeded])
            #expect(live(.contact) == Set(hubspot.simulator.liveRecords(.contacts).keys))
        }
    }
}
