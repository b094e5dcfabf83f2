import Foundation
import Hummingbird
import Logging
@testable import SalesforceConnector
import SyncHubCore
import SyncHubHTTP
import SyncHubSandbox
import SyncHubTesting
import Synchronization
import Testing

/// A clock the simulator reads (token expiry, `SystemModstamp` of changes, the API day); tests move it by hand, in
/// whole seconds as Salesforce stamps are.
final class SimulatedClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) { current = Mutex(start) }
    func advance(seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var now: @Sendable () -> Date { { self.current.withLock { $0 } } }
}

/// Runs a Salesforce simulator on 127.0.0.1 (a free port) over real HTTP for the duration of `body`, which gets its
/// base URL; the server stops when `body` returns or throws.
func withSimulator<T>(_ simulator: SalesforceSimulator, _ body: (URL) async throws -> T) async throws -> T {
    let router = Router()
    simulator.addRoutes(to: router)
    return try await withLoopbackServer(router, body)
}


/// A logger that drops everything (tests that inspect logs use ``LogRecorder``).
let quietLogger: Logger = {
    var logger = Logger(label: "salesforce-tests")
    logger.logLevel = .critical
    return logger
}()

/// Retries without waiting: tests never sleep.
let fastRetries = HTTPClientConfiguration(
    timeout: .seconds(20), maxAttempts: 5, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(2), jitter: false)

/// The simulator's credentials, pointed at `base`.
func configuration(
    _ base: URL, batchSize: Int = 2000, share: Double = 0.8, streams: [SalesforceStream] = SalesforceStream.allCases,
    feedback: SalesforceFeedbackConfiguration? = nil, refreshToken: String = SalesforceSimulator.refreshToken
) -> SalesforceConfiguration {
    SalesforceConfiguration(
        clientID: SalesforceSimulator.clientID, clientSecret: SalesforceSimulator.clientSecret,
        refreshToken: refreshToken, loginURL: base, batchSize: batchSize, maxDailyAPIShare: share, streams: streams,
        lossReasonField: "Loss_Reason__c", feedback: feedback)
}

func makeAPI(_ configuration: SalesforceConfiguration, logger: Logger = quietLogger) -> SalesforceAPI {
    SalesforceAPI(connector: "crm", configuration: configuration, logger: logger, http: fastRetries, sleep: { _ in })
}

func makeSource(_ configuration: SalesforceConfiguration, logger: Logger = quietLogger) -> SalesforceSource {
    SalesforceSource(api: makeAPI(configuration, logger: logger), logger: logger)
}

/// An unconverted lead's id (Salesforce refuses updates to converted ones).
func unconvertedLead(_ api: SalesforceAPI) async throws -> String {
    let open = try await api.query(
        "SELECT Id FROM Lead WHERE IsConverted = false LIMIT 1", includeDeleted: false, batchSize: nil, stream: nil)
    return try #require(open.records.first?["Id"]?.text)
}

extension SalesforceStream {
    var descriptorForTests: StreamDescriptor { descriptor }
}

/// Reads a stream to its end.
func readAll(_ source: SalesforceSource, _ stream: SalesforceStream, after checkpoint: Checkpoint? = nil) async throws -> [RecordBatch] {
    try await SourceConformance.read(source, stream.descriptor, after: checkpoint)
}

extension [RecordBatch] {
    var records: [SourceRecord] { flatMap(\.records) }
    var ids: [String] { records.map(\.externalID) }
    var lastCheckpoint: Checkpoint? { last(where: { $0.checkpoint != nil })?.checkpoint }
}

extension SourceRecord {
    var json: JSONValue { (try? JSONValue.parse(payload)) ?? .null }
}

/// Keeps every log entry, rendered with its metadata, for assertions.
final class LogRecorder: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ line: String) { storage.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.append("\(event.level) \(event.message) \(merged.map { "\($0)=\($1)" }.sorted().joined(separator: " "))")
        }
    }
}
