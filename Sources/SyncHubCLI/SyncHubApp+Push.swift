import Foundation
import Logging
import SyncHubCore
import SyncHubStore

/// What a push did (or would do) for one target.
struct PushReport: Encodable {
    var target: String
    var dryRun: Bool
    var create: Int
    var update: Int
    /// Records whose person no longer has a deal: their feedback fields are cleared.
    var retract: Int = 0
    var unchanged: Int
    var applied: Int
    var alreadyApplied: Int
    var failed: Int
    var sample: [SampleDiff]

    struct SampleDiff: Encodable {
        var recordKey: String
        var action: String
        var changes: [FieldChange]
    }

    struct FieldChange: Encodable {
        var field: String
        var old: String?
        var new: String?
    }
}

extension SyncHubApp {
    /// Items per call to a target.
    static let pushBatchSize = 500

    /// Derives feedback per person and sends each target what changed since its last push.
    /// `command` names the run in the run log and the lock (`push`, or `schedule: push` for a scheduled run).
    func push(targets names: [String], dryRun: Bool, command: String = "push") async throws -> RunOutcome {
        let selected = try targets(named: names)
        let store = try openStore()
        return try await withLock(store, command: dryRun ? "\(command) --dry-run" : command) {
            let runID: RunID? = dryRun ? nil : try store.beginRun(command: command)
            let rows = try store.personFeedback()
            let stages = try stagePolicies(store: store)
            var outcome = RunOutcome()
            if selected.isEmpty { console.line("No feedback targets configured: add `feedback:` to a connector in \(global.config).") }
            for (name, target) in selected {
                let plan = FeedbackPlan.make(
                    target: name, addressing: target.addressing, rows: rows, pushed: try store.pushedState(target: name),
                    stages: stages[name])
                var report = PushReport(
                    target: name, dryRun: dryRun, create: plan.creates.count, update: plan.updates.count,
                    retract: plan.retractions.count, unchanged: plan.unchanged, applied: 0, alreadyApplied: 0, failed: 0,
                    sample: Self.sample(of: plan, count: dryRun ? 5 : 0))
                if !dryRun {
                    for chunk in stride(from: 0, to: plan.changes.count, by: Self.pushBatchSize) {
                        if Task.isCancelled { break }
                        let changes = Array(plan.changes[chunk..<min(chunk + Self.pushBatchSize, plan.changes.count)])
                        let items = changes.map(\.item)
                        let receipts: [PushReceipt]
                        do {
                            receipts = try await target.push(items)
                        } catch {
                            // The whole call failed: every item of it is dead-lettered with the reason, and retried next push.
                            let message = String(describing: error)
                            receipts = items.map { PushReceipt(idempotencyKey: $0.idempotencyKey, recordKey: $0.recordKey, status: .failed, message: message) }
                            logger.error("push call failed", metadata: ["sync.connector": "\(name)", "sync.records": "\(items.count)"])
                        }
                        try store.recordPush(target: name, items: items, receipts: receipts, runID: runID)
                        for receipt in receipts {
                            switch receipt.status {
                            case .applied: report.applied += 1
                            case .alreadyApplied: report.alreadyApplied += 1
                            case .failed: report.failed += 1
                            }
                        }
                    }
                }
                console.printPushSummary(report)
                outcome.push.append(report)
            }
            let failedTargets = outcome.push.filter { $0.failed > 0 }.count
            if let runID {
                let status: RunStatus = failedTargets == 0 ? .succeeded : .partial
                try store.finishRun(runID, status: status, error: failedTargets == 0 ? nil : "\(failedTargets) target(s) refused some items")
            }
            outcome.exitCode = failedTargets == 0 ? 0 : 3
            return outcome
        }
    }

    static func sample(of plan: FeedbackPlan, count: Int) -> [PushReport.SampleDiff] {
        let picked = Array((plan.updates + plan.retractions + plan.creates).prefix(count))
        return picked.map { change in
            PushReport.SampleDiff(
                recordKey: change.item.recordKey,
                action: change.previous == nil ? "create" : change.item.feedback.isRetraction ? "retract" : "update",
                changes: FeedbackPlan.diff(from: change.previous, to: change.payload).map { PushReport.FieldChange(field: $0.field, old: $0.old, new: $0.new) })
        }
    }
}
