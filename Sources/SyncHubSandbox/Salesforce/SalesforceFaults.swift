import Synchronization

/// Failures and limits a test or a trial injects into a ``SalesforceSimulator``; thread-safe.
public final class SalesforceFaults: Sendable {
    /// How an injected failure shows up to the client.
    public enum Failure: Sendable, Hashable {
        /// An HTTP status with Salesforce's error body (`UNKNOWN_EXCEPTION` for 500, `SERVER_UNAVAILABLE` for 503,
        /// `REQUEST_LIMIT_EXCEEDED` for 403, …).
        case status(Int)
        /// The connection closes right after the response head, before any body byte.
        case connectionReset
        /// The response announces its full length, sends about half of the body, then the connection closes.
        case truncatedBody
    }

    struct Rule: Sendable {
        var failure: Failure
        var remaining: Int
        var pathPrefix: String?
    }

    struct State: Sendable {
        var rules: [Rule] = []
        var latency: Duration = .zero
        var accessTokenLifetime: Duration = .seconds(7200)
        /// Tokens issued in an earlier epoch are invalid.
        var tokenEpoch = 0
        var refreshTokenRevoked = false
        var dailyLimit = 15_000
        var used = 0
        /// The UTC day `used` counts.
        var usageDay: Int64?
    }

    let state = Mutex(State())

    init() {}

    /// Fails the next `count` requests whose path starts with `pathPrefix` (any request but the sandbox's own
    /// control routes when `nil`).
    public func failNext(_ count: Int, with failure: Failure = .status(503), pathPrefix: String? = nil) {
        state.withLock { $0.rules.append(Rule(failure: failure, remaining: count, pathPrefix: pathPrefix)) }
    }

    /// Failures still to be injected.
    public var pendingFailures: Int { state.withLock { $0.rules.reduce(0) { $0 + $1.remaining } } }

    /// Added before every response.
    public var latency: Duration {
        get { state.withLock { $0.latency } }
        set { state.withLock { $0.latency = newValue } }
    }

    /// How long an access token stays valid (Salesforce's session timeout; default two hours).
    public var accessTokenLifetime: Duration {
        get { state.withLock { $0.accessTokenLifetime } }
        set { state.withLock { $0.accessTokenLifetime = newValue } }
    }

    /// Invalidates every access token issued so far: the next API call answers 401 `INVALID_SESSION_ID`.
    public func expireTokensNow() { state.withLock { $0.tokenEpoch += 1 } }

    /// Makes the refresh token fail with `invalid_grant` (or work again).
    public func revokeRefreshToken(_ revoked: Bool = true) { state.withLock { $0.refreshTokenRevoked = revoked } }

    /// Sets the org's daily API request limit and, optionally, how many requests are used today.
    public func setDailyLimit(_ limit: Int, used: Int? = nil) {
        state.withLock {
            $0.dailyLimit = limit
            if let used { $0.used = used }
        }
    }

    /// Removes every injected failure and latency; token lifetime, limit and usage return to their defaults.
    public func reset() {
        state.withLock { state in
            let epoch = state.tokenEpoch
            state = State()
            state.tokenEpoch = epoch
        }
    }

    /// The failure for a request to `path`, consuming one.
    func takeFailure(path: String) -> Failure? {
        state.withLock { state in
            for index in state.rules.indices where state.rules[index].remaining > 0 {
                let rule = state.rules[index]
                let matches = rule.pathPrefix.map { path.hasPrefix($0) } ?? !path.hasPrefix("/_sandbox")
                guard matches else { continue }
                state.rules[index].remaining -= 1
                state.rules.removeAll { $0.remaining <= 0 }
                return rule.failure
            }
            return nil
        }
    }

    /// Counts one API request on `day`; `nil` when the daily limit is reached. Returns (used, limit).
    func countRequest(day: Int64) -> (used: Int, limit: Int, allowed: Bool) {
        state.withLock { state in
            if state.usageDay != day {
                if state.usageDay != nil { state.used = 0 }
                state.usageDay = day
            }
            guard state.used < state.dailyLimit else { return (state.used, state.dailyLimit, false) }
            state.used += 1
            return (state.used, state.dailyLimit, true)
        }
    }

    var usage: (used: Int, limit: Int) { state.withLock { ($0.used, $0.dailyLimit) } }
}
