import ArgumentParser
import Foundation
import Logging
import SyncHubConfiguration
import SyncHubCore
import SyncHubSchedule
import SyncHubStore

extension SyncHubApp {
    /// This app, waiting up to `wait` for another run's store lock.
    func waitingForLock(_ wait: Duration) -> SyncHubApp {
        var copy = self
        copy.lockWait = wait
        return copy
    }

    /// Runs `body` holding the store's sync lock (waiting ``lockWait`` for it, renewing it while `body` runs), and
    /// records the API requests `body` sent in the store's daily API usage.
    func runLocked<T: Sendable>(_ store: StoreDatabase, command: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let meter = APIUsageMeter()
        defer {
            let usage = meter.usage
            try? store.recordAPIUsage(usage)
            APIUsageMeter.current?.add(usage)
        }
        do {
            return try await StoreLocking.withLock(store: store, command: command, wait: lockWait, logger: logger) {
                try await APIUsageMeter.$current.withValue(meter) { try await body() }
            }
        } catch let error as StoreLockedError {
            throw StoreBusy(description: error.description)
        } catch let error as StoreLockTimeout {
            throw StoreBusy(description: error.description)
        } catch let error as StoreLockWaitCancelled {
            throw StoreBusy(description: error.description)
        }
    }

    /// The `schedules:` section, checked against the configured connectors; problems exit with code 78.
    func schedules() throws -> [ConnectorSchedule] {
        let sources = instances.filter { $0.instance.source != nil }.map(\.entry.name)
        let targets = instances.filter { $0.instance.feedback != nil }.map(\.entry.name)
        do {
            return try ScheduleConfiguration.parse(try configuration.section("schedules"), sources: sources, targets: targets)
        } catch let error as ScheduleConfigurationError {
            throw ConfigurationProblem(error.description)
        } catch let error as ConfigurationError {
            throw ConfigurationProblem(error.description)
        }
    }

    /// `synchub schedule`: runs the schedules until SIGTERM or SIGINT, with `/health` and `/metrics` if asked.
    func schedule(metricsHost: String, metricsPort: Int?) async throws {
        let schedules = try schedules()
        guard !schedules.isEmpty else {
            let names = instances.filter { $0.instance.source != nil }.map(\.entry.name)
            throw ConfigurationProblem(
                "\(global.config): error: schedules: nothing to run; add a `schedules:` section, such as\n"
                    + "schedules:\n" + names.prefix(2).map { "  \($0): { every: 15m }\n" }.joined())
        }
        let store = try openStore()
        let export = PrometheusExport()
        let metrics = SchedulerMetrics(factory: export.factory)
        let counts = try problemCounts(store)
        metrics.recordStoreCounts(quarantined: counts.quarantined, deadLettered: counts.deadLettered)
        let app = self
        let scheduler = Scheduler(
            schedules: schedules, clock: ContinuousClock(), store: store, logger: logger, metrics: metrics
        ) { run in
            await app.scheduledRun(run)
        }
        let startedAt = Date()
        var server: MonitoringServer?
        if let metricsPort {
            let logger = logger
            server = MonitoringServer(
                host: metricsHost, port: metricsPort, export: export, logger: logger,
                health: { HealthReport(states: scheduler.snapshot, running: scheduler.runningConnectors, startedAt: startedAt) },
                onListening: { port in
                    logger.notice("serving /health and /metrics", metadata: ["metrics.url": "http://\(metricsHost):\(port)"])
                })
        }
        var serviceLogger = logger
        serviceLogger.logLevel = max(logger.logLevel, .notice)
        logger.notice(
            "scheduler started",
            metadata: [
                "schedule.connectors": "\(schedules.map { "\($0.connector): \($0.spec)" }.joined(separator: "; "))",
                "sync.store": "\(storePath)",
            ])
        try await ScheduleService.run(scheduler, server: server, logger: serviceLogger)
        logger.notice("scheduler stopped")
    }

