import Foundation
import SyncHubConfiguration
import SyncHubCore
import SyncHubSchedule
import SyncHubStore

/// One connector in `synchub status`: its schedule, runs, backoff, API budget and problem records.
struct ConnectorStatus: Encodable {
    var connector: String
    /// The schedule in words, or `nil` when it has none.
    var schedule: String?
    var nextRunAt: String?
    var lastSuccessAt: String?
    var lastFailureAt: String?
    /// Why the last failure happened; never field values.
    var lastError: String?
    var consecutiveFailures: Int
    /// No scheduled run before this time.
    var backoffUntil: String?
    /// Requests today (UTC) and the daily allowance the system last reported.
    var apiRequestsToday: Int
    var apiDailyRemaining: Int?
    var apiDailyLimit: Int?
    var quarantined: Int
    var deadLettered: Int
}

extension SyncHubApp {
    /// `synchub status`: what the store holds and what recent runs did.
    func status(quarantineLimit: Int) throws {
        guard FileManager.default.fileExists(atPath: storePath) else {
            throw CommandFailure("no store at \(storePath) yet: run `synchub pull` first.")
        }
        let store = try openStore()
        let status = try store.status()
        let quarantined = try store.quarantined(limit: quarantineLimit)
        let connectors = try connectorStatuses(store)
        let lock = try store.lockHolder(StoreLocking.lockName)
        if global.json {
            struct Report: Encodable {
                var store: String
                var lock: StoreLockHolder?
                var connectors: [ConnectorStatus]
                var status: StoreStatus
                var quarantined: [QuarantineEntry]
            }
            console.printJSON(Report(store: storePath, lock: lock, connectors: connectors, status: status, quarantined: quarantined))
            return
        }
        print("Store: \(storePath)")
        if let lock {
            let renewed = lock.heartbeatAt.map { ", renewed \($0)" } ?? ""
            print("Lock: held by `\(lock.command)` (pid \(lock.pid) on \(lock.host)) since \(lock.since)\(renewed)")
        }
        printConnectors(connectors)
        print("\nRecent runs:")
        if status.runs.isEmpty { print("  none") }
        for run in status.runs.prefix(5) {
            let failed = run.streams.filter { $0.status == .failed }.count
            var line = "  #\(run.id) \(run.command) started \(run.startedAt)"
            line += run.endedAt.map { ", ended \($0)" } ?? " (unfinished)"
            line += ": \(run.interrupted ? StoreDatabase.interruptedRunStatus : run.status.rawValue)"
            if !run.streams.isEmpty {
                let read = run.streams.reduce(0) { $0 + $1.counts.received }
                line += ", \(Format.count(read)) records over \(run.streams.count) streams"
                if failed > 0 { line += ", \(failed) failed" }
            }
            if let error = run.error { line += " (\(error))" }
            print(line)
        }
        print("\nRecords:")
        print(Format.table(header: ["connector", "object", "live", "deleted"], rows: status.recordCounts.map {
            [$0.connector, $0.objectType, Format.count($0.live), Format.count($0.deleted)]
        }))
        print("Persons: \(Format.count(status.persons))")
        print("\nCheckpoints:")
        if status.checkpoints.isEmpty { print("  none") }
        for checkpoint in status.checkpoints { print("  \(checkpoint.connector)/\(checkpoint.stream): moved \(checkpoint.updatedAt)") }
        print("\nFeedback:")
        let targets = instances.filter { $0.instance.feedback != nil }.map(\.entry.name)
        if targets.isEmpty && status.pushed.isEmpty { print("  no feedback target configured") }
        let rows = try store.personFeedback()
        let stages = try stagePolicies(store: store)
        for target in Set(targets + status.pushed.map(\.target)).sorted() {
            let pushed = status.pushed.first { $0.target == target }?.count ?? 0
            let dead = status.deadLetters.first { $0.target == target }?.count ?? 0
            var pending = "?"
            if let feedback = instances.first(where: { $0.entry.name == target })?.instance.feedback {
                let plan = FeedbackPlan.make(target: target, addressing: feedback.addressing, rows: rows, pushed: try store.pushedState(target: target), stages: stages[target])
                pending = Format.count(plan.changes.count)
            }
            print("  \(target): \(Format.count(pushed)) records pushed, \(pending) pending, \(Format.count(dead)) dead-lettered")
        }
        let quarantineTotal = status.quarantine.reduce(0) { $0 + $1.count }
        print("\nQuarantine: \(Format.count(quarantineTotal)) record(s)")
        for entry in quarantined { print("  \(entry.connector)/\(entry.stream) \(entry.location): \(entry.reason)") }
        if quarantineTotal > quarantined.count { print("  ... \(quarantineTotal - quarantined.count) more (--quarantine-limit N)") }
    }
}

