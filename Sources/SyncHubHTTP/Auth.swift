public import Foundation
#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif
public import Logging
import SyncHubCore
import Synchronization

/// Supplies a request's credentials and renews them. Tokens never appear in logs or errors.
public protocol AuthProvider: Sendable {
    /// Adds the credentials to `request` (typically an `Authorization` header).
    func authorize(_ request: inout HTTPRequest) async throws
    /// Called once for a refused (401) response: renews the credentials if it can, and returns `true` when the
    /// request should be sent again (for example Salesforce `INVALID_SESSION_ID`).
    func refresh(after response: HTTPResponse) async throws -> Bool
    /// As ``refresh(after:)``, knowing the request that was refused; ``APIClient`` calls this one. Providers
    /// use it to tell a stale token (already renewed by a concurrent request: just replay) from the current one.
    /// The default calls ``refresh(after:)``.
    func refresh(after response: HTTPResponse, to request: HTTPRequest) async throws -> Bool
    /// The settings that hold these credentials (`["accessToken"]`), named in error messages; default none.
    var credentialSettings: [String] { get }
}

extension AuthProvider {
    public func refresh(after response: HTTPResponse, to request: HTTPRequest) async throws -> Bool {
        try await refresh(after: response)
    }

    public var credentialSettings: [String] { [] }
}

/// A static bearer token (a HubSpot private app's access token, a Pipedrive API token sent as bearer).
public struct BearerToken: AuthProvider, CustomStringConvertible, CustomDebugStringConvertible {
    private let token: String
    public let credentialSettings: [String]

    /// - Parameter setting: the setting that holds the token, named in error messages.
    public init(_ token: String, setting: String = "accessToken") {
        self.token = token
        self.credentialSettings = [setting]
    }

    public func authorize(_ request: inout HTTPRequest) async throws {
        request.setHeader("Authorization", "Bearer " + token)
    }

    /// A static token cannot be renewed.
    public func refresh(after response: HTTPResponse) async throws -> Bool { false }

    public var description: String { "BearerToken(<redacted>)" }
    public var debugDescription: String { description }
}

/// The OAuth 2 refresh-token grant (Salesforce, HubSpot public apps, Pipedrive): posts
/// `grant_type=refresh_token, client_id, client_secret, refresh_token` to `tokenURL` as a form, and caches the
/// access token until shortly before it expires (`expires_in`, 30 minutes when absent), renewing it **by its
/// expiry time**, not by waiting for a 401. A 401 still renews it once (Salesforce `INVALID_SESSION_ID`).
///
/// Renewal is single-flight: concurrent requests wait for one token request. Other fields of the token response,
/// such as Salesforce's `instance_url`, are read with ``tokenField(_:)``. A rotated `refresh_token` in the
/// response replaces the configured one for the rest of the run.
public final class OAuthRefreshToken: AuthProvider, CustomStringConvertible, CustomDebugStringConvertible {
    private struct Token: Sendable {
        var accessToken: String
        var renewAt: ContinuousClock.Instant
        var fields: [String: String]
    }

    private struct State {
        var refreshToken: String
        var token: Token?
        var inFlight: Task<Token, any Error>?
        var tokenRequests = 0
    }

    public let tokenURL: URL
    /// Renew this long before the token expires.
    public let renewalMargin: Duration
    /// Lifetime assumed when the token response has no `expires_in`.
    public let defaultLifetime: Duration
    public let credentialSettings: [String]

    private let clientID: String
    private let clientSecret: String
    private let state: Mutex<State>
    private let client: APIClient
    private let now: @Sendable () -> ContinuousClock.Instant

    /// - Parameters:
    ///   - connector: the connector instance's name, for errors and logs.
    ///   - settings: the settings holding these credentials, named in error messages.
    ///   - now: the clock used for expiry, injectable for tests.
    ///   - sleep: used between retries of the token request.
    public init(
        tokenURL: URL, clientID: String, clientSecret: String, refreshToken: String, connector: String,
        settings: [String] = ["clientId", "clientSecret", "refreshToken"],
        renewalMargin: Duration = .seconds(60), defaultLifetime: Duration = .seconds(30 * 60),
        configuration: HTTPClientConfiguration = .init(), logger: Logger = Logger(label: "synchub.http"),
        session: URLSession = APIClient.defaultSession,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.credentialSettings = settings
        self.renewalMargin = renewalMargin
        self.defaultLifetime = defaultLifetime
        self.state = Mutex(State(refreshToken: refreshToken))
        var client = APIClient(
            connector: connector, configuration: configuration, auth: nil, budget: nil, logger: logger,
            session: session, sleep: sleep)
        client.tokenEndpointSettings = settings
        self.client = client
        self.now = now
    }

