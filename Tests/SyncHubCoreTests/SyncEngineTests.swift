import Logging
import Synchronization
import SyncHubCore
import SyncHubStore
import SyncHubTesting
import Testing

@Suite struct SyncEngineTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func pages(_ stream: String, pages: Int, size: Int) -> ScriptedSource.Script {
        ScriptedSource.Script(
            stream: StreamDescriptor(name: stream, objectType: .contact, cursorField: "page"),
            pages: (0..<pages).map { page in
                (0..<size).map { item in
                    let id = "\(stream)-\(page * size + item)"
                    return ScriptedSource.contact(id, email: "\(id)@example.com", updatedAt: "2025-01-01T00:00:00Z")
                }
            })
    }

    func engine(_ store: StoreDatabase) -> SyncEngine {
        SyncEngine(store: store, logger: logger, sleep: { _ in }, jitter: { 1 })
    }

    @Test func pullsEveryPageAndSavesTheLastCheckpoint() async throws {
        let store = try StoreDatabase.inMemory()
        let source = ScriptedSource([Self.pages("contacts", pages: 4, size: 10)])
        let results = await engine(store).pull(connector: "src", source: source)
        #expect(results.map(\.status) == [.succeeded])
        #expect(results[0].counts.inserted == 40)
        #expect(results[0].batches == 4)
        #expect(try store.checkpoint(connector: "src", stream: "contacts")?.decode(as: Int.self) == 4)
    }

    @Test func aTransientFailureIsRetriedFromTheLastCheckpointAndLosesNothing() async throws {
        let store = try StoreDatabase.inMemory()
        let source = ScriptedSource([Self.pages("contacts", pages: 5, size: 10)], failures: ["contacts": [2: .transient]])
        let results = await engine(store).pull(connector: "src", source: source)
        #expect(results[0].status == .succeeded)
        #expect(results[0].counts.inserted == 50)
        #expect(results[0].counts.unchanged == 0, "the retry resumed after page 2, re-reading nothing")
        #expect(source.requests.withLock { $0["contacts"] } == 6)
    }

    @Test func aFailureMidwayKeepsTheCheckpointAndARerunEqualsACleanRun() async throws {
        let script = Self.pages("contacts", pages: 5, size: 10)
        let broken = try StoreDatabase.inMemory()
        let failing = ScriptedSource([script], failures: ["contacts": [3: .permanent]])
        let first = await engine(broken).pull(connector: "src", source: failing)
        #expect(first[0].status == .failed)
        #expect(first[0].counts.inserted == 30)
        #expect(try broken.checkpoint(connector: "src", stream: "contacts")?.decode(as: Int.self) == 3)

        let rerun = await engine(broken).pull(connector: "src", source: ScriptedSource([script]))
        #expect(rerun[0].status == .succeeded)
        #expect(rerun[0].counts.inserted == 20, "the rerun resumed at page 3")

        let clean = try StoreDatabase.inMemory()
        _ = await engine(clean).pull(connector: "src", source: ScriptedSource([script]))
        #expect(try broken.contentsForComparison() == clean.contentsForComparison())
    }

    @Test func oneFailingStreamDoesNotStopTheOthers() async throws {
        let store = try StoreDatabase.inMemory()
        let source = ScriptedSource([Self.pages("leads", pages: 2, size: 5), Self.pages("contacts", pages: 2, size: 5)], failures: ["leads": [0: .permanent]])
        let results = await engine(store).pull(connector: "src", source: source)
        #expect(results.map(\.status) == [.failed, .succeeded])
        #expect(results[0].error?.contains("scripted permanent failure") == true)
    }

    @Test func anExhaustedBudgetPausesTheConnectorCleanly() async throws {
        let store = try StoreDatabase.inMemory()
        let source = ScriptedSource([Self.pages("leads", pages: 3, size: 5), Self.pages("contacts", pages: 2, size: 5)], failures: ["leads": [1: .budgetExhausted]])
        let results = await engine(store).pull(connector: "src", source: source)
        #expect(results.map(\.status) == [.paused, .paused])
        #expect(results[0].counts.inserted == 5)
        #expect(try store.checkpoint(connector: "src", stream: "leads")?.decode(as: Int.self) == 1)
        #expect(source.requests.withLock { $0["contacts"] } == nil, "the other streams were not called")
    }

    @Test func retriesAreBounded() async throws {
        let store = try StoreDatabase.inMemory()
        let source = ScriptedSource([Self.pages("contacts", pages: 2, size: 5)], failures: ["contacts": [1: .transient]])
        var policy = RetryPolicy()
        policy.maxAttempts = 1
        let engine = SyncEngine(store: store, logger: logger, retryPolicy: policy, sleep: { _ in }, jitter: { 1 })
        let results = await engine.pull(connector: "src", source: source)
        #expect(results[0].status == .failed)
        #expect(results[0].counts.inserted == 5)
    }

    @Test func aCancelledPullStopsAfterTheBatchInFlight() async throws {
        let store = try StoreDatabase.inMemory()
        let source = ScriptedSource([Self.pages("contacts", pages: 50, size: 2)])
        let task = Task { await engine(store).pull(connector: "src", source: source) }
        task.cancel()
        let results = await task.value
        #expect(results.allSatisfy { $0.status == .paused })
        let saved = try store.checkpoint(connector: "src", stream: "contacts")?.decode(as: Int.self) ?? 0
        #expect(saved < 50)
    }

    @Test func streamsACancelledPullNeverStartedAreLoggedAsPaused() async throws {
        let store = try StoreDatabase.inMemory()
        let source = ScriptedSource([Self.pages("leads", pages: 50, size: 2), Self.pages("contacts", pages: 2, size: 2)])
        let runID = try store.beginRun(command: "pull")
        let task = Task { await engine(store).pull(connector: "src", source: source, runID: runID) }
        task.cancel()
        #expect(await task.value.map(\.status) == [.paused, .paused])
        // Both are in the run log as paused, the one that never started too: the connector's pull is unfinished.
        let logged = try #require(try store.status().runs.first { $0.id == runID }).streams
        #expect(logged.map(\.stream).sorted() == ["contacts", "leads"])
        #expect(logged.allSatisfy { $0.status == .paused })
    }

    @Test func aSnapshotPassDeletesMissingRecordsButNotRejectedOnes() async throws {
        let store = try StoreDatabase.inMemory()
        let stream = StreamDescriptor(name: "contacts", objectType: .contact, cursorField: "offset", isSnapshot: true)
        let all = (0..<4).map { ScriptedSource.contact("c\($0)", email: "c\($0)@example.com") }
        _ = await engine(store).pull(connector: "src", source: ScriptedSource([.init(stream: stream, pages: [all], isSnapshot: true)]))
        // Next pass: c1 is gone upstream, c2's row is now malformed (rejected, but it still exists).
        let rejected = RejectedRecord(location: "contacts.csv:3", reason: "bad date", payload: Array("{}".utf8), externalID: "c2")
        let second = ScriptedSource([.init(stream: stream, pages: [[all[0], all[3]]], rejected: [0: [rejected]], isSnapshot: true)])
        let results = await engine(store).pull(connector: "src", source: second, fullRefresh: true)
        #expect(results[0].counts.deleted == 1)
        #expect(results[0].counts.quarantined == 1)
        let deleted = try store.identityRecords().filter(\.isDeleted).map(\.reference.externalID)
        #expect(deleted == ["c1"])
    }
}
