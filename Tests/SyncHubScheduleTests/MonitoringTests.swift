import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import SyncHubCore
import SyncHubSchedule
import SyncHubStore
import Testing

@Suite struct MonitoringTests {
    var logger: Logger {
        var logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        logger.logLevel = .critical
        return logger
    }

    /// A finished run with two streams and some API use.
    static let run = ScheduledRunResult(
        outcome: .partial, error: "deals: HTTP 503", runID: 7,
        streams: [
            StreamResult(connector: "crm", stream: "contacts", status: .succeeded, counts: CommitCounts(received: 9, inserted: 5, updated: 3, unchanged: 1)),
            StreamResult(connector: "crm", stream: "deals", status: .failed, counts: CommitCounts(received: 2, deleted: 2), error: "HTTP 503"),
        ],
        apiUsage: [APIUsageMeter.Usage(connector: "crm", requests: 12, dailyRemaining: 4988, dailyLimit: 5000)],
        quarantined: ["crm": 3], deadLettered: ["marketing": 2], seconds: 42)

    @Test func metricsCountRecordsRunsErrorsAndAPIUse() {
        let export = PrometheusExport()
        let metrics = SchedulerMetrics(factory: export.factory)
        metrics.recordRun(connector: "crm", result: Self.run)
        metrics.recordRun(connector: "crm", result: Self.run)
        metrics.recordSchedule(ScheduleState(
            connector: "crm", spec: "every 15m", nextRunAt: Date(timeIntervalSince1970: 1_767_607_620), consecutiveFailures: 2))
        metrics.recordStoreCounts(quarantined: [:], deadLettered: ["marketing": 2])
        let text = export.text()
        for line in [
            #"synchub_records_total{connector="crm",stream="contacts",outcome="inserted"} 10"#,
            #"synchub_records_total{connector="crm",stream="contacts",outcome="updated"} 6"#,
            #"synchub_records_total{connector="crm",stream="deals",outcome="deleted"} 4"#,
            #"synchub_runs_total{connector="crm",outcome="partial"} 2"#,
            #"synchub_stream_errors_total{connector="crm",stream="deals"} 2"#,
            #"synchub_api_requests_total{connector="crm"} 24"#,
            #"synchub_api_daily_remaining{connector="crm"} 4988"#,
            #"synchub_api_daily_limit{connector="crm"} 5000"#,
            #"synchub_run_duration_seconds_count{connector="crm"} 2"#,
            #"synchub_run_duration_seconds_bucket{connector="crm",le="60.0"} 2"#,
            #"synchub_schedule_next_run_timestamp_seconds{connector="crm"} 1767607620"#,
            #"synchub_schedule_consecutive_failures{connector="crm"} 2"#,
            // A quarantine emptied since the last run reads 0, not its old count.
            #"synchub_quarantined_records{connector="crm"} 0"#,
            #"synchub_dead_lettered_records{target="marketing"} 2"#,
        ] {
            #expect(text.contains(line), "missing \(line) in\n\(text)")
        }
    }

    /// Runs a monitoring server on a free loopback port for `body`, then stops it.
    func withServer<T: Sendable>(
        export: PrometheusExport, health: @escaping @Sendable () -> HealthReport, _ body: @Sendable (URL) async throws -> T
    ) async throws -> T {
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let server = MonitoringServer(
            host: "127.0.0.1", port: 0, export: export, logger: logger, health: health,
            onListening: { port in sink.yield(port); sink.finish() })
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            return try await body(URL(string: "http://127.0.0.1:\(port)")!)
        }
    }

    @Test(.timeLimit(.minutes(10))) func healthAndMetricsAreServedOverLoopback() async throws {
        let export = PrometheusExport()
        let metrics = SchedulerMetrics(factory: export.factory)
        metrics.recordRun(connector: "crm", result: Self.run)
        let started = Date(timeIntervalSince1970: 1_767_607_620)
        let states = [
            ScheduleState(
                connector: "crm", spec: "every 15m", nextRunAt: started.addingTimeInterval(960), lastStartedAt: started,
                lastFinishedAt: started.addingTimeInterval(42), lastOutcome: "partial", lastFailureAt: started.addingTimeInterval(42),
                lastError: "deals: HTTP 503", consecutiveFailures: 1, backoffUntil: started.addingTimeInterval(102)),
            ScheduleState(connector: "marketing", spec: "cron */5 * * * * (UTC)", nextRunAt: started.addingTimeInterval(180)),
        ]
        try await withServer(export: export, health: { HealthReport(states: states, running: ["marketing"], startedAt: started) }) { base in
            let (metricsBody, metricsResponse) = try await URLSession.shared.data(from: base.appendingPathComponent("metrics"))
            let metricsHTTP = try #require(metricsResponse as? HTTPURLResponse)
            #expect(metricsHTTP.statusCode == 200)
            #expect(metricsHTTP.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(decoding: metricsBody, as: UTF8.self)
            #expect(text.contains(#"synchub_records_total{connector="crm",stream="contacts",outcome="inserted"} 5"#), "\(text)")

            let (healthBody, healthResponse) = try await URLSession.shared.data(from: base.appendingPathComponent("health"))
            #expect((healthResponse as? HTTPURLResponse)?.statusCode == 200)
            let health = try #require(try JSONSerialization.jsonObject(with: healthBody) as? [String: Any])
            #expect(health["status"] as? String == "failing")
            #expect(health["startedAt"] as? String == "2026-01-05T10:07:00.000Z")
            let connectors = try #require(health["connectors"] as? [[String: Any]])
            #expect(connectors.map { $0["connector"] as? String } == ["crm", "marketing"])
            #expect(connectors[0]["consecutiveFailures"] as? Int == 1)
            #expect(connectors[0]["backoffUntil"] as? String == "2026-01-05T10:08:42.000Z")
            #expect(connectors[0]["lastError"] as? String == "deals: HTTP 503")
            #expect((connectors[0]["lastRun"] as? [String: Any])?["outcome"] as? String == "partial")
            #expect(connectors[1]["running"] as? Bool == true)
            #expect(connectors[1]["nextRunAt"] as? String == "2026-01-05T10:10:00.000Z")

            let (_, missing) = try await URLSession.shared.data(from: base.appendingPathComponent("nothing"))
            #expect((missing as? HTTPURLResponse)?.statusCode == 404)
        }
    }

    @Test(.timeLimit(.minutes(10))) func aPortInUseIsAClearError() async throws {
        let export = PrometheusExport()
        try await withServer(export: export, health: { HealthReport(states: [], running: [], startedAt: Date()) }) { base in
            let port = try #require(base.port)
            let second = MonitoringServer(
                port: port, export: export, logger: logger, health: { HealthReport(states: [], running: [], startedAt: Date()) })
            let error = await #expect(throws: MonitoringServerError.self) { try await second.run() }
            #expect(error?.description.hasPrefix("cannot serve /health and /metrics on 127.0.0.1:\(port)") == true)
            #expect(error?.description.contains("choose another --metrics-port") == true)
        }
    }
}
