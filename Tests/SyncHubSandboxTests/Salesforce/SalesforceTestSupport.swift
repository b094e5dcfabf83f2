import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncHubCore
import SyncHubSandbox
import Synchronization
import Testing

/// A clock tests move by hand.
final class ManualClock: Sendable {
    let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) { current = Mutex(start) }
    func advance(seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var now: @Sendable () -> Date { { self.current.withLock { $0 } } }
}

/// Runs `body` against the simulator's routes (in-process router test client).
func withSalesforce<T: Sendable>(
    _ simulator: SalesforceSimulator, _ body: @Sendable (SalesforceClient) async throws -> T
) async throws -> T {
    let router = Router()
    simulator.addRoutes(to: router)
    let app = Application(router: router)
    return try await app.test(.router) { client in try await body(SalesforceClient(client: client)) }
}

/// A thin client speaking to the simulator the way a connector would.
struct SalesforceClient: Sendable {
    let client: any TestClientProtocol

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var text: String
        var json: JSONValue { (try? JSONValue.parse(text)) ?? .null }
        var limitInfo: String? { headers[HTTPField.Name("Sforce-Limit-Info")!] }
    }

    func send(
        _ uri: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: String? = nil
    ) async throws -> Reply {
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    func refresh(
        refreshToken: String = SalesforceSimulator.refreshToken, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        headers.append(contentsOf: extra)
        let form =
            "grant_type=refresh_token&client_id=\(SalesforceSimulator.clientID)"
            + "&client_secret=\(SalesforceSimulator.clientSecret)&refresh_token=\(refreshToken)"
        return try await send("/services/oauth2/token", method: .post, headers: headers, body: form)
    }

    func accessToken() async throws -> String {
        let reply = try await refresh()
        return try #require(reply.json["access_token"]?.text)
    }

    func get(_ uri: String, token: String, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        headers.append(contentsOf: extra)
        return try await send(uri, headers: headers)
    }

    static func encode(_ soql: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return soql.addingPercentEncoding(withAllowedCharacters: allowed)!
    }

    func query(_ soql: String, token: String, all: Bool = false, headers: HTTPFields = [:]) async throws -> Reply {
        try await get(
            "/services/data/v62.0/\(all ? "queryAll" : "query")?q=\(Self.encode(soql))", token: token, headers: headers)
    }

    /// Every record of a query, following `nextRecordsUrl` to `done`.
    func queryAll(_ soql: String, token: String, all: Bool = false, headers: HTTPFields = [:]) async throws -> (
        records: [JSONValue], pages: [Int], totalSize: Int
    ) {
        var reply = try await query(soql, token: token, all: all, headers: headers)
        var records: [JSONValue] = []
        var pages: [Int] = []
        while true {
            #expect(reply.status == .ok)
            guard case .array(let page)? = reply.json["records"] else {
                Issue.record("no records in \(reply.text.prefix(200))")
                break
            }
            records += page
            pages.append(page.count)
            guard reply.json["done"] == .bool(false), let next = reply.json["nextRecordsUrl"]?.text else { break }
            reply = try await get(next, token: token, headers: headers)
        }
        let total = Int(reply.json["totalSize"]?.text ?? "") ?? -1
        return (records, pages, total)
    }
}

extension JSONValue {
    var array: [JSONValue] { if case .array(let items) = self { items } else { [] } }
}