extension SyncHubApp {
    /// Every configured connector with its schedule state, run-log summary, API usage today and problem counts.
    func connectorStatuses(_ store: StoreDatabase) throws -> [ConnectorStatus] {
        let schedules = Dictionary(try schedules().map { ($0.connector, $0) }, uniquingKeysWith: { a, _ in a })
        let states = Dictionary(try store.scheduleStates().map { ($0.connector, $0) }, uniquingKeysWith: { a, _ in a })
        let runs = try store.connectorRunSummaries()
        let usage = Dictionary(try store.apiUsage().map { ($0.connector, $0) }, uniquingKeysWith: { a, _ in a })
        let quarantine = try store.quarantineCounts()
        let deadLetters = try store.deadLetterCounts()
        return instances.map(\.entry.name).map { name in
            let schedule = schedules[name]
            // The saved state of a schedule that was removed or changed says nothing about the future.
            let state = states[name].flatMap { schedule != nil && $0.spec == schedule!.spec ? $0 : nil }
            let run = runs[name]
            let successes = [run?.lastSuccessAt, states[name]?.lastSuccessAt.map(StoreTime.text)].compactMap { $0 }
            var lastFailureAt = run?.lastFailureAt
            var lastError = run?.lastFailure
            if let failed = states[name]?.lastFailureAt.map(StoreTime.text), failed > (lastFailureAt ?? "") {
                lastFailureAt = failed
                lastError = states[name]?.lastError
            }
            return ConnectorStatus(
                connector: name, schedule: schedule?.spec, nextRunAt: state?.nextRunAt.map(StoreTime.text),
                lastSuccessAt: successes.max(), lastFailureAt: lastFailureAt, lastError: lastError,
                consecutiveFailures: state?.consecutiveFailures ?? 0, backoffUntil: state?.backoffUntil.map(StoreTime.text),
                apiRequestsToday: usage[name]?.requests ?? 0, apiDailyRemaining: usage[name]?.dailyRemaining,
                apiDailyLimit: usage[name]?.dailyLimit, quarantined: quarantine[name] ?? 0, deadLettered: deadLetters[name] ?? 0)
        }
    }

    func printConnectors(_ connectors: [ConnectorStatus]) {
        print("\nConnectors:")
        if connectors.isEmpty { print("  none") }
        for connector in connectors {
            var head = "  \(connector.connector): " + (connector.schedule ?? "not scheduled")
            if let next = connector.nextRunAt { head += "; next run \(next)" }
            print(head)
            print("    last success: \(connector.lastSuccessAt ?? "never")")
            if let failed = connector.lastFailureAt {
                print("    last failure: \(failed)" + (connector.lastError.map { ": \($0)" } ?? ""))
            }
            if connector.consecutiveFailures > 0 {
                let until = connector.backoffUntil.map { "; no run before \($0)" } ?? ""
                print("    backoff: \(connector.consecutiveFailures) failure(s) in a row\(until)")
            }
            var api = "    API today: \(Format.count(connector.apiRequestsToday)) request(s)"
            if let remaining = connector.apiDailyRemaining {
                api += "; the system reports \(Format.count(remaining))"
                api += connector.apiDailyLimit.map { " of \(Format.count($0))" } ?? ""
                api += " left"
            }
            print(api)
            print("    quarantined: \(Format.count(connector.quarantined)), dead-lettered: \(Format.count(connector.deadLettered))")
        }
    }
}
