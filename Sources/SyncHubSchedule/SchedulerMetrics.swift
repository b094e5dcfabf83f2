public import CoreMetrics
import Foundation
public import Prometheus
public import SyncHubCore
public import SyncHubStore
import Synchronization

/// The scheduler's metrics, through swift-metrics (Prometheus text with ``PrometheusExport``):
///
/// | metric | kind | labels |
/// | --- | --- | --- |
/// | `synchub_records_total` | counter | connector, stream, outcome (inserted, updated, unchanged, deleted, quarantined) |
/// | `synchub_runs_total` | counter | connector, outcome (succeeded, partial, failed, paused, interrupted, skipped) |
/// | `synchub_run_duration_seconds` | histogram | connector |
/// | `synchub_stream_errors_total` | counter | connector, stream |
/// | `synchub_api_requests_total` | counter | connector |
/// | `synchub_api_daily_remaining`, `synchub_api_daily_limit` | gauge | connector |
/// | `synchub_quarantined_records` | gauge | connector |
/// | `synchub_dead_lettered_records` | gauge | target |
/// | `synchub_schedule_next_run_timestamp_seconds` | gauge | connector |
/// | `synchub_schedule_last_success_timestamp_seconds` | gauge | connector |
/// | `synchub_schedule_consecutive_failures` | gauge | connector |
public final class SchedulerMetrics: Sendable {
    let factory: any MetricsFactory
    /// Keys seen so far per gauge, so a count that dropped to nothing is reported as 0.
    private let seen = Mutex<[String: Set<String>]>([:])

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Counts a finished run: records per stream and outcome, its duration, failed streams and API requests.
    public func recordRun(connector: String, result: ScheduledRunResult) {
        Counter(label: "synchub_runs_total", dimensions: [("connector", connector), ("outcome", result.outcome.rawValue)], factory: factory)
            .increment()
        Timer(label: "synchub_run_duration_seconds", dimensions: [("connector", connector)], factory: factory)
            .recordNanoseconds(Int64(result.seconds * 1e9))
        for stream in result.streams {
            let counts = stream.counts
            for (outcome, value) in [
                ("inserted", counts.inserted), ("updated", counts.updated), ("unchanged", counts.unchanged),
                ("deleted", counts.deleted), ("quarantined", counts.quarantined),
            ] {
                Counter(
                    label: "synchub_records_total",
                    dimensions: [("connector", stream.connector), ("stream", stream.stream), ("outcome", outcome)], factory: factory
                ).increment(by: value)
            }
            if stream.status == .failed {
                Counter(label: "synchub_stream_errors_total", dimensions: [("connector", stream.connector), ("stream", stream.stream)], factory: factory)
                    .increment()
            }
        }
        recordAPIUsage(result.apiUsage)
        if let quarantined = result.quarantined { recordCounts(quarantined, gauge: "synchub_quarantined_records", label: "connector") }
        if let deadLettered = result.deadLettered { recordCounts(deadLettered, gauge: "synchub_dead_lettered_records", label: "target") }
    }

    /// Adds API requests and sets the daily allowance each system reported.
    public func recordAPIUsage(_ usage: [APIUsageMeter.Usage]) {
        for entry in usage {
            let dimensions = [("connector", entry.connector)]
            Counter(label: "synchub_api_requests_total", dimensions: dimensions, factory: factory).increment(by: entry.requests)
            if let remaining = entry.dailyRemaining {
                Gauge(label: "synchub_api_daily_remaining", dimensions: dimensions, factory: factory).record(remaining)
            }
            if let limit = entry.dailyLimit {
                Gauge(label: "synchub_api_daily_limit", dimensions: dimensions, factory: factory).record(limit)
            }
        }
    }

    /// Sets the quarantine and dead-letter gauges from the store's counts.
    public func recordStoreCounts(quarantined: [String: Int], deadLettered: [String: Int]) {
        recordCounts(quarantined, gauge: "synchub_quarantined_records", label: "connector")
        recordCounts(deadLettered, gauge: "synchub_dead_lettered_records", label: "target")
    }

    /// Sets a connector's schedule gauges: next run, last success, failures in a row.
    public func recordSchedule(_ state: ScheduleState) {
        let dimensions = [("connector", state.connector)]
        if let next = state.nextRunAt {
            Gauge(label: "synchub_schedule_next_run_timestamp_seconds", dimensions: dimensions, factory: factory)
                .record(next.timeIntervalSince1970)
        }
        if let success = state.lastSuccessAt {
            Gauge(label: "synchub_schedule_last_success_timestamp_seconds", dimensions: dimensions, factory: factory)
                .record(success.timeIntervalSince1970)
        }
        Gauge(label: "synchub_schedule_consecutive_failures", dimensions: dimensions, factory: factory)
            .record(state.consecutiveFailures)
    }

    private func recordCounts(_ counts: [String: Int], gauge: String, label: String) {
        let keys = seen.withLock { seen -> Set<String> in
            seen[gauge, default: []].formUnion(counts.keys)
            return seen[gauge]!
        }
        for key in keys.sorted() {
            Gauge(label: gauge, dimensions: [(label, key)], factory: factory).record(counts[key] ?? 0)
        }
    }
}

/// A Prometheus registry fed through swift-metrics, and its text exposition.
public struct PrometheusExport: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["synchub_run_duration_seconds"] = [
            .seconds(1), .seconds(5), .seconds(15), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
            .seconds(600), .seconds(1800), .seconds(3600),
        ]
        self.factory = factory
    }

    /// The metrics in Prometheus text format (version 0.0.4).
    public func text() -> String {
        registry.emitToString()
    }
}
