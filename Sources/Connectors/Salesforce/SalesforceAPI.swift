#if canImport(FoundationNetworking)
import Foundation
public import FoundationNetworking
#else
public import Foundation
#endif
public import Logging
import SyncHubCore
public import SyncHubHTTP
import Synchronization

/// One connector instance's conversation with Salesforce: OAuth tokens, the API base, and the org's daily API
/// allowance, shared by its streams and its feedback pushes.
///
/// Every request goes through ``APIClient`` (retries with backoff on 5xx and resets, one token refresh and replay
/// on 401 `INVALID_SESSION_ID`, `REQUEST_LIMIT_EXCEEDED` as budget exhausted). Before each request but the first of
/// a pull or a push, the share of the daily allowance Salesforce last reported (`Sforce-Limit-Info:
/// api-usage=used/limit`) is compared with `maxDailyAPIShare`; above it, the request is not sent and
/// ``ConnectorError/Code/budgetExhausted`` is thrown. The first request always goes out: its answer says whether the
/// allowance has recovered, so a paused stream costs at most one request per run.
public final class SalesforceAPI: Sendable {
    public let connector: String
    public let configuration: SalesforceConfiguration
    public let auth: OAuthRefreshToken
    public let client: APIClient

    /// The org's daily API use as last reported.
    public struct Usage: Sendable, Hashable {
        public var used: Int
        public var limit: Int
        public var share: Double { limit > 0 ? Double(used) / Double(limit) : 1 }
    }

    private let usageState = Mutex<Usage?>(nil)

    /// - Parameters:
    ///   - connector: the instance name in `connectors.yml`, for errors, logs and setting names.
    ///   - http: timeouts and retries; tests shorten the backoff.
    ///   - sleep: waits between retries; tests inject one that returns at once.
    public init(
        connector: String, configuration: SalesforceConfiguration, logger: Logger,
        http: HTTPClientConfiguration = .init(), session: URLSession = APIClient.defaultSession,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.connector = connector
        self.configuration = configuration
        let auth = OAuthRefreshToken(
            tokenURL: configuration.tokenURL, clientID: configuration.clientID, clientSecret: configuration.clientSecret,
            refreshToken: configuration.refreshToken, connector: connector,
            settings: ["clientId", "clientSecret", "refreshToken", "loginURL"], configuration: http, logger: logger,
            session: session, sleep: sleep)
        self.auth = auth
        self.client = APIClient(
            connector: connector, configuration: http, auth: auth, budget: nil, logger: logger, session: session,
            sleep: sleep)
    }

    /// `/services/data/v62.0`.
    public var dataPath: String { "/services/data/\(configuration.apiVersion)" }

    /// The daily API use Salesforce last reported, if any response said.
    public var usage: Usage? { usageState.withLock { $0 } }

    /// Requests put on the wire by the API client (token requests not included).
    public var requestCount: Int { client.requestCount }

    // MARK: Requests

    /// `GET` of a path under the instance (`/services/data/v62.0/limits`), or of a `nextRecordsUrl`.
    ///
    /// - Parameter probe: send even when the last reported use is above the share: the first request of a pull or
    ///   push, which learns whether the allowance has recovered (a long-running process would otherwise never ask).
    func get(_ path: String, headers: [(String, String)] = [], stream: String?, probe: Bool = false) async throws -> HTTPResponse {
        if !probe { try checkBudget(stream: stream) }
        let url = try await url(path, stream: stream)
        let response = try await client.send(.get(url, headers: [("Accept", "application/json")] + headers), stream: stream)
        observe(response)
        return response
    }

    /// `PATCH` of a JSON document to a path under the instance.
    func patch(_ path: String, json: JSONValue, stream: String?) async throws -> HTTPResponse {
        try checkBudget(stream: stream)
        let url = try await url(path, stream: stream)
        let response = try await client.send(.patch(url, json: json, headers: [("Accept", "application/json")]), stream: stream)
        observe(response)
        return response
    }

    /// A SOQL query's first page: `GET <data>/queryAll?q=` (deleted and merged rows included) or `query?q=`.
    func query(
        _ soql: String, includeDeleted: Bool, batchSize: Int?, stream: String?, probe: Bool = false
    ) async throws -> QueryPage {
        let resource = includeDeleted ? "queryAll" : "query"
        let response = try await get(
            "\(dataPath)/\(resource)?q=\(SOQL.encodeQueryParameter(soql))", headers: Self.options(batchSize), stream: stream,
            probe: probe)
        return try QueryPage(response, connector: connector, stream: stream)
    }

    /// The next page of a query, from the `nextRecordsUrl` of the one before.
    func more(_ nextRecordsURL: String, batchSize: Int?, stream: String?) async throws -> QueryPage {
        let response = try await get(nextRecordsURL, headers: Self.options(batchSize), stream: stream)
        return try QueryPage(response, connector: connector, stream: stream)
    }

    private static func options(_ batchSize: Int?) -> [(String, String)] {
        batchSize.map { [("Sforce-Query-Options", "batchSize=\($0)")] } ?? []
    }

