public import Foundation
#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif
import Logging
import SyncHubCore
public import SyncHubHTTP

/// What a connector instance uses to reach HubSpot besides its settings: HTTP tuning, the session, and clocks.
/// Tests inject a no-op `sleep` and their own clocks; production uses the defaults.
public struct HubSpotTransport: Sendable {
    public var http: HTTPClientConfiguration
    public var session: URLSession
    /// Waits between retries and for the request budget.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// The clock budgets and OAuth expiry use.
    public var now: @Sendable () -> ContinuousClock.Instant
    /// Wall-clock time, for choosing email-event windows and snapshot due dates (HubSpot's own clock, from its
    /// `Date` header, is used for cursors whenever a response has been seen).
    public var wallClock: @Sendable () -> Date

    public init(
        http: HTTPClientConfiguration = .init(), session: URLSession = APIClient.defaultSession,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        wallClock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.http = http
        self.session = session
        self.sleep = sleep
        self.now = now
        self.wallClock = wallClock
    }
}

/// A JSON answer with HubSpot's clock reading.
struct HubSpotReply: Sendable {
    var json: JSONValue
    /// HubSpot's time when it answered (its `Date` header), ms since 1970; the local clock when absent.
    var serverTime: Int64
    var status: Int
    /// The body as received, for cutting records' raw payloads out of it (``HubSpotRawJSON``).
    var body = Data()
}

/// HubSpot's API as the connector uses it: one ``APIClient`` with the instance's request budget, search pacing,
/// and errors that name the OAuth scope a refusal is about.
final class HubSpotAPI: Sendable {
    let connector: String
    let baseURL: URL
    let client: APIClient
    /// Search endpoints have their own, lower limit (about 5 per second): searches take from this one too.
    let searchBudget: RequestBudget
    let budget: RequestBudget
    let auth: any AuthProvider
    let wallClock: @Sendable () -> Date

    init(connector: String, configuration: HubSpotConfiguration, transport: HubSpotTransport, logger: Logger) {
        self.connector = connector
        self.baseURL = configuration.baseURL
        self.wallClock = transport.wallClock
        budget = RequestBudget(
            burst: configuration.requestsPerTenSeconds, per: .seconds(10), daily: configuration.dailyRequestLimit,
            reserve: configuration.dailyReserve, now: transport.now, sleep: transport.sleep)
        searchBudget = RequestBudget(
            burst: configuration.searchRequestsPerSecond, per: .seconds(1), now: transport.now, sleep: transport.sleep)
        switch configuration.credentials {
        case .accessToken(let token):
            auth = BearerToken(token, setting: "accessToken")
        case .oauth(let clientID, let clientSecret, let refreshToken, let tokenURL):
            auth = OAuthRefreshToken(
                tokenURL: tokenURL, clientID: clientID, clientSecret: clientSecret, refreshToken: refreshToken,
                connector: connector, settings: configuration.credentialSettings, configuration: transport.http,
                logger: logger, session: transport.session, now: transport.now, sleep: transport.sleep)
        }
        client = APIClient(
            connector: connector, configuration: transport.http, auth: auth, budget: budget, logger: logger,
            session: transport.session, sleep: transport.sleep)
    }

    /// Requests sent so far (retries included).
    var requestCount: Int { client.requestCount }

    // MARK: - Requests

    func url(_ path: String, query: [(String, String)] = []) -> URL {
        var text = baseURL.absoluteString
        if text.hasSuffix("/") { text.removeLast() }
        text += path
        if !query.isEmpty {
            text += "?" + query.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        }
        return URL(string: text)!
    }

    func get(_ path: String, query: [(String, String)] = [], stream: String?, scope: String) async throws -> HubSpotReply {
        try await send(.get(url(path, query: query), headers: [("Accept", "application/json")]), stream: stream, scope: scope)
    }

