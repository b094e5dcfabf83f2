import Foundation
import SyncHubConfiguration
import SyncHubCore
import SyncHubStore

extension SyncHubApp {
    /// `synchub status`: what the store holds and what recent runs did.
    func status(quarantineLimit: Int) throws {
        guard FileManager.default.fileExists(atPath: storePath) else {
            throw CommandFailure("no store at \(storePath) yet: run `synchub pull` first.")
        }
        let store = try openStore()
        let status = try store.status()
        let quarantined = try store.quarantined(limit: quarantineLimit)
        if global.json {
            struct Report: Encodable { var store: String; var status: StoreStatus; var quarantined: [QuarantineEntry] }
            console.printJSON(Report(store: storePath, status: status, quarantined: quarantined))
            return
        }
        print("Store: \(storePath)")
        print("\nRecent runs:")
        if status.runs.isEmpty { print("  none") }
        for run in status.runs.prefix(5) {
            let failed = run.streams.filter { $0.status == .failed }.count
            var line = "  #\(run.id) \(run.command) started \(run.startedAt)"
            line += run.endedAt.map { ", ended \($0)" } ?? " (unfinished)"
            line += ": \(run.status.rawValue)"
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
