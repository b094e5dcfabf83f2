import Foundation
import GRDB
import SyncHubCore
import SyncHubStore
import Testing

/// Runs whose process ended without finishing them are found when the lock is next taken: marked `interrupted`, and
/// the streams they left half-read count as unfinished until their connector is pulled again.
@Suite struct InterruptedRunTests {
    let contacts = StreamDescriptor(name: "contacts", objectType: .contact)
    let touches = StreamDescriptor(name: "touches", objectType: .touch)

    func stream(_ connector: String, _ name: String, _ status: RunStatus) -> StreamResult {
        StreamResult(connector: connector, stream: name, status: status)
    }

    /// A run begun as by another machine's synchub (its pid cannot be checked from here).
    func foreignRun(_ store: StoreDatabase) throws -> RunID {
        let id = try store.beginRun(command: "pull")
        try store.writer.write { try $0.execute(sql: "UPDATE run SET host = 'elsewhere.example' WHERE id = ?", arguments: [id]) }
        return id
    }

    func status(_ test: TestStore, _ run: RunID) throws -> String? {
        try test.string("SELECT status FROM run WHERE id = ?", [run])
    }

    /// Killed between two streams of a first pull: no checkpoint moved and no earlier pull names the streams left,
    /// but the engine logged every selected stream as running before reading any.
    @Test func streamsLoggedAsRunningByACutOffRunAreUnfinished() throws {
        let test = try TestStore(.file)
        let store = test.store
        let killed = try foreignRun(store)
        for name in ["contacts", "touches", "campaigns"] { try store.recordStream(stream("marketing", name, .running), runID: killed) }
        try store.recordStream(stream("marketing", "contacts", .succeeded), runID: killed)
        try store.acquireLock("sync", command: "pull")
        #expect(try status(test, killed) == StoreDatabase.interruptedRunStatus)
        let unfinished = try store.unfinishedStreams(connectors: ["marketing"])
        #expect(unfinished.map { "\($0.connector)/\($0.stream)" } == ["marketing/campaigns", "marketing/touches"])
    }

    @Test func aRunCutOffLeavesItsHalfReadConnectorUnfinishedAndNothingElse() throws {
        let test = try TestStore(.file)
        let store = test.store
        // A complete pull of both connectors.
        let first = try store.beginRun(command: "pull")
        for (connector, name) in [("marketing", "contacts"), ("marketing", "touches"), ("crm", "contacts")] {
            try store.recordStream(stream(connector, name, .succeeded), runID: first)
        }
        try store.finishRun(first, status: .succeeded, error: nil)

        // A pull of both that finished marketing/contacts, committed a batch of marketing/touches and was killed
        // before it reached crm.
        let killed = try foreignRun(store)
        try store.recordRunSelection(killed, connectors: ["marketing", "crm"], streams: [])
        try store.recordStream(stream("marketing", "contacts", .succeeded), runID: killed)
        _ = try store.commit(Fixtures.batch([], checkpoint: "page-1"), connector: "marketing", stream: touches, deletingAllExcept: nil, runID: killed)
        // Another machine's run that may still be going: nothing says otherwise until the lock is taken over.
        #expect(try store.unfinishedStreams(connectors: ["marketing", "crm"]).isEmpty)
        #expect(try status(test, killed) == "running")

        // The lock is taken (over): the run is marked, marketing/touches is unfinished, crm is not.
        try store.acquireLock("sync", command: "pull")
        #expect(try status(test, killed) == StoreDatabase.interruptedRunStatus)
        #expect(try test.string("SELECT error FROM run WHERE id = ?", [killed])?.hasPrefix("interrupted: ") == true)
        let unfinished = try store.unfinishedStreams(connectors: ["marketing", "crm"])
        #expect(unfinished.map { "\($0.connector)/\($0.stream)#\($0.runID)" } == ["marketing/touches#\(killed)"])
        let shown = try #require(try store.status().runs.first { $0.id == killed })
        #expect(shown.interrupted)
        #expect(shown.status == .failed)

        // This process's own run under way is not touched when it takes the lock again.
        let own = try store.beginRun(command: "pull")
        try store.acquireLock("sync", command: "pull")
        #expect(try status(test, own) == "running")
        #expect(try store.status().runs.first { $0.id == own }?.interrupted == false)
        // Its pull of marketing finishes what the killed run left.
        try store.recordStream(stream("marketing", "touches", .succeeded), runID: own)
        try store.recordStream(stream("marketing", "contacts", .succeeded), runID: own)
        try store.finishRun(own, status: .succeeded, error: nil)
        #expect(try store.unfinishedStreams(connectors: ["marketing", "crm"]).isEmpty)
        try store.releaseLock("sync")
    }

    @Test func aCutOffRunOfSomeStreamsLeavesOnlyThoseUnfinished() throws {
        let test = try TestStore(.file)
        let store = test.store
        let first = try store.beginRun(command: "pull")
        try store.recordStream(stream("marketing", "contacts", .succeeded), runID: first)
        try store.recordStream(stream("marketing", "touches", .succeeded), runID: first)
        try store.finishRun(first, status: .succeeded, error: nil)

        // `pull --stream contacts`, killed after a batch: touches was not asked for and stays complete.
        let killed = try foreignRun(store)
        try store.recordRunSelection(killed, connectors: ["marketing"], streams: ["contacts"])
        _ = try store.commit(Fixtures.batch([Fixtures.contact("1")], checkpoint: "page-1"), connector: "marketing", stream: contacts,
                             deletingAllExcept: nil, runID: killed)
        try store.acquireLock("sync", command: "pull")
        #expect(try store.unfinishedStreams(connectors: ["marketing"]).map(\.stream) == ["contacts"])
        try store.releaseLock("sync")
    }

    @Test func aRunWhoseProcessIsGoneShowsAsInterruptedBeforeAnyoneTakesTheLock() throws {
        let test = try TestStore(.file)
        // A process of this host that has exited: its pid no longer exists.
        let exited = Process()
        exited.executableURL = URL(fileURLWithPath: "/bin/true")
        try exited.run()
        exited.waitUntilExit()
        let run = try test.store.beginRun(command: "pull")
        try test.store.writer.write { try $0.execute(sql: "UPDATE run SET pid = ? WHERE id = ?", arguments: [exited.processIdentifier, run]) }
        let shown = try #require(try test.store.status().runs.first { $0.id == run })
        #expect(shown.interrupted)
        #expect(try status(test, run) == "running", "status only reads")
        #expect(try test.store.markInterruptedRuns() == [run])
        #expect(try status(test, run) == StoreDatabase.interruptedRunStatus)
    }
}
