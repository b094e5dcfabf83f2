import Foundation
import GRDB
import Logging
import SyncHubCore
import SyncHubIdentity
import SyncHubStore

/// What a pull did, per stream, and what identity resolution changed.
struct PullReport: Encodable {
    var runID: Int64
    var streams: [StreamResult]
    var identity: IdentityReport?
    var status: String
}

struct IdentityReport: Encodable {
    var recordsExamined: Int
    var newPersons: Int
    var changedLinks: Int
    var mergedPersons: Int
    var persons: Int
    var seconds: Double
}

extension SyncHubApp {
    /// Pulls the selected sources into the store, then resolves identities.
    func pull(connectors names: [String], streams streamNames: [String], fullRefresh: Bool) async throws -> RunOutcome {
        let selected = try sources(named: names)
        let alignment = try alignmentConfiguration()
        let store = try openStore()
        return try await withLock(store, command: "pull") {
            let runID = try store.beginRun(command: "pull")
            let progress = console.progressReporter()
            var runLogger = logger
            runLogger[metadataKey: "sync.run_id"] = "\(runID)"
            let engine = SyncEngine(store: store, logger: runLogger, progress: progress.report)
            var results: [StreamResult] = []
            console.line("Pulling into \(storePath)")
            for (name, source) in selected {
                if Task.isCancelled { break }
                let streamFilter = streamNames.isEmpty ? nil : streamNames
                results += await engine.pull(connector: name, source: source, streams: streamFilter, fullRefresh: fullRefresh, runID: runID)
            }
            progress.finish()
            if !streamNames.isEmpty {
                let pulled = Set(results.map(\.stream))
                for name in streamNames where !pulled.contains(name) {
                    results.append(StreamResult(connector: "*", stream: name, status: .failed, error: "no selected connector has a stream named '\(name)'"))
                }
            }
            let committed = results.contains { $0.counts.received > 0 || $0.counts.deleted > 0 }
            var identity: IdentityReport? = nil
            if try committed || fullRefresh || store.personCount() == 0 {
                identity = try resolveIdentities(store: store, runID: runID)
            }
            let failed = results.filter { $0.status == .failed }.count
            let paused = results.contains { $0.status == .paused }
            // The ledger records transitions between complete pictures: a pull cut short (a signal, a spent API
            // budget) would log stages of half-read data, so stages wait for the run that finishes it.
            let stages = paused ? nil : try recordStages(store: store, runID: runID, alignment: alignment)
            let status: RunStatus = failed == 0 ? (paused ? .paused : .succeeded) : (failed == results.count ? .failed : .partial)
            let errorSummary = failed == 0 ? nil : "\(failed) of \(results.count) streams failed"
            try store.finishRun(runID, status: status, error: errorSummary)
            let report = PullReport(runID: runID, streams: results, identity: identity, status: status.rawValue)
            console.printPullSummary(report)
            printStageSummary(stages)
            if paused, alignment != nil {
                console.line("Stages: not updated, the pull stopped early; the next complete pull updates them.")
            }
            var outcome = RunOutcome(pull: report)
            outcome.exitCode = status == .failed ? 1 : status == .partial ? 3 : 0
            return outcome
        }
    }

    /// Resolves every contact record into persons and writes what changed.
    func resolveIdentities(store: StoreDatabase, runID: RunID?) throws -> IdentityReport {
        let started = ContinuousClock.now
        let records = try store.identityRecords()
        let ages = try store.personAges()
        let resolution = IdentityResolver().resolve(records, personAge: ages)
        try store.apply(resolution, runID: runID)
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        return IdentityReport(
            recordsExamined: resolution.recordsExamined, newPersons: resolution.newPersons.count,
            changedLinks: resolution.changedLinks.count, mergedPersons: resolution.merges.count,
            persons: try store.personCount(), seconds: Double(seconds) + Double(attoseconds) / 1e18)
    }
}

extension StoreDatabase {
    /// Creation rank of every person (older persons survive merges).
    func personAges() throws -> [String: Int] {
        try writer.read { db in
            var ages: [String: Int] = [:]
            // Older persons were created by earlier runs; within a run, order by founding record.
            let ids = try String.fetchCursor(db, sql: "SELECT id FROM person ORDER BY coalesce(created_run, 0), founded_by")
            var rank = 0
            while let id = try ids.next() { ages[id] = rank; rank += 1 }
            return ages
        }
    }

    func personCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM person WHERE id NOT IN (SELECT alias FROM person_alias)") ?? 0 }
    }
}
