import Foundation
import SyncHubCore
import SyncHubTesting
import Synchronization
import Testing

/// An in-memory system with modification stamps (many records share one), deletes, merges and injectable failures,
/// and a source over it whose cursor is either correct (stamp, then id) or naive (stamp only).
final class MemorySystem: SimulatedSystem, Sendable {
    struct Row: Sendable { var stamp: Int; var deleted = false; var mergedInto: String? = nil }
    let state = Mutex<(rows: [String: Row], clock: Int, failures: [SimulatedFailure])>(([:], 1, []))

    init(count: Int) {
        state.withLock { state in
            for index in 0..<count { state.rows[String(format: "r%04d", index)] = Row(stamp: 1 + index / 7) }
            state.clock = 1 + count / 7
        }
    }

    func liveIDs(of stream: String) async throws -> Set<String> {
        state.withLock { Set($0.rows.filter { !$0.value.deleted && $0.value.mergedInto == nil }.keys) }
    }

    func change(_ count: Int, of stream: String) async throws -> Set<String> {
        state.withLock { state in
            state.clock += 1
            let ids = state.rows.filter { !$0.value.deleted && $0.value.mergedInto == nil }.keys.sorted().prefix(count)
            for id in ids { state.rows[id]!.stamp = state.clock }   // every change shares one stamp
            return Set(ids)
        }
    }

    func delete(_ count: Int, of stream: String) async throws -> Set<String> {
        state.withLock { state in
            state.clock += 1
            let ids = state.rows.filter { !$0.value.deleted && $0.value.mergedInto == nil }.keys.sorted().suffix(count)
            for id in ids { state.rows[id]!.deleted = true; state.rows[id]!.stamp = state.clock }
            return Set(ids)
        }
    }

    func merge(in stream: String) async throws -> String? {
        state.withLock { state in
            state.clock += 1
            let live = state.rows.filter { !$0.value.deleted && $0.value.mergedInto == nil }.keys.sorted()
            guard live.count >= 2 else { return nil }
            state.rows[live[1]]!.mergedInto = live[0]
            state.rows[live[1]]!.stamp = state.clock
            return live[1]
        }
    }

    func failNext(_ count: Int, with failure: SimulatedFailure) async throws {
        state.withLock { $0.failures += Array(repeating: failure, count: count) }
    }

    /// One page after `cursor`, in (stamp, id) order.
    func page(after cursor: MemorySource.Cursor, size: Int, naive: Bool) throws -> [(String, Row)] {
        try state.withLock { state in
            if !state.failures.isEmpty {
                let failure = state.failures.removeFirst()
                switch failure {
                case .rateLimited: throw ConnectorError(.rateLimited, "simulated 429", connector: "memory", retryAfter: .milliseconds(1))
                case .serverError: throw ConnectorError(.unavailable, "simulated 503", connector: "memory")
                case .connectionReset: throw ConnectorError(.unavailable, "simulated reset", connector: "memory")
                }
            }
            return state.rows.filter { id, row in
                naive ? row.stamp > cursor.stamp : (row.stamp, id) > (cursor.stamp, cursor.id)
            }.sorted { ($0.value.stamp, $0.key) < ($1.value.stamp, $1.key) }.prefix(size).map { ($0.key, $0.value) }
        }
    }
}

struct MemorySource: SourceConnector {
    struct Cursor: Codable, Sendable { var stamp: Int; var id: String }
    let system: MemorySystem
    let naive: Bool

    func check() async throws {}
    func streams() async throws -> [StreamDescriptor] { [StreamDescriptor(name: "contacts", objectType: .contact, cursorField: "stamp")] }

    func pull(_ stream: StreamDescriptor, resumingAfter checkpoint: Checkpoint?) -> any AsyncSequence<RecordBatch, any Error> & Sendable {
        let start = (try? checkpoint?.decode(as: Cursor.self)) ?? Cursor(stamp: 0, id: "")
        return Paginated<Cursor>(startingAt: start) { [system, naive] cursor in
            let rows = try system.page(after: cursor ?? start, size: 10, naive: naive)
            let records = rows.map { id, row in
                SourceRecord(
                    objectType: .contact, externalID: id, payload: JSONWriter.object([("id", id), ("stamp", String(row.stamp))]),
                    isDeleted: row.deleted, mergedInto: row.mergedInto, normalized: row.deleted ? nil : .contact(Contact()))
            }
            let next = rows.last.map { Cursor(stamp: $0.1.stamp, id: $0.0) } ?? cursor ?? start
            return (RecordBatch(records: records, checkpoint: try Checkpoint(encoding: next)), rows.count < 10 ? nil : next)
        }
    }
}

@Suite struct ConnectorTestKitTests {
    @Test func aCorrectCursorPassesEveryScenario() async throws {
        let system = MemorySystem(count: 95)
        let failures = try await ConnectorTestKit(connector: "memory", source: MemorySource(system: system, naive: false), system: system, streams: ["contacts"]).run()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func aCursorThatLosesSameStampTiesIsCaught() async throws {
        let system = MemorySystem(count: 95)
        let failures = try await ConnectorTestKit(connector: "memory", source: MemorySource(system: system, naive: true), system: system, streams: ["contacts"]).run()
        #expect(failures.contains { $0.contains("never landed") }, "\(failures)")
    }
}
