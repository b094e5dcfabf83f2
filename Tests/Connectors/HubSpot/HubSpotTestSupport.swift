import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SyncHubCore
import SyncHubHTTP
@testable import SyncHubSandbox
import Synchronization
import Testing

@testable import HubSpotConnector

/// The simulation's clock: the real time plus an offset tests move by hand, so HubSpot's `Date` header (the real
/// clock) and the data's timestamps stay close, as they are at HubSpot.
final class SimulatedClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    private let monotonicStart = ContinuousClock.now

    var date: @Sendable () -> Date { { Date().addingTimeInterval(self.offset.withLock { $0 }) } }
    /// The connector's clock (budgets, OAuth expiry), moved by the same offset.
    var instant: @Sendable () -> ContinuousClock.Instant {
        { ContinuousClock.now + .milliseconds(Int64(self.offset.withLock { $0 } * 1000)) }
    }

    func advance(seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}

/// Every request the simulated API answered: method, path and status.
final class RequestLog: Sendable {
    struct Entry: Sendable {
        var method: String
        var path: String
        var status: Int
    }

    private let entries = Mutex<[Entry]>([])
    var all: [Entry] { entries.withLock { $0 } }
    func add(_ entry: Entry) { entries.withLock { $0.append(entry) } }
    func count(_ method: String, _ prefix: String) -> Int { all.filter { $0.method == method && $0.path.hasPrefix(prefix) }.count }
    func count(status: Int) -> Int { all.filter { $0.status == status }.count }
    func reset() { entries.withLock { $0 = [] } }
}

struct LoggingMiddleware<Context: RequestContext>: RouterMiddleware {
    let log: RequestLog
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        log.add(.init(method: request.method.rawValue, path: request.uri.path, status: Int(response.status.code)))
        return response
    }
}

/// A HubSpot simulation served on 127.0.0.1 (a free port) while `body` runs.
struct SimulatedHubSpot {
    let simulator: HubSpotSimulator
    let clock: SimulatedClock
    let log: RequestLog
    let baseURL: URL
}