    /// Quarantined records per source and dead-lettered feedback per target, 0 for those without any.
    func problemCounts(_ store: StoreDatabase) throws -> (quarantined: [String: Int], deadLettered: [String: Int]) {
        var quarantined = try store.quarantineCounts()
        var deadLettered = try store.deadLetterCounts()
        for (entry, instance) in instances {
            if instance.source != nil, quarantined[entry.name] == nil { quarantined[entry.name] = 0 }
            if instance.feedback != nil, deadLettered[entry.name] == nil { deadLettered[entry.name] = 0 }
        }
        return (quarantined, deadLettered)
    }

    /// One scheduled run: the connector's pull (with identity resolution), then a push to every target if asked and
    /// the pull did not fail. Nothing goes to standard output; the scheduler logs the outcome.
    func scheduledRun(_ run: ScheduledRun) async -> ScheduledRunResult {
        let started = ContinuousClock.now
        let meter = APIUsageMeter()
        var result: ScheduledRunResult
        do {
            let outcome = try await APIUsageMeter.$current.withValue(meter) {
                try await Console.$isQuiet.withValue(true) {
                    var outcome = try await pull(connectors: [run.connector], streams: [], fullRefresh: false, command: "schedule: pull \(run.connector)")
                    if run.push, !Task.isCancelled, outcome.exitCode != ExitCodes.failure.rawValue {
                        let pushed = try await push(targets: [], dryRun: false, command: "schedule: push")
                        for report in pushed.push {
                            logger.notice(
                                "pushed feedback",
                                metadata: [
                                    "sync.connector": "\(report.target)", "push.created": "\(report.create)",
                                    "push.updated": "\(report.update)", "push.retracted": "\(report.retract)",
                                    "push.unchanged": "\(report.unchanged)",
                                    "push.failed": "\(report.failed)",
                                ])
                        }
                        outcome.merge(pushed)
                    }
                    return outcome
                }
            }
            result = Self.result(of: outcome, cancelled: Task.isCancelled)
        } catch let error as StoreBusy {
            result = ScheduledRunResult(outcome: Task.isCancelled ? .interrupted : .skipped, error: error.description)
        } catch is CancellationError {
            result = ScheduledRunResult(outcome: .interrupted, error: "stopped before it started")
        } catch {
            result = ScheduledRunResult(outcome: Task.isCancelled ? .interrupted : .failed, error: String(describing: error))
        }
        result.apiUsage = meter.usage
        if let store = try? openStore(), let counts = try? problemCounts(store) {
            (result.quarantined, result.deadLettered) = counts
        }
        result.seconds = DurationText.seconds(ContinuousClock.now - started)
        return result
    }

    static func result(of outcome: RunOutcome, cancelled: Bool) -> ScheduledRunResult {
        let streams = outcome.pull?.streams ?? []
        let failedStreams = streams.filter { $0.status == .failed }
        var errors = failedStreams.map { stream in
            let error = stream.error ?? "failed"
            return error.hasPrefix("\(stream.connector)/\(stream.stream):") ? error : "\(stream.connector)/\(stream.stream): \(error)"
        }
        let refusedTargets = outcome.push.filter { $0.failed > 0 }
        errors += refusedTargets.map { "push to \($0.target): \($0.failed) record(s) refused (dead-lettered)" }
        let status = outcome.pull.flatMap { RunStatus(rawValue: $0.status) } ?? .succeeded
        let interrupted = cancelled && (status == .paused || streams.contains { $0.status == .paused })
        let kind: ScheduledRunResult.Outcome
        if interrupted {
            kind = .interrupted
        } else {
            switch status {
            case .failed: kind = .failed
            case .partial: kind = .partial
            case .paused: kind = refusedTargets.isEmpty ? .paused : .partial
            case .succeeded, .running: kind = refusedTargets.isEmpty ? .succeeded : .partial
            }
        }
        return ScheduledRunResult(
            outcome: kind, error: errors.isEmpty ? nil : errors.joined(separator: "; "), runID: outcome.pull?.runID,
            streams: streams)
    }
}
