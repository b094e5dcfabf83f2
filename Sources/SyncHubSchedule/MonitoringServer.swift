public import Foundation
import HTTPTypes
import Hummingbird
public import Logging
public import ServiceLifecycle
public import SyncHubStore
import Synchronization

/// What `/health` answers: overall status and each schedule's last and next run.
public struct HealthReport: Sendable, Encodable {
    public struct LastRun: Sendable, Encodable {
        public var startedAt: String?
        public var finishedAt: String?
        public var outcome: String?
    }

    public struct ConnectorHealth: Sendable, Encodable {
        public var connector: String
        public var schedule: String
        public var running: Bool
        public var nextRunAt: String?
        public var lastRun: LastRun?
        public var lastSuccessAt: String?
        public var lastFailureAt: String?
        public var lastError: String?
        public var consecutiveFailures: Int
        public var backoffUntil: String?
    }

    /// `ok`, or `failing` when a connector's last run failed (it is backing off).
    public var status: String
    public var startedAt: String
    public var connectors: [ConnectorHealth]

    public init(states: [ScheduleState], running: Set<String>, startedAt: Date) {
        connectors = states.map { state in
            ConnectorHealth(
                connector: state.connector, schedule: state.spec, running: running.contains(state.connector),
                nextRunAt: state.nextRunAt.map(StoreTime.text),
                lastRun: state.lastStartedAt == nil ? nil : LastRun(
                    startedAt: state.lastStartedAt.map(StoreTime.text), finishedAt: state.lastFinishedAt.map(StoreTime.text),
                    outcome: state.lastOutcome),
                lastSuccessAt: state.lastSuccessAt.map(StoreTime.text), lastFailureAt: state.lastFailureAt.map(StoreTime.text),
                lastError: state.lastError, consecutiveFailures: state.consecutiveFailures,
                backoffUntil: state.backoffUntil.map(StoreTime.text))
        }
        status = connectors.contains { $0.consecutiveFailures > 0 } ? "failing" : "ok"
        self.startedAt = StoreTime.text(startedAt)
    }
}

/// The HTTP endpoint of `synchub schedule --metrics-port`: `GET /health` (JSON) and `GET /metrics` (Prometheus
/// text). It stops with the service group.
public struct MonitoringServer: Service {
    let host: String
    let port: Int
    let export: PrometheusExport
    let health: @Sendable () -> HealthReport
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void

    /// - Parameters:
    ///   - port: 0 picks a free port; `onListening` gets the one bound.
    public init(
        host: String = "127.0.0.1", port: Int, export: PrometheusExport, logger: Logger,
        health: @escaping @Sendable () -> HealthReport, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.export = export
        self.health = health
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let router = Router()
        let export = export
        let health = health
        router.get("/metrics") { _, _ -> Response in
            Self.response(.ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: Array(export.text().utf8))
        }
        router.get("/health") { _, _ -> Response in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = (try? encoder.encode(health())) ?? Data("{\"status\":\"unknown\"}".utf8)
            return Self.response(.ok, contentType: "application/json", body: Array(body) + [0x0A])
        }
        var serverLogger = logger
        serverLogger.logLevel = .warning
        let onListening = onListening
        let port = port
        let listening = Mutex(false)
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "synchub"),
            onServerRunning: { channel in
                listening.withLock { $0 = true }
                await onListening(channel.localAddress?.port ?? port)
            }, logger: serverLogger)
        do {
            try await app.run()
        } catch where !listening.withLock({ $0 }) {
            throw MonitoringServerError(host: host, port: port, cause: String(describing: error))
        }
    }

    static func response(_ status: HTTPResponse.Status, contentType: String, body: [UInt8]) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// The monitoring endpoint could not listen.
public struct MonitoringServerError: Error, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var cause: String

    public var description: String {
        "cannot serve /health and /metrics on \(host):\(port) (\(cause)); choose another --metrics-port or "
            + "--metrics-host, or stop what uses it"
    }
}