/// Starts a simulation with generous rate limits (the connector's own budget is tested separately) and runs `body`.
func withSimulatedHubSpot<T>(
    contacts: Int = 300, seed: UInt64 = 7, _ body: (SimulatedHubSpot) async throws -> T
) async throws -> T {
    let clock = SimulatedClock()
    let simulator = HubSpotSimulator(seed: seed, contacts: contacts, now: clock.date)
    simulator.faults.burstLimit = 1_000_000
    simulator.faults.searchRequestsPerSecond = 1_000_000
    simulator.faults.dailyLimit = 100_000_000
    let log = RequestLog()
    let router = Router()
    router.add(middleware: LoggingMiddleware(log: log))
    simulator.addRoutes(to: router)
    return try await withLoopbackServer(router) { baseURL in
        try await body(SimulatedHubSpot(simulator: simulator, clock: clock, log: log, baseURL: baseURL))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A logger that drops everything (retries are logged at `info`).
let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Retries without waiting; tests never sleep.
final class SleepRecorder: Sendable {
    private let values = Mutex<[Duration]>([])
    var durations: [Duration] { values.withLock { $0 } }
    var sleep: @Sendable (Duration) async throws -> Void { { duration in self.values.withLock { $0.append(duration) } } }
}

extension SimulatedHubSpot {
    /// A transport that retries at once (recording the waits) on the simulation's clock.
    func transport(maxAttempts: Int = 5, sleeper: SleepRecorder = SleepRecorder()) -> HubSpotTransport {
        HubSpotTransport(
            http: HTTPClientConfiguration(
                timeout: .seconds(30), maxAttempts: maxAttempts, initialBackoff: .milliseconds(1),
                maxBackoff: .seconds(60), jitter: false),
            sleep: sleeper.sleep, now: clock.instant, wallClock: clock.date)
    }

    /// The configuration tests start from: the simulation's token, every stream, and email events from the start of
    /// the simulation's data in one window.
    func configuration(token: String = "sandbox-token") -> HubSpotConfiguration {
        var configuration = HubSpotConfiguration(credentials: .accessToken(token), baseURL: baseURL)
        configuration.emailEventsStart = Int64((clock.date().timeIntervalSince1970 - 400 * 86_400) * 1000)
        configuration.emailEventsWindowDays = 500
        configuration.requestsPerTenSeconds = 10_000
        configuration.searchRequestsPerSecond = 1_000
        return configuration
    }

    func instance(
        _ configuration: HubSpotConfiguration? = nil, name: String = "hubspot", maxAttempts: Int = 5,
        sleeper: SleepRecorder = SleepRecorder()
    ) -> ConnectorInstance {
        HubSpotConnector.make(
            name: name, configuration: configuration ?? self.configuration(), logger: quietLogger,
            transport: transport(maxAttempts: maxAttempts, sleeper: sleeper))
    }

    func source(_ configuration: HubSpotConfiguration? = nil, maxAttempts: Int = 5) throws -> HubSpotSource {
        try #require(instance(configuration, maxAttempts: maxAttempts).source as? HubSpotSource)
    }
}

/// What a pull delivered, the way the engine drives one: every batch's checkpoint is committed before the next
/// batch is asked for, and a retryable failure restarts the stream from the last committed checkpoint.
struct DrivenPull {
    var records: [SourceRecord] = []
    var batches: [RecordBatch] = []
    var checkpoint: Checkpoint?
    var restarts = 0
    /// The error that stopped the pull (budget exhausted, or a non-retryable failure).
    var stoppedBy: ConnectorError?

    var ids: [String] { records.map(\.externalID) }
    var liveIDs: [String] { records.filter { !$0.isDeleted }.map(\.externalID) }
}

func drive(
    _ source: any SourceConnector, _ streamName: String, from checkpoint: Checkpoint? = nil, maxRestarts: Int = 50,
    afterBatch: (Int) async throws -> Void = { _ in }
) async throws -> DrivenPull {
    let stream = try #require(try await source.streams().first { $0.name == streamName })
    var result = DrivenPull(checkpoint: checkpoint)
    var batchNumber = 0
    while true {
        do {
            for try await batch in source.pull(stream, resumingAfter: result.checkpoint) {
                result.records += batch.records
                result.batches.append(batch)
                if let checkpoint = batch.checkpoint { result.checkpoint = checkpoint }
                batchNumber += 1
                try await afterBatch(batchNumber)
            }
            return result
        } catch let error as ConnectorError where error.isRetryable && result.restarts < maxRestarts {
            result.restarts += 1
        } catch let error as ConnectorError {
            result.stoppedBy = error
            return result
        }
    }
}

/// Ids appearing more than once.
func duplicates(_ ids: [String]) -> [String] {
    var seen = Set<String>()
    var twice = Set<String>()
    for id in ids where !seen.insert(id).inserted { twice.insert(id) }
    return twice.sorted()
}

extension SourceRecord {
    var contact: Contact? {
        if case .contact(let value)? = normalized { return value }
        return nil
    }

    var deal: Deal? {
        if case .deal(let value)? = normalized { return value }
        return nil
    }

    var touch: Touch? {
        if case .touch(let value)? = normalized { return value }
        return nil
    }

    var campaign: Campaign? {
        if case .campaign(let value)? = normalized { return value }
        return nil
    }

    var link: DealContactLink? {
        if case .dealContact(let value)? = normalized { return value }
        return nil
    }

    var activity: Activity? {
        if case .activity(let value)? = normalized { return value }
        return nil
    }

    var json: JSONValue { (try? JSONValue.parse(payload)) ?? .null }
}

/// What the simulation holds, read directly, to compare pulls with.
extension HubSpotSimulator {
    /// Live records of `type`: id → property values.
    func liveRecords(_ type: HubSpotObjectType) -> [String: [String: String]] {
        store.withLock { store in
            var out: [String: [String: String]] = [:]
            let table = store[type]
            for position in 0..<table.count where table[position].isLive {
                out[table[position].idText] = table[position].values
            }
            return out
        }
    }

    /// `deal:contact` for every live deal's contacts.
    func dealContactLinks() -> Set<String> {
        store.withLock { store in
            var out = Set<String>()
            let deals = store[.deals]
            for position in 0..<deals.count where deals[position].isLive {
                let deal = deals[position].id
                for contact in store.associations.targets(of: deal, .deals, to: .contacts) { out.insert("\(deal):\(contact)") }
            }
            return out
        }
    }

    /// Every email event: id and type.
    func emailEvents() -> [(id: String, type: String, campaign: String)] {
        store.withLock { store in store.email.events.map { ($0.id, $0.type, String($0.campaignID)) } }
    }

    func campaignIDs() -> Set<String> { store.withLock { Set($0.email.campaigns.map { String($0.id) }) } }

    /// Every campaign the connector reads with all streams: email campaigns, `form:<guid>` and `event:<objectId>`.
    func allCampaignKeys() -> Set<String> {
        campaignIDs().union(formIDs().map { "form:\($0)" }).union(marketingEventIDs().map { "event:\($0)" })
    }

    /// Ids of the `to` records linked to record `id` of type `from`, in link order.
    func linked(_ id: String, _ from: HubSpotObjectType, to: HubSpotObjectType) -> [String] {
        store.withLock { store in
            store.associations.targets(of: Int64(id) ?? 0, from, to: to).map(String.init)
        }
    }

    /// The primary company of a deal.
    func primaryCompany(ofDeal id: String) -> String? {
        store.withLock { store in
            let deal = Int64(id) ?? 0
            return store.associations.targets(of: deal, .deals, to: .companies)
                .first { store.associations.isPrimary(deal, .deals, target: $0, .companies) }.map(String.init)
        }
    }

    /// Every form submission: conversion id → (form, submitted at).
    func allSubmissions() -> [String: (form: String, submittedAt: Int64)] {
        store.withLock { store in
            var out: [String: (form: String, submittedAt: Int64)] = [:]
            for form in store.forms { for submission in form.submissions { out[submission.conversionID] = (form.id, submission.submittedAt) } }
            return out
        }
    }

    /// Every participation: id → (event, contact id, state).
    func allParticipations() -> [String: (event: String, contact: String, state: String)] {
        store.withLock { store in
            var out: [String: (event: String, contact: String, state: String)] = [:]
            for event in store.marketingEvents {
                for participation in event.participations {
                    out[participation.id] = (event.objectID, String(participation.contactID), participation.state)
                }
            }
            return out
        }
    }

    /// The marketing events: id → (end time, type).
    func marketingEvents() -> [String: (endMs: Int64, type: String)] {
        store.withLock { store in
            Dictionary(uniqueKeysWithValues: store.marketingEvents.map { ($0.objectID, ($0.endMs, $0.type)) })
        }
    }
}
