public import SyncHubCore
import Foundation
import Logging
import SyncHubStore

/// What the test kit needs from a simulation of the system a connector talks to.
///
/// Implement it over your simulator (in-process or over its control endpoints); the kit drives the connector
/// through the real engine into a real (in-memory) store and compares what landed with what the simulation holds.
public protocol SimulatedSystem: Sendable {
    /// The ids of every live record of `stream` the system holds now: what a complete pull must have landed.
    func liveIDs(of stream: String) async throws -> Set<String>
    /// Changes `count` records of `stream` (bumping their modification time, ties included); returns their ids.
    func change(_ count: Int, of stream: String) async throws -> Set<String>
    /// Deletes (or archives) `count` records of `stream`; returns their ids.
    func delete(_ count: Int, of stream: String) async throws -> Set<String>
    /// Merges two records of `stream`; returns the id that disappears, or `nil` if the system has no merges.
    func merge(in stream: String) async throws -> String?
    /// Makes the next `count` API requests fail with `failure`.
    func failNext(_ count: Int, with failure: SimulatedFailure) async throws
}

/// A failure a simulation can inject.
public enum SimulatedFailure: Sendable, Hashable, CustomStringConvertible {
    case rateLimited
    case serverError
    case connectionReset

    public var description: String {
        switch self {
        case .rateLimited: "429"
        case .serverError: "5xx"
        case .connectionReset: "connection reset"
        }
    }
}

/// Replays the failure modes every connector must survive, against a simulation, through the real engine and store.
///
/// ```swift
/// let failures = try await ConnectorTestKit(connector: "hubspot", source: source, system: simulation,
///                                           streams: ["contacts"]).run()
/// #expect(failures.isEmpty, "\(failures)")
/// ```
/// Scenarios, per stream: a full pull equals the source; after changes, an incremental pull equals the source and
/// lands no duplicates; deletes and merges arrive; 429s, 5xx and resets in the middle of a pull lose nothing and
/// duplicate nothing.
public struct ConnectorTestKit: Sendable {
    public var connector: String
    public var source: any SourceConnector
    public var system: any SimulatedSystem
    public var streams: [String]
    /// Records to change between pulls.
    public var changes: Int

    public init(connector: String, source: any SourceConnector, system: any SimulatedSystem, streams: [String], changes: Int = 25) {
        self.connector = connector
        self.source = source
        self.system = system
        self.streams = streams
        self.changes = changes
    }

    /// Runs every scenario; returns one message per failure (empty when the connector survives them all).
    public func run() async throws -> [String] {
        var failures: [String] = []
        let descriptors = try await source.streams()
        for name in streams {
            guard let stream = descriptors.first(where: { $0.name == name }) else {
                failures.append("\(connector): no stream named \(name)")
                continue
            }
            failures += try await scenarios(stream)
        }
        return failures
    }

    func engine(_ store: StoreDatabase) -> SyncEngine {
        SyncEngine(
            store: store, logger: Logger(label: "synchub.testkit") { _ in SwiftLogNoOpLogHandler() },
            retryPolicy: RetryPolicy(maxAttempts: 8, initialDelay: .milliseconds(1), maxDelay: .milliseconds(5)),
            sleep: { _ in }, jitter: { 1 })
    }

    /// The ids landed live, and the ids landed deleted (or merged away), for a stream's object type.
    func landed(_ store: StoreDatabase, _ stream: StreamDescriptor) throws -> (live: Set<String>, gone: Set<String>) {
        let records = try store.landedRecords(connector: connector, objectType: stream.objectType)
        var live = Set<String>(), gone = Set<String>()
        for record in records { if record.isDeleted || record.mergedInto != nil { gone.insert(record.externalID) } else { live.insert(record.externalID) } }
        return (live, gone)
    }

    func pull(_ store: StoreDatabase, _ stream: StreamDescriptor) async -> StreamResult {
        await engine(store).pull(connector: connector, source: source, stream: stream, fullRefresh: false, runID: nil)
    }