    func post(
        _ path: String, json: JSONValue, query: [(String, String)] = [], stream: String?, scope: String,
        isSearch: Bool = false
    ) async throws -> HubSpotReply {
        if isSearch {
            do { try await searchBudget.acquire() } catch var error as ConnectorError {
                error.connector = connector
                error.stream = stream
                throw error
            }
        }
        return try await send(
            .post(url(path, query: query), json: json, headers: [("Accept", "application/json")]), stream: stream,
            scope: scope)
    }

    func patch(_ path: String, json: JSONValue, stream: String?, scope: String) async throws -> HubSpotReply {
        try await send(.patch(url(path), json: json, headers: [("Accept", "application/json")]), stream: stream, scope: scope)
    }

    /// Sends a request and parses its JSON body; a refusal of the credentials names the scope `scope`.
    func send(_ request: HTTPRequest, stream: String?, scope: String) async throws -> HubSpotReply {
        let response: HTTPResponse
        do {
            response = try await client.send(request, stream: stream)
        } catch var error as ConnectorError where error.code == .authentication {
            if !error.message.contains("token endpoint") {
                error.message += " (HubSpot needs the \(scope) scope for this)"
            }
            throw error
        }
        let json: JSONValue
        if response.body.isEmpty {
            json = .null
        } else {
            do { json = try response.json() } catch {
                throw ConnectorError(
                    .invalidData,
                    "\(request.method) \(request.loggablePath): HubSpot answered HTTP \(response.status) with a body that "
                        + "is not JSON (\(error)); check that the connector's baseURL points at HubSpot's API",
                    connector: connector, stream: stream)
            }
        }
        let serverTime = response.header("Date").flatMap(Self.parseHTTPDate)
            ?? Int64((wallClock().timeIntervalSince1970 * 1000).rounded(.down))
        return HubSpotReply(json: json, serverTime: serverTime, status: response.status, body: response.body)
    }

    // MARK: - Helpers

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~,".utf8)

    /// Percent-encodes a query component; `+`, `/` and `=` (in base64 offsets) are encoded, commas are kept.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                out.append(Character(Unicode.Scalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Milliseconds of an IMF-fixdate (`Tue, 15 Nov 1994 08:12:31 GMT`).
    static func parseHTTPDate(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count >= 5, let day = Int(parts[1]), let month = months.firstIndex(of: parts[2].lowercased()),
            let year = Int(parts[3])
        else { return nil }
        let pad = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return Timestamps.milliseconds("\(year)-\(pad(month + 1))-\(pad(day))T\(parts[4])Z")
    }
}

extension JSONValue {
    /// The members of an array; empty for anything else.
    var items: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
}

/// Milliseconds since 1970 of a HubSpot time value (ISO-8601 or epoch milliseconds).
func hubSpotMilliseconds(_ text: String?) -> Int64? {
    guard let text, !text.isEmpty else { return nil }
    return Timestamps.milliseconds(text)
}

/// ISO-8601 with milliseconds, for cursors and messages.
func isoTime(_ ms: Int64) -> String { Timestamps.format(millisecondsSinceEpoch: ms, withMilliseconds: true) }

extension HubSpotAPI {
    /// Every result of a list endpoint paged with `after` (`paging.next.after`), for small lists (forms, marketing
    /// events) read whole in one step.
    func listAll(_ path: String, limit: Int, query: [(String, String)] = [], stream: String, scope: String) async throws -> [JSONValue] {
        var results: [JSONValue] = []
        var after: String?
        for _ in 0..<10_000 {
            var parameters = query + [("limit", String(limit))]
            if let after { parameters.append(("after", after)) }
            let reply = try await get(path, query: parameters, stream: stream, scope: scope)
            results += reply.json["results"]?.items ?? []
            guard let next = reply.json["paging"]?["next"]?["after"]?.text, !next.isEmpty, next != after else { return results }
            after = next
        }
        throw ConnectorError(
            .invalidData, "GET \(path): paging did not end after 10,000 pages; report this as a connector bug",
            connector: connector, stream: stream)
    }

    /// Milliseconds since 1970 on the local clock.
    var nowMilliseconds: Int64 { Int64((wallClock().timeIntervalSince1970 * 1000).rounded(.down)) }
}