    public func authorize(_ request: inout HTTPRequest) async throws {
        let token = try await currentToken(replacing: nil)
        request.setHeader("Authorization", "Bearer " + token.accessToken)
    }

    /// Renews the token after a 401; `false` for any other status.
    public func refresh(after response: HTTPResponse) async throws -> Bool {
        guard response.status == 401 else { return false }
        let stale = state.withLock { $0.token?.accessToken }
        _ = try await currentToken(replacing: stale ?? "")
        return true
    }

    /// Renews the token after a 401, unless the refused request carried an older token than the current one
    /// (another request renewed it meanwhile): then the request is just replayed.
    public func refresh(after response: HTTPResponse, to request: HTTPRequest) async throws -> Bool {
        guard response.status == 401 else { return false }
        let sent = request.header("Authorization").map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : $0 }
        _ = try await currentToken(replacing: sent ?? "")
        return true
    }

    /// A field of the latest token response, such as Salesforce's `instance_url`; requests a token if none is held.
    public func tokenField(_ name: String) async throws -> String? {
        try await currentToken(replacing: nil).fields[name]
    }

    /// Token requests made so far (successful or not).
    public var tokenRequests: Int { state.withLock { $0.tokenRequests } }

    public var description: String { "OAuthRefreshToken(\(loggablePath(tokenURL)), <redacted>)" }
    public var debugDescription: String { description }

    private enum Next {
        case ready(Token)
        case wait(Task<Token, any Error>)
    }

    /// The valid token; `replacing` names a token known to be refused (renew it unless it was already replaced).
    private func currentToken(replacing refused: String?) async throws -> Token {
        let current = now()
        let next = state.withLock { state -> Next in
            if let token = state.token {
                let isRefused = refused.map { $0 == token.accessToken || $0.isEmpty } ?? false
                if !isRefused && current < token.renewAt { return .ready(token) }
            }
            if let task = state.inFlight { return .wait(task) }
            state.token = nil
            state.tokenRequests += 1
            let refreshToken = state.refreshToken
            let task = Task { try await self.requestToken(refreshToken: refreshToken) }
            state.inFlight = task
            return .wait(task)
        }
        switch next {
        case .ready(let token): return token
        case .wait(let task): return try await task.value
        }
    }

    private func requestToken(refreshToken: String) async throws -> Token {
        do {
            let request = HTTPRequest.post(
                tokenURL,
                form: [
                    ("grant_type", "refresh_token"), ("client_id", clientID), ("client_secret", clientSecret),
                    ("refresh_token", refreshToken),
                ], headers: [("Accept", "application/json")])
            let response = try await client.send(request)
            let token = try parse(response)
            state.withLock { state in
                state.token = token
                state.inFlight = nil
                if let rotated = token.fields["refresh_token"], !rotated.isEmpty { state.refreshToken = rotated }
            }
            return token
        } catch {
            state.withLock { $0.inFlight = nil }
            throw error
        }
    }

    private func parse(_ response: HTTPResponse) throws -> Token {
        let json: JSONValue
        do { json = try response.json() } catch {
            throw ConnectorError(
                .authentication,
                "POST \(loggablePath(tokenURL)): the token endpoint answered HTTP \(response.status) without JSON; "
                    + "check the token URL", connector: client.connector)
        }
        guard case .object(let members) = json, let accessToken = json["access_token"]?.text, !accessToken.isEmpty
        else {
            throw ConnectorError(
                .authentication,
                "POST \(loggablePath(tokenURL)): the token endpoint answered without an access_token; "
                    + "check \(settingsList(credentialSettings, connector: client.connector))",
                connector: client.connector)
        }
        var fields: [String: String] = [:]
        for (name, value) in members { if let text = value.text { fields[name] = text } }
        var lifetime = defaultLifetime
        if let expiresIn = json["expires_in"]?.text.flatMap(Double.init), expiresIn > 0 {
            lifetime = .milliseconds(Int64(expiresIn * 1000))
        }
        let margin = lifetime > renewalMargin * 2 ? renewalMargin : lifetime / 2
        return Token(accessToken: accessToken, renewAt: now() + lifetime - margin, fields: fields)
    }
}

/// "connectors.crm.accessToken" or "clientId, clientSecret and refreshToken under connectors.crm".
func settingsList(_ settings: [String], connector: String) -> String {
    switch settings.count {
    case 0: return "the credentials of connectors.\(connector)"
    case 1: return "connectors.\(connector).\(settings[0])"
    default:
        return settings.dropLast().joined(separator: ", ") + " and \(settings.last!) under connectors.\(connector)"
    }
}
