import Foundation
import GRDB
import Logging
import SyncHubConfiguration
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
    /// Records re-examined (changed since the last resolution), all of them when `full`.
    var focusRecords: Int?
    var full: Bool?
    /// Link edges and review pairs written; golden records rebuilt.
    var matches: Int?
    var reviews: Int?
    var goldenRecords: Int?
}

extension SyncHubApp {
    /// Pulls the selected sources into the store, then resolves identities. `command` names the run in the run log
    /// and the lock (`pull`, or `schedule: pull <connector>` for a scheduled run).
    func pull(connectors names: [String], streams streamNames: [String], fullRefresh: Bool, command: String = "pull") async throws -> RunOutcome {
        let selected = try sources(named: names)
        let alignment = try alignmentConfiguration()
        _ = try identitySettings()  // a mistake in `identity:` stops the pull before any work
        let store = try openStore()
        return try await withLock(store, command: command) {
            let runID = try store.beginRun(command: command)
            try store.recordRunSelection(runID, connectors: selected.map(\.name), streams: streamNames)
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
            let failed = results.filter { $0.status == .failed }.count
            let paused = results.contains { $0.status == .paused }
            // Identity and stages are resolved over complete pictures: a pull cut short (a signal, a spent API
            // budget) would estimate match weights and log stage transitions from half-read data, and a rerun would
            // then differ from an uninterrupted run. The records it committed wait in the change log for the pull
            // that finishes the job.
            // The same holds for another connector's pull cut short earlier and not yet finished: its records are
            // half there until its next pull completes.
            let committed = results.contains { $0.counts.received > 0 || $0.counts.deleted > 0 }
            let unfinished = paused ? [] : try store.unfinishedStreams(connectors: configuration.connectors.map(\.name))
            let complete = !paused && unfinished.isEmpty
            var identity: IdentityReport? = nil
            if complete, try committed || fullRefresh || store.personCount() == 0 {
                identity = try resolveIdentities(store: store, runID: runID, fullRefresh: fullRefresh)
            }
            let stages = complete ? try recordStages(store: store, runID: runID, alignment: alignment) : nil
            let status: RunStatus = failed == 0 ? (paused ? .paused : .succeeded) : (failed == results.count ? .failed : .partial)
            let errorSummary = failed == 0 ? nil : "\(failed) of \(results.count) streams failed"
            try store.finishRun(runID, status: status, error: errorSummary)
            let report = PullReport(runID: runID, streams: results, identity: identity, status: status.rawValue)
            console.printPullSummary(report)
            printStageSummary(stages)
            if paused {
                console.line("Identity and stages: not updated, the pull stopped early; the next complete pull updates them.")
            } else if let first = unfinished.first {
                console.line("Identity and stages: not updated, \(first.connector)/\(first.stream) stopped early in run #\(first.runID)"
                    + (unfinished.count > 1 ? " (and \(unfinished.count - 1) more stream(s))" : "")
                    + "; the next complete pull of \(first.connector) updates them.")
            }
            var outcome = RunOutcome(pull: report)
            outcome.exitCode = status == .failed ? 1 : status == .partial ? 3 : 0
            return outcome
        }
    }

    /// Resolves contact records into persons (only those changed since the last resolution, unless
    /// `fullRefresh`), and writes links, match evidence, the review queue and golden records.
    func resolveIdentities(store: StoreDatabase, runID: RunID?, fullRefresh: Bool = false) throws -> IdentityReport {
        try runResolution(store: store, runID: runID, fullRefresh: fullRefresh)
    }
}

extension StoreDatabase {
    func personCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM person WHERE id NOT IN (SELECT alias FROM person_alias)") ?? 0 }
    }
}
