import Synchronization

/// The credentials the HubSpot simulation accepts: one private-app access token, and an OAuth app whose refresh
/// tokens buy short-lived access tokens at `POST /oauth/v1/token`. Thread-safe.
public final class HubSpotAccessTokens: Sendable {
    /// How a bearer token was judged.
    enum Verdict: Equatable {
        case privateApp
        case oauth
        case expired(atMs: Int64)
        case unknown
    }

    private struct State {
        var privateAppToken = "sandbox-token"
        var clientID = "sandbox-client-id"
        var clientSecret = "sandbox-client-secret"
        var refreshTokens: Set<String> = ["sandbox-refresh-token"]
        var authorizationCodes: Set<String> = ["sandbox-auth-code"]
        /// Issued access token → expiry (epoch ms).
        var accessTokens: [String: Int64] = [:]
        var issued = 0
    }

    private let state = Mutex(State())

    init() {}

    /// The static private-app token every API route accepts (default `sandbox-token`).
    public var privateAppToken: String {
        get { state.withLock { $0.privateAppToken } }
        set { state.withLock { $0.privateAppToken = newValue } }
    }

    /// The OAuth app's client id (default `sandbox-client-id`).
    public var clientID: String {
        get { state.withLock { $0.clientID } }
        set { state.withLock { $0.clientID = newValue } }
    }

    /// The OAuth app's client secret (default `sandbox-client-secret`).
    public var clientSecret: String {
        get { state.withLock { $0.clientSecret } }
        set { state.withLock { $0.clientSecret = newValue } }
    }

    /// Refresh tokens the token endpoint accepts (default `sandbox-refresh-token`).
    public var refreshTokens: Set<String> {
        get { state.withLock { $0.refreshTokens } }
        set { state.withLock { $0.refreshTokens = newValue } }
    }

    /// Authorization codes `grant_type=authorization_code` accepts, each once (default `sandbox-auth-code`).
    public var authorizationCodes: Set<String> {
        get { state.withLock { $0.authorizationCodes } }
        set { state.withLock { $0.authorizationCodes = newValue } }
    }

    /// Access tokens issued so far, oldest first.
    public var issuedAccessTokens: [String] {
        state.withLock { state in state.accessTokens.keys.sorted { Self.serial($0) < Self.serial($1) } }
    }

    /// Revokes a refresh token: the token endpoint refuses it from now on.
    public func revoke(refreshToken: String) {
        _ = state.withLock { $0.refreshTokens.remove(refreshToken) }
    }

    func verdict(for token: String, nowMs: Int64) -> Verdict {
        state.withLock { state in
            if !state.privateAppToken.isEmpty, token == state.privateAppToken { return .privateApp }
            guard let expiry = state.accessTokens[token] else { return .unknown }
            return nowMs < expiry ? .oauth : .expired(atMs: expiry)
        }
    }

    enum Grant {
        case refreshToken(String)
        case authorizationCode(String)
    }

    enum GrantFailure: Error {
        case badClient, badRefreshToken, badAuthorizationCode
    }

    /// Checks the client and the grant and issues an access token living `lifetimeSeconds`; returns it with the
    /// refresh token to hand back (HubSpot returns the same refresh token on refresh).
    func exchange(
        clientID: String, clientSecret: String, grant: Grant, nowMs: Int64, lifetimeSeconds: Int
    ) throws(GrantFailure) -> (access: String, refresh: String) {
        let result: Result<(String, String), GrantFailure> = state.withLock { state in
            guard clientID == state.clientID, clientSecret == state.clientSecret else { return .failure(.badClient) }
            let refresh: String
            switch grant {
            case .refreshToken(let token):
                guard state.refreshTokens.contains(token) else { return .failure(.badRefreshToken) }
                refresh = token
            case .authorizationCode(let code):
                guard state.authorizationCodes.remove(code) != nil else { return .failure(.badAuthorizationCode) }
                state.issued += 1
                refresh = "sandbox-refresh-\(state.issued)"
                state.refreshTokens.insert(refresh)
            }
            state.issued += 1
            var random = HubSpotRandom(seed: UInt64(state.issued) &* 0x9E37 &+ UInt64(bitPattern: nowMs))
            let access = "sandbox-oauth-\(state.issued)-\(String(random.next(), radix: 36))"
            state.accessTokens[access] = nowMs + Int64(lifetimeSeconds) * 1000
            return .success((access, refresh))
        }
        return try result.get()
    }

    /// Expires every issued access token at `nowMs`.
    func expireAll(nowMs: Int64) {
        state.withLock { state in
            for token in state.accessTokens.keys { state.accessTokens[token] = min(state.accessTokens[token]!, nowMs) }
        }
    }

    private static func serial(_ token: String) -> Int {
        Int(token.split(separator: "-").dropFirst(2).first ?? "") ?? 0
    }
}