    /// The instance's base URL, without a trailing slash: `instanceURL` when set, else the token's `instance_url`.
    func baseURL(stream: String?) async throws -> String {
        var text: String
        if let instance = configuration.instanceURL {
            text = instance.absoluteString
        } else {
            guard let returned = try await auth.tokenField("instance_url"), let url = URL(string: returned),
                let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil
            else {
                throw ConnectorError(
                    .authentication,
                    "the token response from \(configuration.tokenURL.host ?? "the login URL") has no usable instance_url; "
                        + "set connectors.\(connector).instanceURL to the org's URL (https://<MyDomain>.my.salesforce.com)",
                    connector: connector, stream: stream)
            }
            text = returned
        }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    private func url(_ path: String, stream: String?) async throws -> URL {
        let base = try await baseURL(stream: stream)
        var path = path
        // A next-page link may be absolute; only one on the instance itself is followed (another host would receive
        // the access token).
        if !path.hasPrefix("/"), let link = URL(string: path), let baseURL = URL(string: base),
            link.scheme?.lowercased() == baseURL.scheme?.lowercased(), link.host?.lowercased() == baseURL.host?.lowercased(),
            link.port == baseURL.port, let components = URLComponents(url: link, resolvingAgainstBaseURL: false)
        {
            path = components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        }
        guard path.hasPrefix("/services/") else {
            throw ConnectorError(
                .invalidData, "Salesforce returned a next-page link outside the instance's /services/ path; the pull "
                    + "stops here (report it as a connector bug)", connector: connector, stream: stream)
        }
        guard let url = URL(string: base + path) else {
            throw ConnectorError(
                .invalidConfiguration, "cannot form a request URL from connectors.\(connector).instanceURL",
                connector: connector, stream: stream)
        }
        return url
    }

    // MARK: Budget

    /// Throws ``ConnectorError/Code/budgetExhausted`` when the org's daily use last reported is above
    /// `maxDailyAPIShare`.
    func checkBudget(stream: String?) throws {
        guard let usage, usage.share > configuration.maxDailyAPIShare else { return }
        let percent = Int((usage.share * 100).rounded(.down))
        throw ConnectorError(
            .budgetExhausted,
            "Salesforce reports \(usage.used) of the org's \(usage.limit) daily API requests used (\(percent)%), above "
                + "connectors.\(connector).maxDailyAPIShare (\(configuration.maxDailyAPIShare)); the stream stops here, "
                + "keeps what it read, and resumes from its checkpoint on the next run",
            connector: connector, stream: stream)
    }

    /// Learns the daily use from a response's `Sforce-Limit-Info`.
    func observe(_ response: HTTPResponse) {
        guard let header = response.header("Sforce-Limit-Info"), let usage = Self.apiUsage(header) else { return }
        usageState.withLock { $0 = usage }
    }

    /// Learns the daily use from the `limits` resource's `DailyApiRequests`.
    func observe(max: Int, remaining: Int) {
        guard max > 0 else { return }
        usageState.withLock { $0 = Usage(used: max - remaining, limit: max) }
    }

    /// `api-usage=18/5000` out of `Sforce-Limit-Info`, whose fields may be separated by `;` or `,`
    /// (`api-usage=10018/100000; api-bursts=1/750`, `api-usage=25/5000, per-app-api-usage=17/250(appName=x)`).
    static func apiUsage(_ header: String) -> Usage? {
        for part in header.split(whereSeparator: { $0 == ";" || $0 == "," }) {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "api-usage" else { continue }
            let numbers = pair[1].split(separator: "/")
            guard numbers.count == 2, let used = Int(numbers[0].trimmingCharacters(in: .whitespaces)),
                let limit = Int(numbers[1].trimmingCharacters(in: .whitespaces)), limit > 0
            else { continue }
            return Usage(used: used, limit: limit)
        }
        return nil
    }
}

/// One batch of a SOQL query result: `{"totalSize", "done", "nextRecordsUrl", "records": [...]}`.
struct QueryPage {
    var records: [JSONValue]
    var totalSize: Int?
    /// The next batch's path, `nil` when this one was the last.
    var nextRecordsURL: String?

    init(_ response: HTTPResponse, connector: String, stream: String?) throws {
        let json: JSONValue
        do { json = try response.json() } catch {
            throw ConnectorError(
                .invalidData, "a query answered HTTP \(response.status) with a body that is not JSON (\(error)); "
                    + "run again later, or report it if it persists", connector: connector, stream: stream)
        }
        guard case .array(let records)? = json["records"] else {
            throw ConnectorError(
                .invalidData, "a query answered without a `records` list; check connectors.\(connector).instanceURL "
                    + "points at the Salesforce org", connector: connector, stream: stream)
        }
        self.records = records
        totalSize = json["totalSize"]?.text.flatMap { Int($0) }
        let done = json["done"] != .bool(false)
        nextRecordsURL = done ? nil : json["nextRecordsUrl"]?.text
    }
}