    func compare(_ place: String, landed: Set<String>, expected: Set<String>) -> [String] {
        var failures: [String] = []
        let missing = expected.subtracting(landed), extra = landed.subtracting(expected)
        if !missing.isEmpty { failures.append("\(place): \(missing.count) record(s) of the source never landed, e.g. \(missing.sorted().prefix(3))") }
        if !extra.isEmpty { failures.append("\(place): \(extra.count) landed record(s) are not live in the source, e.g. \(extra.sorted().prefix(3))") }
        return failures
    }

    func scenarios(_ stream: StreamDescriptor) async throws -> [String] {
        var failures: [String] = []
        let place = "\(connector)/\(stream.name)"
        let store = try StoreDatabase.inMemory()

        // 1. A full pull equals the source.
        let full = await pull(store, stream)
        if full.status != .succeeded { failures.append("\(place): full pull \(full.status.rawValue): \(full.error ?? "")") }
        failures += compare("\(place) after a full pull", landed: try landed(store, stream).live, expected: try await system.liveIDs(of: stream.name))

        // 2. Changes arrive incrementally, with no duplicates at the boundary.
        let changed = try await system.change(changes, of: stream.name)
        let incremental = await pull(store, stream)
        if incremental.status != .succeeded { failures.append("\(place): incremental pull \(incremental.status.rawValue): \(incremental.error ?? "")") }
        if incremental.counts.updated < changed.count {
            failures.append("\(place): \(changed.count) records changed but the incremental pull updated \(incremental.counts.updated)")
        }
        if incremental.counts.inserted > 0 {
            failures.append("\(place): the incremental pull inserted \(incremental.counts.inserted) record(s) that a full pull had missed")
        }
        failures += compare("\(place) after changes", landed: try landed(store, stream).live, expected: try await system.liveIDs(of: stream.name))

        // 3. Deletes and merges arrive.
        let deleted = try await system.delete(2, of: stream.name)
        let absorbed = try await system.merge(in: stream.name)
        let afterDeletes = await pull(store, stream)
        if afterDeletes.status != .succeeded { failures.append("\(place): pull after deletes \(afterDeletes.status.rawValue): \(afterDeletes.error ?? "")") }
        let state = try landed(store, stream)
        let notGone = deleted.union(absorbed.map { [$0] } ?? []).subtracting(state.gone)
        if !notGone.isEmpty { failures.append("\(place): deleted or merged record(s) still live in the store: \(notGone.sorted().prefix(3))") }
        failures += compare("\(place) after deletes and merges", landed: state.live, expected: try await system.liveIDs(of: stream.name))

        // 4. Failures in the middle of a pull lose nothing and duplicate nothing.
        for failure in [SimulatedFailure.rateLimited, .serverError, .connectionReset] {
            let fresh = try StoreDatabase.inMemory()
            let first = await pullFirstPage(fresh, stream)
            try await system.failNext(2, with: failure)
            let resumed = await pull(fresh, stream)
            if resumed.status != .succeeded {
                failures.append("\(place): a pull through \(failure)s ended \(resumed.status.rawValue): \(resumed.error ?? "")")
            }
            let landedAfter = try landed(fresh, stream)
            failures += compare("\(place) through \(failure)s", landed: landedAfter.live, expected: try await system.liveIDs(of: stream.name))
            // Every record landed once: a re-read page after a retry updates nothing and inserts nothing twice.
            let stored = landedAfter.live.count + landedAfter.gone.count
            let writes = first + resumed.counts.inserted + resumed.counts.deleted
            if writes != stored {
                failures.append("\(place): through \(failure)s, \(writes) first writes for \(stored) records")
            }
        }
        return failures
    }

    /// Commits only the first page of a stream, as a run interrupted after it would; returns how many records it
    /// wrote for the first time (live or deleted).
    func pullFirstPage(_ store: StoreDatabase, _ stream: StreamDescriptor) async -> Int {
        do {
            var pages = source.pull(stream, resumingAfter: nil).makeAsyncIterator()
            guard let batch = try await pages.next() else { return 0 }
            let counts = try store.commit(batch, connector: connector, stream: stream, deletingAllExcept: nil, runID: nil)
            return counts.inserted + counts.deleted
        } catch {
            return 0
        }
    }
}
